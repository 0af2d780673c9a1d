/**
 * Anchors: the 16 bytes that join an AD user to its cloud user, and every way admins write them.
 *
 * Byte order is the AD attribute as stored, which is .NET's Guid.ToByteArray() layout: the first
 * three GUID fields are little-endian (byte-reversed), the last eight bytes are as written.
 * The ImmutableID is the base64 of those bytes; the hex and LDAP-escaped forms list them in order.
 */
import { InputError } from '../errors/index.ts';

/** 16 bytes in stored (ToByteArray) order. Immutable: always copied in and out. */
export interface Anchor {
  readonly bytes: Readonly<Uint8Array>;
}

export type AnchorForm = 'guid' | 'immutableId' | 'hex' | 'ldapEscaped';

export interface AnchorFormats {
  /** Lower-case GUID string, e.g. 96dcc383-2f6e-4fa2-af15-6b4c1119259a. */
  guid: string;
  /** Base64 of the stored bytes: what Entra calls onPremisesImmutableId. */
  immutableId: string;
  /** 32 lower-case hex digits in stored byte order. */
  hex: string;
  /** Every byte escaped for an LDAP filter: \83\c3\dc... */
  ldapEscaped: string;
}

const GUID_RE = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
const HEX_RE = /^[0-9a-f]{32}$/i;
const LDAP_ESCAPED_RE = /^(?:\\[0-9a-f]{2}){16}$/i;
const BASE64_16_RE = /^[A-Za-z0-9+/]{22}==$/;

/** Longest input echoed back in an error message, so a pasted essay does not flood the card. */
const ECHO_LIMIT = 80;

function echo(input: string): string {
  return input.length > ECHO_LIMIT ? `${input.slice(0, ECHO_LIMIT)}…` : input;
}

function malformed(input: string, why: string): InputError {
  return new InputError('ANCHOR_MALFORMED', `"${echo(input)}" is not a valid anchor: ${why}.`, {
    input: echo(input),
  });
}

function fromBytes(bytes: Uint8Array): Anchor {
  return Object.freeze({ bytes: Uint8Array.from(bytes) });
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** GUID text → stored bytes (reverse the first three fields). */
function guidToBytes(m: RegExpExecArray): Uint8Array {
  const [, a = '', b = '', c = '', d = '', e = ''] = m;
  const reverse = (h: string): string => (h.match(/../g) ?? []).reverse().join('');
  return hexToBytes(reverse(a) + reverse(b) + reverse(c) + d + e);
}

/** Which form an input is written in, or undefined when it is none of them. Exact, no guessing. */
export function detectAnchorForm(input: string): AnchorForm | undefined {
  const s = input.trim();
  if (GUID_RE.test(stripBraces(s) ?? '')) return 'guid';
  if (BASE64_16_RE.test(s)) return 'immutableId';
  if (HEX_RE.test(s)) return 'hex';
  if (LDAP_ESCAPED_RE.test(s)) return 'ldapEscaped';
  return undefined;
}

/** `{guid}` → guid; unbalanced braces → undefined. */
function stripBraces(s: string): string | undefined {
  const open = s.startsWith('{');
  const close = s.endsWith('}');
  if (open !== close) return undefined;
  return open ? s.slice(1, -1) : s;
}

/**
 * Parse any anchor form. Throws InputError(ANCHOR_MALFORMED) naming the input and what is wrong
 * with it when the input is shaped like an anchor but is not one, or is no anchor at all.
 */
export function parseAnchor(input: string): Anchor {
  const s = input.trim();
  if (s === '') throw malformed(input, 'it is empty');
  const unbraced = stripBraces(s);
  if (unbraced === undefined) throw malformed(input, 'its braces do not match');
  const guid = GUID_RE.exec(unbraced);
  if (guid) return fromBytes(guidToBytes(guid));
  if (HEX_RE.test(s)) return fromBytes(hexToBytes(s));
  if (LDAP_ESCAPED_RE.test(s)) return fromBytes(hexToBytes(s.replaceAll('\\', '')));
  if (BASE64_16_RE.test(s)) {
    const bytes = Buffer.from(s, 'base64');
    // Reject non-canonical padding bits: re-encoding must give the same text back.
    if (bytes.length !== 16 || bytes.toString('base64') !== s) {
      throw malformed(input, 'its base64 does not encode exactly 16 bytes');
    }
    return fromBytes(bytes);
  }
  throw malformed(input, whyNotAnAnchor(s, unbraced));
}

/** Explain the closest form the input was trying to be. */
function whyNotAnAnchor(s: string, unbraced: string): string {
  if (s.includes('\\')) {
    return 'the LDAP-escaped form is 16 bytes written as \\hh, e.g. \\83\\c3\\dc\\96... (48 characters)';
  }
  // Four dashes, or only hex and dashes: a GUID with a typo, not base64url.
  if (unbraced.split('-').length === 5 || (/^[0-9a-f-]+$/i.test(unbraced) && unbraced.includes('-'))) {
    return 'a GUID is 32 hex digits grouped 8-4-4-4-12, e.g. 96dcc383-2f6e-4fa2-af15-6b4c1119259a';
  }
  if (/^[0-9a-f]+$/i.test(s)) {
    return `hex form needs exactly 32 hex digits, this has ${s.length}`;
  }
  if (/^[A-Za-z0-9+/_-]+=*$/.test(s)) {
    if (/[_-]/.test(s)) return 'an ImmutableID uses standard base64 (+ and /), not base64url (- and _)';
    const bytes = Buffer.from(s, 'base64').length;
    return `an ImmutableID is the base64 of 16 bytes (24 characters ending in ==); this decodes to ${bytes} bytes`;
  }
  return 'expected a GUID, an ImmutableID (base64), 32 hex digits or the LDAP-escaped form';
}

/** Parse, or undefined when the input is not an anchor in any form. */
export function tryParseAnchor(input: string): Anchor | undefined {
  try {
    return parseAnchor(input);
  } catch {
    return undefined;
  }
}

/** Whether the input is plausibly an attempt at an anchor (so a near-miss gets a precise error). */
export function looksLikeAnchor(input: string): boolean {
  const s = input.trim();
  if (s.startsWith('\\') || /^\{?[0-9a-f]{8}-/i.test(s)) return true;
  if (/^[0-9a-f]{24,}$/i.test(s)) return true;
  return /^[A-Za-z0-9+/]{16,}={1,2}$/.test(s);
}

export function anchorFromBytes(bytes: Uint8Array): Anchor {
  if (bytes.length !== 16) throw malformed(`${bytes.length} bytes`, 'an anchor is exactly 16 bytes');
  return fromBytes(bytes);
}

export function anchorFromImmutableId(immutableId: string): Anchor {
  return parseAnchor(immutableId);
}

export function toHex(anchor: Anchor): string {
  return Buffer.from(anchor.bytes).toString('hex');
}

export function toImmutableId(anchor: Anchor): string {
  return Buffer.from(anchor.bytes).toString('base64');
}

export function toGuid(anchor: Anchor): string {
  const h = toHex(anchor);
  const rev = (from: number, to: number): string => (h.slice(from, to).match(/../g) ?? []).reverse().join('');
  return `${rev(0, 8)}-${rev(8, 12)}-${rev(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function toLdapEscaped(anchor: Anchor): string {
  return Array.from(anchor.bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

/** The equality filter an LDAP search uses to find this anchor on a binary attribute. */
export function toLdapFilter(anchor: Anchor, attribute: 'objectGUID' | 'mS-DS-ConsistencyGuid'): string {
  return `(${attribute}=${toLdapEscaped(anchor)})`;
}

export function anchorFormats(anchor: Anchor): AnchorFormats {
  return {
    guid: toGuid(anchor),
    immutableId: toImmutableId(anchor),
    hex: toHex(anchor),
    ldapEscaped: toLdapEscaped(anchor),
  };
}

export function anchorsEqual(a: Anchor, b: Anchor): boolean {
  return Buffer.from(a.bytes).equals(Buffer.from(b.bytes));
}
