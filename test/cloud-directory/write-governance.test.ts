/**
 * Write governance against the emulator's write quota: a directory made for bulk work marks its
 * writes (and reads) `x-ms-throttle-priority: low` and the one `match` uses does not; a write the
 * quota refuses (429) is sent again after Graph's Retry-After, and lands once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { C } from './fixtures.ts';
import { startCloud, type CloudHarness } from './harness.ts';

let h: CloudHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('write governance', () => {
  it('bulk writes say x-ms-throttle-priority: low; a single match fix does not', async () => {
    h = await startCloud();
    await h.directoryWith({ priority: 'low' }).setImmutableId(C.jane, 'AAAAAAAAAAAAAAAAAAAAAA==');
    await h.directory.setImmutableId(C.zoe, 'BBBBBBBBBBBBBBBBBBBBBA==');
    expect(h.emulator.state.graphWrites().map((w) => [w.path, w.priority])).toEqual([
      [`/users/${C.jane}`, 'low'],
      [`/users/${C.zoe}`, undefined],
    ]);
  });

  it("a write beyond the quota is sent again after Graph's Retry-After and lands once", async () => {
    h = await startCloud({ emulator: { writeQuota: { writes: 1, windowSeconds: 2 } } });
    const bulk = h.directoryWith({ priority: 'low' });
    await bulk.setImmutableId(C.jane, 'AAAAAAAAAAAAAAAAAAAAAA==');
    const started = Date.now();
    await bulk.setImmutableId(C.zoe, 'BBBBBBBBBBBBBBBBBBBBBA==');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect([...h.emulator.quotaRefusals().values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(h.emulator.state.graphWrites().filter((w) => w.path === `/users/${C.zoe}`)).toHaveLength(1);
  });
});
