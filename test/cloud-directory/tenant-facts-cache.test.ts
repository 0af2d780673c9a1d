/**
 * Unit: the tenant-facts cache with a fake fetch and clock: TTL, one shared in-flight fetch,
 * failures not cached.
 */
import { describe, expect, it } from 'vitest';
import { createDeadline } from '../../src/cloud-directory/deadline.ts';
import { createTenantFactsCache } from '../../src/cloud-directory/tenant-facts.ts';
import type { TenantFacts } from '../../src/domain/cloud.ts';

const D = createDeadline(60_000);
const facts = (initialDomain: string): TenantFacts => ({
  initialDomain,
  domains: [],
  switches: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true },
  roleHolders: {},
});

describe('createTenantFactsCache', () => {
  it('fetches once per TTL', async () => {
    let now = 0;
    let fetches = 0;
    const cache = createTenantFactsCache({ fetch: () => Promise.resolve(facts(`t${++fetches}`)), ttlMs: 100, now: () => now });
    expect((await cache.get(D)).initialDomain).toBe('t1');
    now = 99;
    expect((await cache.get(D)).initialDomain).toBe('t1');
    now = 100;
    expect((await cache.get(D)).initialDomain).toBe('t2');
    expect(fetches).toBe(2);
  });

  it('shares one in-flight fetch between concurrent callers', async () => {
    let fetches = 0;
    let release: (f: TenantFacts) => void = () => undefined;
    const cache = createTenantFactsCache({
      fetch: () => {
        fetches++;
        return new Promise<TenantFacts>((resolve) => (release = resolve));
      },
      ttlMs: 100,
      now: () => 0,
    });
    const all = Promise.all([cache.get(D), cache.get(D), cache.get(D)]);
    release(facts('shared'));
    expect((await all).map((f) => f.initialDomain)).toEqual(['shared', 'shared', 'shared']);
    expect(fetches).toBe(1);
  });

  it('does not cache a failure: the next call fetches again', async () => {
    let fetches = 0;
    const cache = createTenantFactsCache({
      fetch: () => (++fetches === 1 ? Promise.reject(new Error('Graph down')) : Promise.resolve(facts('ok'))),
      ttlMs: 100,
      now: () => 0,
    });
    await expect(cache.get(D)).rejects.toThrow('Graph down');
    expect((await cache.get(D)).initialDomain).toBe('ok');
    expect(fetches).toBe(2);
  });
});
