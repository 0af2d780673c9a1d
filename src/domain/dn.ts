/**
 * Distinguished names compared as Active Directory compares them: RDN by RDN, attribute types and
 * values case-insensitively, spaces around `,`, `+` and `=` not significant, escapes (`\,`, `\2C`,
 * `\C3\AB`) decoded, multi-valued RDNs in any order. ldapts can build DNs but not parse them, so
 * this is a small parser for RFC 4514, plus what AD also accepts from RFC 2253: `;` between RDNs,
 * quoted values and unescaped spaces around separators. Comparing text (even lower-cased) instead
 * would let `CN=Administrator\,OU=Scoped,DC=contoso,DC=com` pass for a DN inside `OU=Scoped`.
 */

/** One RDN: its `type=value` pairs, normalised and sorted. */
type Rdn = readonly string[];

/** A DN from the leaf up; `[]` is the root (the empty DN). */
export type ParsedDn = readonly Rdn[];

const TYPE_CHAR = /[A-Za-z0-9.-]/;
/** Between RDNs (`,`, or `;` in RFC 2253) and between the pairs of one RDN (`+`). */
const SEPARATORS = ',;+';
const UTF8 = new TextDecoder('utf-8', { fatal: true });

class Cursor {
  readonly text: string;
  index = 0;
  constructor(text: string) {
    this.text = text;
  }
  /** The character at the cursor; a method, so TypeScript does not narrow it across moves. */
  char(): string | undefined {
    return this.text[this.index];
  }
  skipSpaces(): void {
    while (this.char() === ' ') this.index += 1;
  }
}

/** `\XX` (a hex byte) or `\c` (the character itself) at the cursor, which sits on the backslash. */
function readEscape(c: Cursor, out: number[]): boolean {
  const hex = /^[0-9A-Fa-f]{2}/.exec(c.text.slice(c.index + 1, c.index + 3));
  if (hex) {
    out.push(Number.parseInt(hex[0], 16));
    c.index += 3;
    return true;
  }
  const next = c.text.codePointAt(c.index + 1);
  if (next === undefined) return false;
  out.push(...Buffer.from(String.fromCodePoint(next), 'utf8'));
  c.index += next > 0xffff ? 3 : 2;
  return true;
}

function pushChar(c: Cursor, out: number[]): void {
  const point = c.text.codePointAt(c.index) ?? 0;
  out.push(...Buffer.from(String.fromCodePoint(point), 'utf8'));
  c.index += point > 0xffff ? 2 : 1;
}

/** A `"..."` value; the cursor sits on the opening quote. */
function readQuoted(c: Cursor): number[] | undefined {
  const out: number[] = [];
  c.index += 1;
  while (c.char() !== '"') {
    if (c.char() === undefined) return undefined;
    if (c.char() === '\\') {
      if (!readEscape(c, out)) return undefined;
    } else pushChar(c, out);
  }
  c.index += 1;
  c.skipSpaces();
  return out;
}

/** An unquoted value up to the next unescaped `,`, `;` or `+`; unescaped trailing spaces dropped. */
function readUnquoted(c: Cursor): number[] | undefined {
  const out: number[] = [];
  let significant = 0;
  for (let ch = c.char(); ch !== undefined && !SEPARATORS.includes(ch); ch = c.char()) {
    if (ch === '"') return undefined;
    if (ch === '\\') {
      if (!readEscape(c, out)) return undefined;
    } else {
      pushChar(c, out);
    }
    if (ch !== ' ') significant = out.length;
  }
  return out.slice(0, significant);
}

/** `type=value` at the cursor, normalised to lower case, or undefined when it does not parse. */
function readPair(c: Cursor): string | undefined {
  c.skipSpaces();
  const start = c.index;
  while (TYPE_CHAR.test(c.char() ?? '')) c.index += 1;
  const type = c.text.slice(start, c.index);
  c.skipSpaces();
  if (type === '' || c.char() !== '=') return undefined;
  c.index += 1;
  c.skipSpaces();
  const bytes = c.char() === '"' ? readQuoted(c) : readUnquoted(c);
  if (bytes === undefined) return undefined;
  try {
    return `${type.toLowerCase()}=${UTF8.decode(Uint8Array.from(bytes)).toLowerCase()}`;
  } catch {
    return undefined; // escaped bytes that are not UTF-8
  }
}

/** The DN's RDNs from the leaf up, normalised for comparison; undefined when `text` is not a DN. */
export function parseDn(text: string): ParsedDn | undefined {
  if (text.trim() === '') return [];
  const c = new Cursor(text);
  const rdns: string[][] = [[]];
  for (;;) {
    const pair = readPair(c);
    if (pair === undefined) return undefined;
    rdns[rdns.length - 1]?.push(pair);
    const separator = c.char();
    if (separator === undefined) break;
    if (!SEPARATORS.includes(separator)) return undefined; // text after a quoted value
    c.index += 1;
    if (separator !== '+') rdns.push([]);
  }
  return rdns.map((pairs) => pairs.sort());
}

function sameRdn(a: Rdn, b: Rdn): boolean {
  return a.length === b.length && a.every((pair, i) => pair === b[i]);
}

/** Whether both name the same entry. A text that does not parse equals nothing. */
export function sameDn(a: string, b: string): boolean {
  const x = parseDn(a);
  const y = parseDn(b);
  return x !== undefined && y !== undefined && x.length === y.length && x.every((rdn, i) => sameRdn(rdn, y[i] ?? []));
}

/** Whether `dn` is `base` or below it (what a subtree search from `base` can return). */
export function isWithinBase(dn: string, base: string): boolean {
  const entry = parseDn(dn);
  const root = parseDn(base);
  if (entry === undefined || root === undefined || entry.length < root.length) return false;
  const offset = entry.length - root.length;
  return root.every((rdn, i) => sameRdn(rdn, entry[offset + i] ?? []));
}
