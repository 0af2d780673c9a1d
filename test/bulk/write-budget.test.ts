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
});
