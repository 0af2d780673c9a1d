/**
 * Unit: the $filter parser and evaluator, with hostile input. The properties checked with
 * fast-check: any value, quoted the OData way, matches exactly itself; arbitrary garbage is
 * refused with a Graph 400, never a crash or a match.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphServiceError } from '../../../src/sandbox/emulator/graph-errors.ts';
import { matchesFilter, parseFilter, type FilterValue } from '../../../src/sandbox/emulator/odata-filter.ts';
import { USER_FILTER_SCHEMA } from '../../../src/sandbox/emulator/routes/user-queries.ts';

const quote = (v: string): string => `'${v.replaceAll("'", "''")}'`;

function user(values: Partial<Record<string, FilterValue>>): (p: string) => FilterValue {
  return (p) => values[p] ?? null;
}

function matches(filter: string, values: Partial<Record<string, FilterValue>>): boolean {
  return matchesFilter(parseFilter(filter, USER_FILTER_SCHEMA), user(values));
}

function refusal(filter: string): { status: number; code: string; message: string } {
  try {
    parseFilter(filter, USER_FILTER_SCHEMA);
  } catch (err) {
    if (err instanceof GraphServiceError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  throw new Error(`expected ${filter} to be refused`);
}

describe('parseFilter / matchesFilter', () => {
  it('compares UPN and mail case-insensitively, the ImmutableID exactly', () => {
    expect(matches("userPrincipalName eq 'JDoe@Contoso.com'", { userPrincipalName: 'jdoe@contoso.com' })).toBe(true);
    expect(matches("onPremisesImmutableId eq 'AbC=='", { onPremisesImmutableId: 'AbC==' })).toBe(true);
    expect(matches("onPremisesImmutableId eq 'abc=='", { onPremisesImmutableId: 'AbC==' })).toBe(false);
  });

  it('reads doubled quotes as one quote and keeps every other character as data', () => {
    expect(matches("userPrincipalName eq 'o''brien@contoso.com'", { userPrincipalName: "o'brien@contoso.com" })).toBe(true);
    const hostile = "a' or '1'='1 ) and (x eq 'y' # & % + / \\ 日本";
    expect(matches(`mail eq ${quote(hostile)}`, { mail: hostile })).toBe(true);
    expect(matches(`mail eq ${quote(hostile)}`, { mail: 'a' })).toBe(false);
  });

  it('evaluates any() over proxy addresses, with eq, startswith, or', () => {
    const proxies = { proxyAddresses: ['SMTP:jdoe@contoso.com', 'smtp:jane@contoso.com'] };
    expect(matches("proxyAddresses/any(p:p eq 'smtp:JDOE@contoso.com')", proxies)).toBe(true);
    expect(matches("proxyAddresses/any (x: startswith(x, 'smtp:jane'))", proxies)).toBe(true);
    expect(matches("proxyAddresses/any(p:p eq 'smtp:x@y' or p eq 'smtp:jane@contoso.com')", proxies)).toBe(true);
    expect(matches("proxyAddresses/any(p:p eq 'smtp:nobody@contoso.com')", proxies)).toBe(false);
    expect(matches("proxyAddresses/any(p:p eq 'smtp:jdoe@contoso.com')", { proxyAddresses: [] })).toBe(false);
  });

  it('gives and precedence over or, and honours parentheses', () => {
    const u = { mail: 'a', userPrincipalName: 'b', displayName: 'c' };
    expect(matches("mail eq 'x' and userPrincipalName eq 'b' or displayName eq 'c'", u)).toBe(true);
    expect(matches("mail eq 'x' and (userPrincipalName eq 'b' or displayName eq 'c')", u)).toBe(false);
  });

  it('supports eq null and in (...)', () => {
    expect(matches('mail eq null', { mail: null })).toBe(true);
    expect(matches('mail eq null', { mail: 'a' })).toBe(false);
    expect(matches("userPrincipalName in ('a@x', 'B@X')", { userPrincipalName: 'b@x' })).toBe(true);
  });

  it('accepts keywords and property names in any case', () => {
    expect(matches("USERPRINCIPALNAME EQ 'a' OR Mail Eq 'b'", { mail: 'b' })).toBe(true);
  });

  it.each([
    ["mail ne 'x'", 'Request_UnsupportedQuery'],
    ["mail gt 'x'", 'Request_UnsupportedQuery'],
    ["not (mail eq 'x')", 'Request_UnsupportedQuery'],
    ["endswith(mail, 'x')", 'Request_UnsupportedQuery'],
    ["contains(mail, 'x')", 'Request_UnsupportedQuery'],
    ["startswith(onPremisesImmutableId, 'x')", 'Request_UnsupportedQuery'],
    ["onPremisesSamAccountName eq 'x'", 'Request_UnsupportedQuery'],
    ["proxyAddresses eq 'smtp:x'", 'Request_UnsupportedQuery'],
    ["proxyAddresses/all(p:p eq 'x')", 'Request_UnsupportedQuery'],
    ["proxyAddresses/any(p:q eq 'x')", 'Request_UnsupportedQuery'],
    ["manager/id eq 'x'", 'Request_UnsupportedQuery'],
    ["mail eq 'x", 'BadRequest'],
    ["mail eq 'x' and", 'BadRequest'],
    ["mail eq 'x')", 'BadRequest'],
    ["(mail eq 'x'", 'BadRequest'],
    ["'x' eq mail", 'BadRequest'],
    ['mail eq 1', 'BadRequest'],
    ['mail eq', 'BadRequest'],
    ['', 'BadRequest'],
    ["mail eq 'x'; drop table users", 'BadRequest'],
    ['proxyAddresses/any(p:p eq null)', 'BadRequest'],
  ])('refuses %j with 400 %s', (filter, code) => {
    expect(refusal(filter)).toMatchObject({ status: 400, code });
  });

  it('compares ge / le on the UPN, mail and display name, without case, in an advanced query only', () => {
    const advanced = (filter: string, values: Partial<Record<string, FilterValue>>): boolean =>
      matchesFilter(parseFilter(filter, USER_FILTER_SCHEMA, { advanced: true }), user(values));
    const range = "startswith(userPrincipalName,'j') and userPrincipalName ge 'JB' and userPrincipalName le 'jd@x'";
    expect(advanced(range, { userPrincipalName: 'jb@x' })).toBe(true);
    expect(advanced(range, { userPrincipalName: 'JC@X' })).toBe(true);
    expect(advanced(range, { userPrincipalName: 'jd@x' })).toBe(true);
    expect(advanced(range, { userPrincipalName: 'ja@x' })).toBe(false);
    expect(advanced(range, { userPrincipalName: 'jd@y' })).toBe(false);
    expect(advanced("mail ge 'm'", { mail: null })).toBe(false);
    expect(advanced("displayName le 'b'", { displayName: 'Adam' })).toBe(true);
    // Not without ConsistencyLevel: eventual and $count=true, and never on a property Graph does not list.
    expect(refusal("userPrincipalName ge 'a'")).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery' });
    for (const filter of [
      "onPremisesImmutableId ge 'a'",
      "proxyAddresses/any(p:p ge 'a')",
      "userPrincipalName gt 'a'",
      'userPrincipalName ge null',
    ]) {
      expect(() => parseFilter(filter, USER_FILTER_SCHEMA, { advanced: true })).toThrow(GraphServiceError);
    }
  });

  it('says where an unterminated literal starts, in Graph’s wording', () => {
    expect(refusal("mail eq 'x").message).toBe(
      "Invalid filter clause: There is an unterminated string literal at position 8 in 'mail eq 'x'.",
    );
  });

  it('refuses deep nesting instead of overflowing the stack', () => {
    const deep = `${'('.repeat(5000)}mail eq 'x'${')'.repeat(5000)}`;
    expect(refusal(deep)).toMatchObject({ status: 400, code: 'BadRequest' });
  });

  it('property: any string, quoted the OData way, matches exactly itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (value, other) => {
        const filter = `onPremisesImmutableId eq ${quote(value)}`;
        expect(matches(filter, { onPremisesImmutableId: value })).toBe(true);
        expect(matches(filter, { onPremisesImmutableId: other })).toBe(other === value);
      }),
    );
  });

  it('property: arbitrary input is either parsed or refused with a Graph 400, never anything else', () => {
    const alphabet = fc.constantFrom(..."()/:,' eqandorany p mail userPrincipalName proxyAddresses x 1 null startswith ".split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 60 })), (input) => {
        try {
          parseFilter(input, USER_FILTER_SCHEMA);
        } catch (err) {
          expect(err).toBeInstanceOf(GraphServiceError);
          expect((err as GraphServiceError).status).toBe(400);
        }
      }),
    );
  });
});
