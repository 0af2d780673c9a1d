/**
 * Unit: the one quoting helper, with hostile input. What is checked is what matters: after a
 * server decodes the query string the way Graph (and the emulator) does and parses the filter,
 * the literal is exactly the value we quoted, whatever it holds; and the encoded text has no
 * character that could end the option, the literal or the URL early.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyEqFilter, collectionUrl, eqFilter, odataFilterValue, odataString, pathSegment } from '../../src/cloud-directory/odata.ts';
import { InputError } from '../../src/errors/index.ts';
import { parseFilter, type FilterNode } from '../../src/sandbox/emulator/odata-filter.ts';
import { USER_FILTER_SCHEMA } from '../../src/sandbox/emulator/routes/user-queries.ts';

/** Decode as a server does (URLSearchParams: %XX, and a bare '+' is a space), then parse. */
function serverSees(url: string): { filter: string; node: FilterNode } {
  const query = new URLSearchParams(url.slice(url.indexOf('?') + 1));
  const filter = query.get('$filter') ?? '';
  return { filter, node: parseFilter(filter, USER_FILTER_SCHEMA) };
}

function literalOf(node: FilterNode): string | null | undefined {
  if (node.kind === 'eq') return node.values[0];
  if (node.kind === 'any' && node.body.kind === 'eq') return node.body.values[0];
  return undefined;
}

const HOSTILE = [
  "o'brien@contoso.com",
  "' or 1 eq 1 or '",
  "'')) or (mail eq '",
  'a&b#c%d',
  '%27%20or%20%27',
  'Zoë Ødegård 日本 🙂',
  'x\u0000y\u001f\u007f',
  '++++////AQIDBAUGBwgJCg==',
  'https://evil.example/?$filter=x',
  'a'.repeat(5_000),
];

describe('odataString', () => {
  it('doubles single quotes inside single quotes', () => {
    expect(odataString("o'brien")).toBe("'o''brien'");
    expect(odataString("' or 1 eq 1 or '")).toBe("''' or 1 eq 1 or '''");
    expect(odataString('')).toBe("''");
  });

  it('refuses a lone surrogate (it has no UTF-8 form) with an InputError', () => {
    expect(() => odataString('x\uD800y')).toThrow(InputError);
    expect(() => odataFilterValue('x\uDC00')).toThrow(InputError);
  });
});

describe('odataFilterValue', () => {
  it('percent-encodes what a query string would misread', () => {
    expect(odataFilterValue("onPremisesImmutableId eq 'ab+/cd=='")).toBe("onPremisesImmutableId%20eq%20'ab%2B%2Fcd%3D%3D'");
    expect(odataFilterValue('a&b#c%d')).toBe('a%26b%23c%25d');
    expect(odataFilterValue('Zoë')).toBe('Zo%C3%AB');
    expect(odataFilterValue('\u0000')).toBe('%00');
  });

  it.each(HOSTILE)('round-trips %j exactly through a server decode and the filter parser', (value) => {
    for (const filter of [eqFilter('mail', value), anyEqFilter('proxyAddresses', `smtp:${value}`)]) {
      const url = collectionUrl('/users', { filter, select: ['id', 'mail'], top: 999, count: true });
      // Nothing raw that would end the URL, start an option, read as a space or pass for a host.
      expect(url).not.toMatch(/[#+\s]|:\/\//u);
      expect(url.split('&')).toHaveLength(4);
      const sees = serverSees(url);
      expect(sees.filter).toBe(filter);
      expect(literalOf(sees.node)).toBe(filter.startsWith('mail') ? value : `smtp:${value}`);
    }
  });

  it('round-trips any well-formed string (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (value) => {
        const url = collectionUrl('/users', { filter: eqFilter('userPrincipalName', value) });
        const sees = serverSees(url);
        expect(literalOf(sees.node)).toBe(value);
        const options = [...new URLSearchParams(url.slice(url.indexOf('?') + 1)).keys()];
        expect(options).toEqual(['$filter']);
      }),
      { numRuns: 500 },
    );
  });
});

describe('collectionUrl / pathSegment', () => {
  it('writes the options Graph needs, in a stable order', () => {
    expect(collectionUrl('/users', { filter: "mail eq 'a'", select: ['id', 'mail'], top: 999, count: true })).toBe(
      "/users?$filter=mail%20eq%20'a'&$select=id%2Cmail&$top=999&$count=true",
    );
    expect(collectionUrl('/domains', {})).toBe('/domains');
  });

  it('keeps a hostile id or UPN one path segment', () => {
    expect(pathSegment('../x/y?z#w')).toBe('..%2Fx%2Fy%3Fz%23w');
    expect(pathSegment("o'brien@contoso.com")).toBe("o'brien%40contoso.com");
  });
});
