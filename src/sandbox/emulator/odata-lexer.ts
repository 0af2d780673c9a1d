/**
 * Tokens of an OData `$filter` (after percent-decoding). String literals are single-quoted with
 * `''` standing for one quote; anything else in a literal is data, never syntax.
 */
import { graphErrors } from './graph-errors.ts';

export type Token =
  | { kind: 'lparen' | 'rparen' | 'slash' | 'colon' | 'comma' | 'end'; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'number'; value: string; pos: number };

const PUNCTUATION: Record<string, 'lparen' | 'rparen' | 'slash' | 'colon' | 'comma'> = {
  '(': 'lparen',
  ')': 'rparen',
  '/': 'slash',
  ':': 'colon',
  ',': 'comma',
};

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_.$]/;
const NUMBER = /[0-9.-]/;

export function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (PUNCTUATION[ch]) {
      tokens.push({ kind: PUNCTUATION[ch], pos: i });
      i++;
    } else if (ch === "'") {
      const literal = readString(filter, i);
      tokens.push({ kind: 'string', value: literal.value, pos: i });
      i = literal.next;
    } else if (IDENT_START.test(ch)) {
      const start = i;
      while (i < filter.length && IDENT_PART.test(filter.charAt(i))) i++;
      tokens.push({ kind: 'ident', value: filter.slice(start, i), pos: start });
    } else if (NUMBER.test(ch)) {
      const start = i;
      while (i < filter.length && NUMBER.test(filter.charAt(i))) i++;
      tokens.push({ kind: 'number', value: filter.slice(start, i), pos: start });
    } else {
      throw graphErrors.filterSyntax(`Syntax error: character '${ch}' is not valid`, i, filter);
    }
  }
  tokens.push({ kind: 'end', pos: filter.length });
  return tokens;
}

/** Read a quoted literal starting at `start` (the opening quote); `''` is an escaped quote. */
function readString(filter: string, start: number): { value: string; next: number } {
  let value = '';
  let i = start + 1;
  while (i < filter.length) {
    const ch = filter.charAt(i);
    if (ch !== "'") {
      value += ch;
      i++;
    } else if (filter.charAt(i + 1) === "'") {
      value += "'";
      i += 2;
    } else {
      return { value, next: i + 1 };
    }
  }
  throw graphErrors.filterSyntax('There is an unterminated string literal', start, filter);
}
