/**
 * One deadline per command bounds all its Graph calls together: under heavy throttling every read
 * still completes (429 retried as long as Retry-After fits), a frozen Graph answers
 * CLOUD_UNAVAILABLE by the deadline, and calls sharing a deadline share what is left of it.
 * Against the emulator over HTTPS (seeded PRNG) and a TCP server that never answers.
 */
import { describe, expect, it } from 'vitest';
import { createDeadline } from '../../src/cloud-directory/deadline.ts';
import { attemptLimitMs } from '../../src/cloud-directory/graph-transport.ts';
import { seededRandom } from '../../src/sandbox/emulator/prng.ts';
import { CloudError } from '../../src/errors/index.ts';
import { startFrozenServer } from '../support/frozen-server.ts';
import { AD } from './fixtures.ts';
import { perTestClouds, rejectionOf } from './harness.ts';

const { cloud, defer } = perTestClouds();

async function frozenUrl(): Promise<string> {
  const frozen = await startFrozenServer();
  defer(() => frozen.close());
  return frozen.url;
}

async function cloudError(promise: Promise<unknown>): Promise<CloudError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

describe('Graph deadline', () => {
  it('completes all 24 evidence reads under 50 % throttling (Retry-After: 1) with the right result', { timeout: 60_000 }, async () => {
    const calm = await cloud({});
    const tenant = await calm.directory.tenantFacts();
    const expected = await calm.directory.evidenceFor(AD.jdoe, { tenant });
    // The production retry policy and deadline, not the harness's short test policy.
    const h = await cloud({ emulator: { throttleRate: 0.5, random: seededRandom(42) }, directory: { retry: {}, graphTimeoutMs: 20_000 } });
    const reads = Array.from({ length: 24 }, async () => {
      const deadline = h.directory.startDeadline();
      return h.directory.evidenceFor(AD.jdoe, { tenant: await h.directory.tenantFacts(deadline) }, deadline);
    });
    const results = await Promise.allSettled(reads);
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failed).toEqual([]);
    for (const r of results) if (r.status === 'fulfilled') expect(r.value).toEqual(expected);
  });

  it('answers CLOUD_UNAVAILABLE by the deadline when Graph accepts connections and never answers', { timeout: 20_000 }, async () => {
    const h = await cloud({});
    const directory = h.directoryWith({ graphBaseUrl: await frozenUrl(), retry: {}, graphTimeoutMs: 1_500 });
    const started = Date.now();
    const err = await cloudError(directory.findUser('jdoe@contoso.com'));
    const elapsed = Date.now() - started;
    expect(err.code).toBe('CLOUD_UNAVAILABLE');
    expect(err.message).toContain('did not answer the request to look up the cloud user jdoe@contoso.com within 1.5 s');
    // It stops once no further try fits (MIN_ATTEMPT_MS before the deadline), never after it.
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(1_500 + 1_500);
  });

  it('shares one deadline between the calls of a command: a later call gets only what is left', { timeout: 20_000 }, async () => {
    const h = await cloud({});
    const directory = h.directoryWith({ graphBaseUrl: await frozenUrl(), retry: {}, graphTimeoutMs: 1_200 });
    const deadline = directory.startDeadline();
    expect((await cloudError(directory.tenantFacts(deadline))).code).toBe('CLOUD_UNAVAILABLE');
    const started = Date.now();
    const err = await cloudError(directory.findUser('jdoe@contoso.com', deadline));
    expect(err.code).toBe('CLOUD_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(600);
  });
});

describe('createDeadline / attemptLimitMs', () => {
  it('counts down on the injected clock and never goes below zero', () => {
    let now = 1_000;
    const deadline = createDeadline(20_000, () => now);
    expect(deadline.remainingMs()).toBe(20_000);
    now += 19_000;
    expect(deadline.remainingMs()).toBe(1_000);
    now += 5_000;
    expect(deadline.remainingMs()).toBe(0);
    expect(() => createDeadline(0)).toThrow(RangeError);
  });

  it('gives one attempt a third of the budget, never less than the minimum', () => {
    expect(attemptLimitMs({ budgetMs: 20_000 })).toBe(6_667);
    expect(attemptLimitMs({ budgetMs: 300 })).toBe(250);
  });
});
