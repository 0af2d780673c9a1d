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
/** An upper-case hex digit: GUID text with one is not in the anchor's own (lower-case) GUID form. */
const UPPER_HEX_RE = /[A-F]/;

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
  return owning(Uint8Array.from(bytes));
}

/**
 * An anchor over bytes nobody else holds (made here), without another copy. Its text forms are
 * worked out once, when first asked (a diagnosis names the same anchor in several texts), or taken
 * from the input it was parsed from when that was already in the form's own spelling; the private
 * fields are not the anchor's value, which stays its frozen `bytes`. An ImmutableID worked out is
 * remembered as an input too: a diagnosis parses the AD user's GUIDs, then its anchor's ImmutableID.
 */
class AnchorValue implements Anchor {
  readonly bytes: Readonly<Uint8Array>;
  #guid: string | undefined;
  #immutableId: string | undefined;

  constructor(bytes: Uint8Array, forms: { guid?: string; immutableId?: string } = {}) {
    this.bytes = bytes;
    this.#guid = forms.guid;
    this.#immutableId = forms.immutableId;
    Object.freeze(this);
  }

  guid(): string {
    return (this.#guid ??= guidText(this));
  }

  immutableId(): string {
    if (this.#immutableId === undefined) remember((this.#immutableId = view(this).toString('base64')), this);
    return this.#immutableId;
  }
}

function owning(bytes: Uint8Array, forms?: { guid?: string; immutableId?: string }): Anchor {
  return new AnchorValue(bytes, forms);
}

/** 32 hex digits (already checked) → 16 bytes (a Buffer of their own: encoding them needs no copy). */
function hexToBytes(hex: string): Uint8Array {
  const bytes = Buffer.alloc(16);
  bytes.write(hex, 'hex');
  return bytes;
}

/**
 * Where each stored byte's two hex digits are in the GUID text: the first three fields reversed
 * byte by byte (Guid.ToByteArray's little-endian fields), the last eight bytes in order.
 */
const GUID_BYTE_AT = [6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34];

/** The value of one hex digit (already checked by GUID_RE). */
function nibble(code: number): number {
  return code <= 57 ? code - 48 : (code | 0x20) - 87;
}

/** GUID text (already checked by GUID_RE) → stored bytes. */
function guidToBytes(guid: string): Uint8Array {
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) {
    const at = GUID_BYTE_AT[i] ?? 0;
    bytes[i] = (nibble(guid.charCodeAt(at)) << 4) | nibble(guid.charCodeAt(at + 1));
  }
  return bytes;
}

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Stored bytes of the anchor being converted, and the characters of its text (synchronous, so one of each will do). */
const SCRATCH = new Uint8Array(16);
const CODES = new Uint16Array(36);
const BASE64_CODES = Uint8Array.from(BASE64_DIGITS, (c) => c.charCodeAt(0));

/** A hex digit's value, or -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * The ImmutableID of GUID text written exactly as 8-4-4-4-12 hex digits (either case, no braces
 * or spaces), else undefined: `toImmutableId(parseAnchor(text))` without an anchor, a Buffer or a
 * regular expression. A scan asks it for both GUIDs of every AD user; other inputs go to parseAnchor.
 */
export function immutableIdOfGuidText(text: string): string | undefined {
  if (text.length !== 36) return undefined;
  if (text.charCodeAt(8) !== 45 || text.charCodeAt(13) !== 45 || text.charCodeAt(18) !== 45 || text.charCodeAt(23) !== 45) return undefined;
  // GUID_BYTE_AT names every hex digit's position, two per byte.
  for (let i = 0; i < 16; i++) {
    const at = GUID_BYTE_AT[i] ?? 0;
    const high = hexValue(text.charCodeAt(at));
    const low = hexValue(text.charCodeAt(at + 1));
    if (high < 0 || low < 0) return undefined;
    SCRATCH[i] = (high << 4) | low;
  }
  let o = 0;
  for (let i = 0; i < 15; i += 3) {
    const n = ((SCRATCH[i] ?? 0) << 16) | ((SCRATCH[i + 1] ?? 0) << 8) | (SCRATCH[i + 2] ?? 0);
    CODES[o++] = BASE64_CODES[n >> 18] ?? 0;
    CODES[o++] = BASE64_CODES[(n >> 12) & 63] ?? 0;
    CODES[o++] = BASE64_CODES[(n >> 6) & 63] ?? 0;
    CODES[o++] = BASE64_CODES[n & 63] ?? 0;
  }
  const last = SCRATCH[15] ?? 0;
  CODES[o++] = BASE64_CODES[last >> 2] ?? 0;
  CODES[o++] = BASE64_CODES[(last & 3) << 4] ?? 0;
  CODES[o++] = 61;
  CODES[o++] = 61;
  return String.fromCharCode.apply(null, CODES.subarray(0, 24) as unknown as number[]);
}

/** Each base64 digit's value by character code (-1: not one). */
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64_DIGITS.length; i++) BASE64_VALUE[BASE64_DIGITS.charCodeAt(i)] = i;
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * The lower-case GUID text of an ImmutableID written exactly as canonical base64 of 16 bytes (22
 * digits and `==`, the spare bits zero), else undefined: `toGuid(parseAnchor(text))` without an
 * anchor or a Buffer. A scan names the anchor of every matched user in its texts.
 */
export function guidOfImmutableIdText(text: string): string | undefined {
  if (text.length !== 24 || text.charCodeAt(22) !== 61 || text.charCodeAt(23) !== 61) return undefined;
  let bits = 0;
  let held = 0;
  let at = 0;
  for (let i = 0; i < 22; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (BASE64_VALUE[code] ?? -1) : -1;
    if (value < 0) return undefined;
    bits = (bits << 6) | value;
    held += 6;
    if (held >= 8) {
      held -= 8;
      if (at < 16) SCRATCH[at++] = (bits >> held) & 0xff;
    }
    bits &= (1 << held) - 1;
  }
  // 22 digits carry 132 bits: the 4 left over must be zero for the text to be canonical.
  if (at !== 16 || bits !== 0) return undefined;
  // The first three fields byte-reversed (GUID_BYTE_AT's order), the last two as stored.
  for (let i = 0; i < 16; i++) {
    const b = SCRATCH[i] ?? 0;
    const pos = GUID_BYTE_AT[i] ?? 0;
    CODES[pos] = HEX_CODES[b >> 4] ?? 0;
    CODES[pos + 1] = HEX_CODES[b & 15] ?? 0;
  }
  CODES[8] = CODES[13] = CODES[18] = CODES[23] = 45;
  return String.fromCharCode.apply(null, CODES.subarray(0, 36) as unknown as number[]);
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
  const known = recent.get(input);
  if (known !== undefined) return known;
  const anchor = parseFresh(input);
  remember(input, anchor);
  return anchor;
}

function remember(input: string, anchor: Anchor): void {
  if (recent.size >= RECENT_LIMIT) recent.clear();
  recent.set(input, anchor);
}

/**
 * Inputs parsed lately, and their anchors: a diagnosis parses the same few values several times
 * (its look-ups, its situation, its texts), a scan does so for every user. Bounded; an anchor is
 * immutable, so handing out the same one twice is safe.
 */
const recent = new Map<string, Anchor>();
const RECENT_LIMIT = 256;

function parseFresh(input: string): Anchor {
  const s = input.trim();
  if (s === '') throw malformed(input, 'it is empty');
  const unbraced = stripBraces(s);
  if (unbraced === undefined) throw malformed(input, 'its braces do not match');
  // Lower-case GUID text is already the anchor's own GUID form (guidText's).
  if (GUID_RE.test(unbraced)) return owning(guidToBytes(unbraced), UPPER_HEX_RE.test(unbraced) ? {} : { guid: unbraced });
  if (HEX_RE.test(s)) return owning(hexToBytes(s));
  if (LDAP_ESCAPED_RE.test(s)) return owning(hexToBytes(s.replaceAll('\\', '')));
  if (BASE64_16_RE.test(s)) {
    const bytes = Buffer.from(s, 'base64');
    // Reject non-canonical padding bits: re-encoding must give the same text back.
    if (bytes.length !== 16 || bytes.toString('base64') !== s) {
      throw malformed(input, 'its base64 does not encode exactly 16 bytes');
    }
    const own = Buffer.alloc(16);
    bytes.copy(own);
    return owning(own, { immutableId: s });
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

/** The anchor's bytes as a Buffer view (no copy), to encode them. */
function view(anchor: Anchor): Buffer {
  if (Buffer.isBuffer(anchor.bytes)) return anchor.bytes;
  return Buffer.from(anchor.bytes.buffer, anchor.bytes.byteOffset, anchor.bytes.byteLength);
}

export function toHex(anchor: Anchor): string {
  return view(anchor).toString('hex');
}

export function toImmutableId(anchor: Anchor): string {
  return anchor instanceof AnchorValue ? anchor.immutableId() : view(anchor).toString('base64');
}

export function toGuid(anchor: Anchor): string {
  return anchor instanceof AnchorValue ? anchor.guid() : guidText(anchor);
}

function guidText(anchor: Anchor): string {
  const h = toHex(anchor);
  // The first three fields byte-reversed (GUID_BYTE_AT's order), the last two as stored.
  return (
    h.slice(6, 8) +
    h.slice(4, 6) +
    h.slice(2, 4) +
    h.slice(0, 2) +
    '-' +
    h.slice(10, 12) +
    h.slice(8, 10) +
    '-' +
    h.slice(14, 16) +
    h.slice(12, 14) +
    '-' +
    h.slice(16, 20) +
    '-' +
    h.slice(20, 32)
  );
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
