import { describe, expect, it } from 'vitest';
import { createWriteBudget } from '../../src/bulk/write-budget.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';

describe('the shared write budget', () => {
  it('two instances on one store together never pass the rate', async () => {
    const store = createSqliteStore(':memory:');
    let clock = 1_000_000;
    const sleep = (ms: number) => {
      clock += ms;
      return Promise.resolve();
    };
    const a = createWriteBudget({ store, tenantId: 't', perSecond: 10, now: () => clock, sleep });
    const b = createWriteBudget({ store, tenantId: 't', perSecond: 10, now: () => clock, sleep });
    const taken: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      await (i % 2 === 0 ? a : b).take();
      taken.push(clock);
    }
    // One second's worth at once (the burst), then 10 a second: 40 writes need at least 3 seconds.
    expect(clock - 1_000_000).toBeGreaterThanOrEqual(2_900);
    for (let i = 20; i < taken.length; i += 1) expect((taken[i] ?? 0) - (taken[i - 10] ?? 0)).toBeGreaterThanOrEqual(990);
    await store.close();
  });

  it('writers waiting at once each reserve their turn with one write, never polling the bucket', async () => {
    const store = createSqliteStore(':memory:');
    const counts = { gets: 0, puts: 0 };
    const counted = {
      getSetting: <T>(key: string) => {
        counts.gets += 1;
        return store.getSetting<T>(key);
      },
      putSetting: <T>(key: string, value: T, version?: string) => {
        counts.puts += 1;
        return store.putSetting(key, value, version);
      },
    };
    const budget = createWriteBudget({ store: counted, tenantId: 't', perSecond: 20 });
    const started = Date.now();
    const done: number[] = [];
    await Promise.all(Array.from({ length: 30 }, () => budget.take().then(() => done.push(Date.now() - started))));
    // 20 at once (the burst), then 20 a second: the 30th about half a second later.
    expect(Math.max(...done)).toBeGreaterThanOrEqual(450);
    // Never ahead of the rate: the n-th write no sooner than the burst and 20 a second allow.
    done.sort((x, y) => x - y);
    for (const [i, ms] of done.entries()) expect(i + 1).toBeLessThanOrEqual(21 + (ms * 20) / 1000);
    // Every read was followed by a write attempt: nobody read the bucket just to wait again.
    expect(counts.gets).toBe(counts.puts);
    await store.close();
  });
});
