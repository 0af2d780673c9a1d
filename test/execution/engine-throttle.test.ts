/**
 * A step Graph kept throttling past its deadline (CLOUD_THROTTLED): a bulk engine
 * (`releaseThrottled`) gives the request back instead of failing it (approved again, the step left
 * started, not to be claimed before Graph's Retry-After, its trail saying so), and whoever claims
 * it next finishes it without writing anything twice; a single `match` fails as before.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { createEngine, DEFAULT_THROTTLED_RETRY_MS } from '../../src/execution/engine.ts';
import { CloudError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { BEN, requested } from '../domain/approval/builders.ts';
import { cloudUser, fakeCloud, type FakeCloud } from './fake-cloud.ts';

const logger = createLogger({ level: 'silent' });
const ANCHOR = 'g8Pclm4vok+vFWtMERklmg==';
const target = { userId: '11111111-1111-4111-8111-111111111111', userPrincipalName: 'jdoe@contoso.com' };
const holder = { userId: '22222222-2222-4222-8222-222222222222', userPrincipalName: 'jdoe-old@contoso.com' };

/** A bulk user's own steps: its writes (the wave syncs and verifies). */
const STEPS: PlanStep[] = [
  {
    number: 1,
    irreversible: true,
    description: 'Purge the deleted holder',
    kind: 'PURGE_DELETED_USER',
    subject: holder,
    immutableId: ANCHOR,
  },
  {
    number: 2,
    irreversible: false,
    description: 'Set the anchor',
    kind: 'SET_ANCHOR',
    subject: target,
    immutableId: ANCHOR,
    previous: null,
  },
];

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
  cloud = fakeCloud([
    cloudUser({ id: target.userId, userPrincipalName: target.userPrincipalName, immutableId: null }),
    cloudUser({
      id: holder.userId,
      userPrincipalName: holder.userPrincipalName,
      immutableId: ANCHOR,
      deletedDateTime: '2026-11-20T10:00:00Z',
    }),
  ]);
});

function engine(owner: string, releaseThrottled: boolean) {
  return createEngine({
    store,
    audit: createAuditTrail(store, logger),
    steps: { cloud, sync: { triggerSync: () => Promise.reject(new Error('no sync')) } },
    owner,
    logger,
    now: () => clock,
    leaseMs: 1000,
    ...(releaseThrottled ? { releaseThrottled } : {}),
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
    expect(after).toMatchObject({ state: 'approved', retryAt: clock + 15_000 });
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
    expect((await store.get(request.id))?.value).toMatchObject({ state: 'approved', retryAt: clock + DEFAULT_THROTTLED_RETRY_MS });
    clock += DEFAULT_THROTTLED_RETRY_MS;
    expect(await engine('b', true).run(request.id)).toBe('done');
    expect(purges).toBe(1);
    const step1 = (await store.get(request.id))?.value.records[0];
    expect(step1?.detail).toContain('took effect');
  });

  it('a single match (no release) fails the step as before: an admin is waiting for it', async () => {
    const request = await approved();
    cloud.failNext('setImmutableId', throttled(15_000));
    expect(await engine('a', false).run(request.id)).toBe('failed');
    expect((await store.get(request.id))?.value.records[1]).toMatchObject({ status: 'failed', code: 'TooManyRequests' });
  });
});
