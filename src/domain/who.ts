/**
 * What the admin typed after `guid` or `match`, classified without guessing. The relay and the
 * fixture directory both search by this classification, so they agree on what matches.
 */
import { InputError } from '../errors/index.ts';
import { looksLikeAnchor, parseAnchor, type Anchor } from './anchors.ts';

export type Who =
  | { kind: 'anchor'; anchor: Anchor; text: string }
  | { kind: 'dn'; dn: string; text: string }
  | { kind: 'address'; address: string; text: string }
  | { kind: 'samAccountName'; name: string; text: string };

/** Longest `who` accepted: a DN can be long, but not this long. */
export const MAX_WHO_LENGTH = 512;

// A DN names its first RDN (CN=, OU=, UID=) and has at least one more component; escaped commas allowed.
const DN_RE = /^(?:cn|ou|uid)=.+,\s*(?:cn|ou|dc|o)=[^,]+/i;

export function classifyWho(input: string): Who {
  const text = input.trim();
  if (text === '') throw new InputError('INPUT_EMPTY', 'Say who to look up, e.g. `guid jdoe`.');
  if (text.length > MAX_WHO_LENGTH) {
    throw new InputError('INPUT_TOO_LONG', `That is ${text.length} characters; a user is at most ${MAX_WHO_LENGTH}.`, {
      length: text.length,
    });
  }
  if (looksLikeAnchor(text)) return { kind: 'anchor', anchor: parseAnchor(text), text };
  if (DN_RE.test(text)) return { kind: 'dn', dn: text, text };
  if (text.includes('@')) return { kind: 'address', address: text.replace(/^smtp:/i, ''), text };
  if (/\s/.test(text)) {
    throw new InputError(
      'INPUT_INVALID',
      `"${text.slice(0, 80)}" has spaces; give one sAMAccountName, UPN, mail address, DN or GUID.`,
      { input: text.slice(0, 80) },
    );
  }
  return { kind: 'samAccountName', name: text, text };
}
