/**
 * Unit: where a big partition of the active users is cut (rangeBoundaries) and the ranges it
 * becomes (subRanges). Properties checked with fast-check: whatever the sample, the ranges cover
 * every UPN of the partition, a UPN lies in two ranges only when it is their shared boundary, and
 * each boundary is strictly inside the range being cut (so every range is smaller than its parent).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RANGE_TARGET, rangeBoundaries, subRanges, type UpnRange } from '../../src/cloud-directory/snapshot.ts';

const within = (upn: string, r: UpnRange): boolean => (r.from === undefined || upn >= r.from) && (r.to === undefined || upn <= r.to);

describe('rangeBoundaries / subRanges', () => {
  it('cuts at the sample’s quantiles, about RANGE_TARGET users apart', () => {
    const sample = Array.from({ length: 999 }, (_, i) => `u${String(i).padStart(4, '0')}@contoso.com`);
    const boundaries = rangeBoundaries(sample, 4000, {});
    expect(boundaries).toHaveLength(Math.ceil(4000 / RANGE_TARGET) - 1);
    expect(boundaries).toEqual([...boundaries].sort());
    expect(boundaries[0]).toBe('u0199@contoso.com');
    expect(subRanges({}, boundaries)).toEqual([
      { to: 'u0199@contoso.com' },
      { from: 'u0199@contoso.com', to: 'u0399@contoso.com' },
      { from: 'u0399@contoso.com', to: 'u0599@contoso.com' },
      { from: 'u0599@contoso.com', to: 'u0799@contoso.com' },
      { from: 'u0799@contoso.com' },
    ]);
  });

  it('compares without case and keeps boundaries strictly inside the range being cut', () => {
    const boundaries = rangeBoundaries(['B@x', 'b@x', 'C@x', 'a@x', 'd@x', 'e@x'], 3000, { from: 'a@x', to: 'E@X' });
    expect(boundaries).toEqual(['b@x', 'c@x', 'd@x']);
  });

  it('cannot cut a range whose sample holds nothing strictly inside it', () => {
    expect(rangeBoundaries(['m@x', 'M@X'], 5000, { from: 'm@x' })).toEqual([]);
    expect(rangeBoundaries([], 5000, {})).toEqual([]);
  });

  it('property: the ranges cover every UPN, overlapping only at their shared boundaries', () => {
    const upn = fc.string({ unit: fc.constantFrom(..."abcz09._-@'".split('')), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(
        fc.uniqueArray(upn, { maxLength: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 20_000 }),
        (all, n, count) => {
          const sample = all.slice(0, n);
          const parent: UpnRange = {};
          const boundaries = rangeBoundaries(sample, count, parent);
          expect(new Set(boundaries).size).toBe(boundaries.length);
          const ranges = subRanges(parent, boundaries);
          expect(ranges).toHaveLength(boundaries.length + 1);
          for (const u of all) {
            const holders = ranges.filter((r) => within(u, r)).length;
            expect(holders).toBeGreaterThanOrEqual(1);
            if (holders > 1) expect(boundaries).toContain(u);
          }
        },
      ),
    );
  });

  it('property: cutting a range again stays inside it, and each piece leaves out part of the sample', () => {
    const upn = fc.string({ unit: fc.constantFrom(...'abcdef'.split('')), minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.uniqueArray(upn, { minLength: 2, maxLength: 200 }), (sample) => {
        const sorted = [...sample].sort();
        const range: UpnRange = { from: sorted[0], to: sorted.at(-1) };
        const boundaries = rangeBoundaries(sample, 10_000, range);
        for (const b of boundaries) expect(b > (range.from ?? '') && b < (range.to ?? '\uffff')).toBe(true);
        // A range that can be cut at all is cut into pieces each smaller than itself (no endless splitting).
        if (boundaries.length > 0)
          for (const piece of subRanges(range, boundaries))
            expect(sample.filter((u) => within(u, piece)).length).toBeLessThan(sample.length);
      }),
    );
  });
});
