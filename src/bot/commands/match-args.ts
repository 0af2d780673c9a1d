/**
 * Parsing `match <who> [to <cloud UPN or object id>]`, exactly: the keyword `to` (any case) and one
 * value after it, nothing else. A DN may contain spaces (and even the word "to"), so the split is
 * made at the last ` to ` followed by one UPN or object id. Values are passed on as typed: the
 * relay escapes them for LDAP and the cloud module for OData, never this parser.
 */
import { classifyWho, refuseControlCharacters } from '../../domain/who.ts';
import { InputError } from '../../errors/index.ts';

export const MATCH_USAGE = 'match <who> [to <cloud UPN or object id>]';
const FORM = `Type ${MATCH_USAGE}, e.g. "match jdoe" or "match jdoe to john.doe@contoso.com".`;

/** Longest cloud UPN or object id accepted after `to` (Entra UPNs are at most 113 characters). */
export const MAX_TARGET_LENGTH = 256;

/** Longest piece of the admin's text echoed back in an error. */
const ECHO_LIMIT = 40;

export interface MatchArgs {
  /** The AD user, as typed (already checked by classifyWho). */
  who: string;
  /** The cloud user named after `to`, as typed. */
  target?: string;
}

export function parseMatchArgs(args: string): MatchArgs {
  const text = args.trim();
  if (text === '') throw new InputError('INPUT_EMPTY', `Say which AD user to match. ${FORM}`);
  // Before splitting, so no message below echoes one: every control character is refused, save
  // tab and line breaks, which may separate the words here; inside the AD user checkWho refuses
  // them too, and the cloud user is one run of non-whitespace.
  refuseControlCharacters(text.replace(/[\t\n\r]/g, ' '));
  if (/^to(?:\s|$)/i.test(text)) throw invalid(`The AD user comes first, before "to". ${FORM}`);
  if (/\sto$/i.test(text)) throw invalid(`"to" needs one cloud user after it: its UPN or object id. ${FORM}`);
  const split = /^(.*\S)\s+to\s+(\S+)$/is.exec(text);
  if (split?.[1] && split[2]) {
    const [, who, target] = split;
    if (looksLikeCloudUser(target)) return { who: checkWho(who), target: checkTarget(target) };
    // "CN=Walk to School,OU=Staff,DC=contoso,DC=com" is one DN, not a DN and a target.
    if (!isDn(text)) throw invalid(`"${echo(target)}" after "to" is not a cloud UPN or object id. ${FORM}`);
  }
  return { who: checkWho(text) };
}

/** One AD user: one word, or a DN (which may contain spaces). Malformed anchors throw here too. */
function checkWho(who: string): string {
  refuseControlCharacters(who);
  if (/\s/.test(who) && !isDn(who)) {
    const hasTo = who.split(/\s+/).some((w) => w.toLowerCase() === 'to');
    const why = hasTo ? 'After "to" give exactly one cloud UPN or object id.' : `"${echo(who)}" is more than one word.`;
    throw invalid(`${why} ${FORM}`);
  }
  return classifyWho(who).text;
}

function checkTarget(target: string): string {
  if (target.length > MAX_TARGET_LENGTH) {
    throw new InputError('INPUT_TOO_LONG', `The cloud user after "to" is ${target.length} characters; the limit is ${MAX_TARGET_LENGTH}.`, {
      length: target.length,
    });
  }
  return target;
}

/** An object id (GUID) or something with one @ (a UPN). The cloud module validates it precisely. */
function looksLikeCloudUser(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) || /^[^@]+@[^@]+$/.test(value);
}

function isDn(value: string): boolean {
  try {
    return classifyWho(value).kind === 'dn';
  } catch {
    return false;
  }
}

function invalid(message: string): InputError {
  return new InputError('INPUT_INVALID', message);
}

function echo(value: string): string {
  return value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT)}…` : value;
}
