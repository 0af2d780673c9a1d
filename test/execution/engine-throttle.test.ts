/**
 * A step Graph kept throttling past its deadline (CLOUD_THROTTLED), or did not answer
 * (CLOUD_UNAVAILABLE): a bulk engine (`releaseTransient`) gives the request back instead of
 * failing it (approved again, the step left started, throttled: not to be claimed before Graph's
 * Retry-After, its trail saying so), and whoever claims it next finishes it without writing
 * anything twice; a single `match` fails as before.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import { createEngine, DEFAULT_THROTTLED_RETRY_MS } from '../../src/execution/engine.ts';
import { CloudError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { BEN, requested } from '../domain/approval/builders.ts';
import type { FakeCloud } from './fake-cloud.ts';
import { ANCHOR, target, tenantBeforePlan, WRITE_STEPS } from './purge-and-set.ts';

const logger = createLogger({ level: 'silent' });
/** A bulk user's own steps: its writes (the wave syncs and verifies). */
const STEPS = WRITE_STEPS;

const throttled = (retryAfterMs: number | null) =>
  new CloudError(
    'CLOUD_THROTTLED',
    'Microsoft Graph kept throttling the request to set the ImmutableID (429 TooManyRequests: slow down).',
    {
      status: 429,
      graphCode: 'TooManyRequests',
      graphMessage: 'slow down',
      retryAfterMs,
    },
  );

let store: RequestStore;
let cloud: FakeCloud;
let clock: number;

beforeEach(() => {
  store = createSqliteStore(':memory:');
  clock = Date.UTC(2026, 11, 1, 15, 0, 0);
  cloud = tenantBeforePlan();
});

function engine(owner: string, releaseTransient: boolean) {
  return createEngine({
    store,
    audit: createAuditTrail(store, logger),
    steps: { cloud, sync: { triggerSync: () => Promise.reject(new Error('no sync')) } },
    owner,
    logger,
    now: () => clock,
    leaseMs: 1000,
    ...(releaseTransient ? { releaseTransient } : {}),
  });
}

async function approved(): Promise<ApprovalRequest> {
  const request = requested({
    state: 'approved',
    approvals: [{ actor: BEN, at: clock }],
    steps: STEPS,
    records: STEPS.map((s) => ({ number: s.number, status: 'pending' })),
    bulkOf: 'bulk01',
  });
  expect(await store.create(request)).toBe(true);
  return request;
}

const entries = (id: string) => createAuditTrail(store, logger).read(id);

describe('a step Graph kept throttling past its deadline', () => {
  it('releases a bulk user instead of failing it: approved again, the step left started, its trail saying when it comes back', async () => {
    const request = await approved();
    cloud.failNext('setImmutableId', throttled(15_000));
    expect(await engine('a', true).run(request.id)).toBe('released');
    const after = (await store.get(request.id))?.value;
    expect(after).toMatchObject({ state: 'approved', released: { cause: 'throttled', until: clock + 15_000, code: 'TooManyRequests' } });
    expect(after?.lease).toBeUndefined();
    expect(after?.records.map((r) => r.status)).toEqual(['done', 'started']);
    const trail = await entries(request.id);
    const requeued = trail?.entries.find((e) => e.action === 'step-requeued');
    expect(requeued).toMatchObject({ code: 'CLOUD_THROTTLED', step: { number: 2, kind: 'SET_ANCHOR' } });
    expect(requeued?.summary).toContain("tried again in 15 s (Graph's Retry-After)");
    expect(trail?.entries.some((e) => e.action === 'failed' || e.action === 'step-failed')).toBe(false);

    // Claimed again once the quota allows: the started step reads Graph first, then writes once; the purge is not repeated.
    clock += 15_000;
    expect(await engine('b', true).run(request.id)).toBe('done');
    const done = (await store.get(request.id))?.value;
    expect(done?.records.map((r) => r.status)).toEqual(['done', 'done']);
    expect(cloud.users.get(target.userId)?.immutableId).toBe(ANCHOR);
    expect(cloud.writes().map((w) => w.op)).toEqual(['purgeDeletedUser', 'setImmutableId', 'setImmutableId']);
    expect((await entries(request.id))?.verdict.ok).toBe(true);
  });

  it('an irreversible step whose earlier attempt took effect before the 429s is resolved by reading Graph, never sent twice', async () => {
    const request = await approved();
    const purge = cloud.purgeDeletedUser.bind(cloud);
    let purges = 0;
    cloud.purgeDeletedUser = async (userId) => {
      purges += 1;
      await purge(userId);
      // The DELETE reached Graph, its answer was lost, and every try after it was throttled.
      if (purges === 1) {
        cloud.users.delete(userId);
        throw throttled(null);
      }
    };
    expect(await engine('a', true).run(request.id)).toBe('released');
    expect((await store.get(request.id))?.value).toMatchObject({
      state: 'approved',
      released: { cause: 'throttled', until: clock + DEFAULT_THROTTLED_RETRY_MS },
    });
    clock += DEFAULT_THROTTLED_RETRY_MS;
    expect(await engine('b', true).run(request.id)).toBe('done');
    expect(purges).toBe(1);
    const step1 = (await store.get(request.id))?.value.records[0];
    expect(step1?.detail).toContain('took effect');
  });

  it('a write Graph did not answer (its outcome unknown) is released too, and not sent again once it is found in place', async () => {
    const request = await approved();
    const set = cloud.setImmutableId.bind(cloud);
    let sets = 0;
    cloud.setImmutableId = async (userId, immutableId) => {
      sets += 1;
      await set(userId, immutableId);
      // The PATCH took effect; its answer, and every read after it, never came back before the deadline.
      if (sets === 1)
        throw new CloudError(
          'CLOUD_UNAVAILABLE',
          'Microsoft Graph did not answer the request to set the ImmutableID after 3 attempts (no response).',
        );
    };
    expect(await engine('a', true).run(request.id)).toBe('released');
    const after = (await store.get(request.id))?.value;
    expect(after).toMatchObject({ state: 'approved', released: { cause: 'unavailable', until: clock, code: 'CLOUD_UNAVAILABLE' } });
    expect(after?.records.map((r) => r.status)).toEqual(['done', 'started']);
    const requeued = (await entries(request.id))?.entries.find((e) => e.action === 'step-requeued');
    expect(requeued).toMatchObject({ code: 'CLOUD_UNAVAILABLE' });
    expect(requeued?.summary).toContain('this counts toward the poison limit');
    expect(await engine('b', true).run(request.id)).toBe('done');
    expect(sets).toBe(1);
    expect((await store.get(request.id))?.value.records[1]?.detail).toContain('nothing was written');
  });

  it('a single match (no release) fails the step as before: an admin is waiting for it', async () => {
    const request = await approved();
    cloud.failNext('setImmutableId', throttled(15_000));
    expect(await engine('a', false).run(request.id)).toBe('failed');
    expect((await store.get(request.id))?.value.records[1]).toMatchObject({ status: 'failed', code: 'TooManyRequests' });
  });
});
