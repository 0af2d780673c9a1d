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

/** Names for the control characters an admin is most likely to paste by accident. */
const CONTROL_NAMES: Readonly<Record<number, string>> = { 0x00: 'NUL', 0x09: 'tab', 0x0a: 'line feed', 0x0d: 'carriage return' };

interface ControlCharacter {
  /** `U+0000 (NUL)`: the code point and, for the usual suspects, its name. */
  label: string;
  /** 1-based, in characters. */
  position: number;
}

function isControl(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/**
 * The first control character in `text`: C0 controls U+0000..U+001F (NUL, tab, line breaks), DEL
 * and C1 controls U+0080..U+009F. None is part of a sAMAccountName, UPN, mail address, DN or GUID,
 * and a directory written in C ends a value at NUL, so `plainuser\0*` would find plainuser.
 */
function findControlCharacter(text: string): ControlCharacter | undefined {
  const chars = [...text];
  const index = chars.findIndex(isControl);
  if (index < 0) return undefined;
  const code = chars[index]?.codePointAt(0) ?? 0;
  const name = CONTROL_NAMES[code];
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return { label: name ? `${hex} (${name})` : hex, position: index + 1 };
}

/** Words for the problem, never the character itself (an echo would carry it on). */
function describe(found: ControlCharacter): string {
  return `contains the control character ${found.label} at position ${found.position}, which no user name, address, DN or GUID has`;
}

/** What is wrong with `text` as a who, when it holds a control character; undefined otherwise. */
export function controlCharacterProblem(text: string): string | undefined {
  const found = findControlCharacter(text);
  return found ? describe(found) : undefined;
}

/**
 * Refuses a control character anywhere in `text`. Callers trim first: a tab or line break around
 * the value (Teams and pasted text often end with one) is whitespace; inside it, it is refused.
 */
export function refuseControlCharacters(text: string): void {
  const found = findControlCharacter(text);
  if (!found) return;
  throw new InputError(
    'INPUT_INVALID',
    `What you typed ${describe(found)}. Type the value again without it (a copy from another program can carry invisible characters).`,
    { character: found.label, position: found.position },
  );
}

// A DN names its first RDN (CN=, OU=, UID=) and has at least one more component; escaped commas allowed.
const DN_RE = /^(?:cn|ou|uid)=.+,\s*(?:cn|ou|dc|o)=[^,]+/i;

export function classifyWho(input: string): Who {
  const text = input.trim();
  if (text === '') throw new InputError('INPUT_EMPTY', 'Say who to look up, e.g. `guid jdoe`.');
  refuseControlCharacters(text);
  if (text.length > MAX_WHO_LENGTH) {
    throw new InputError('INPUT_TOO_LONG', `That is ${text.length} characters; a user is at most ${MAX_WHO_LENGTH}.`, {
      length: text.length,
    });
  }
  if (looksLikeAnchor(text)) return { kind: 'anchor', anchor: parseAnchor(text), text };
  if (DN_RE.test(text)) return { kind: 'dn', dn: text, text };
  if (text.includes('@')) return { kind: 'address', address: text.replace(/^smtp:/i, ''), text };
  if (/\s/.test(text)) {
    throw new InputError('INPUT_INVALID', `"${text.slice(0, 80)}" has spaces; give one sAMAccountName, UPN, mail address, DN or GUID.`, {
      input: text.slice(0, 80),
    });
  }
  return { kind: 'samAccountName', name: text, text };
}
