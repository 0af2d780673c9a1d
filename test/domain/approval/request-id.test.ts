import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRequestId, newRequestId, parseRequestId, REQUEST_ID_ALPHABET } from '../../../src/domain/approval/request-id.ts';

const bytesOf = (values: number[]) => () => Uint8Array.from(values);

describe('newRequestId', () => {
  it('is six characters, a letter first, without look-alikes, and valid', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), (bytes) => {
        const id = newRequestId(() => bytes);
        expect(id).toMatch(/^[a-z][a-z2-9]{5}$/);
        expect(id).not.toMatch(/[01oli]/);
        expect(isRequestId(id)).toBe(true);
      }),
    );
  });

  it('is the same for the same bytes and maps them through the alphabet', () => {
    expect(newRequestId(bytesOf(new Array<number>(24).fill(0)))).toBe('aaaaaa');
    // 0xffffffff % 23 = 11 -> "n"; % 31 = 3 -> "d".
    expect(newRequestId(bytesOf(new Array<number>(24).fill(255)))).toBe('nddddd');
  });

  it('reaches every character of the alphabet from real random bytes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) for (const c of newRequestId((n) => randomBytes(n))) seen.add(c);
    expect([...seen].sort().join('')).toBe([...REQUEST_ID_ALPHABET].sort().join(''));
  });

  it('refuses a random source that gives too few bytes', () => {
    expect(() => newRequestId(() => new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('parseRequestId / isRequestId', () => {
  it('accepts any case and spaces around, normalised to lower case', () => {
    expect(parseRequestId('  R7K3Q9 ')).toBe('r7k3q9');
    expect(isRequestId('r7k3q9')).toBe(true);
  });

  it.each(['', '7rk3q9', 'r7k3q', 'r7k3q99', 'r0k3q9', 'rok3q9', 'r1k3q9', 'rlk3q9', 'rik3q9', 'r7k-q9', 'r7 k3q9', 'match jdoe'])(
    'refuses %j',
    (text) => {
      expect(parseRequestId(text)).toBeNull();
      expect(isRequestId(text)).toBe(false);
    },
  );
});
