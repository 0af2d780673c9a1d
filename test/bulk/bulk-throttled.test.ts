/**
 * A bulk user whose write Graph keeps throttling past the write's deadline (the emulator's write
 * quota, or low-priority traffic shed): its item is not failed but released back to the queue,
 * again after Graph's Retry-After, more times than the poison limit allows for failures, and ends
 * done once the quota allows: written once, counted done, its own trail saying it was throttled
 * and requeued. A write Graph refuses for good still ends the user failed.
 */
import { describe, expect, it } from 'vitest';
import { createBulkExecutor } from '../../src/bulk/bulk-executor.ts';
import { CloudError } from '../../src/errors/index.ts';
import type { CloudWriter } from '../../src/ports/cloud-directory.ts';
import { graphError } from '../execution/fake-cloud.ts';
import { bulkWorld } from '../support/bulk-directory.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { logger, setUp } from './executor-world.ts';

const throttled = (retryAfterMs: number) =>
  new CloudError(
    'CLOUD_THROTTLED',
    'Microsoft Graph kept throttling the request to set the ImmutableID after 6 attempts (429 TooManyRequests).',
    {
      status: 429,
      graphCode: 'TooManyRequests',
      graphMessage: 'Too many requests',
      retryAfterMs,
    },
  );

/** The cloud's setImmutableId for `upn`'s user fails with `errors` in turn (nothing written), then works. */
function failingWrites(cloud: Awaited<ReturnType<typeof setUp>>['cloud'], upn: string, errors: Error[]) {
  const user = [...cloud.users.values()].find((u) => u.userPrincipalName === upn);
  if (!user) throw new Error(`no ${upn}`);
  const write: CloudWriter['setImmutableId'] = cloud.setImmutableId.bind(cloud);
  const refused: number[] = [];
  cloud.setImmutableId = (userId, immutableId) => {
    const err = userId === user.id ? errors.shift() : undefined;
    if (!err) return write(userId, immutableId);
    refused.push(Date.now());
    return Promise.reject(err);
  };
  return { userId: user.id, refused };
}

describe('a bulk user throttled past its write deadline', () => {
  it('goes back on the queue after Retry-After, not counted toward the poison limit, and ends done once the quota allows', async () => {
    const { store, cloud, deps, queues } = await setUp(bulkWorld(2), { waveSize: 4 });
    // Three times (the poison limit is 2), the first telling the bot to come back in 1 s.
    const hard1 = failingWrites(cloud, 'hard1@contoso.com', [throttled(1_000), throttled(0), throttled(0)]);
    const executor = createBulkExecutor(deps('one'));
    await executor.run('bulk01');
    await executor.stop();
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.state).toBe('done');
    expect(bulk?.bulk?.progress).toMatchObject({ total: 4, done: 4, skipped: 0, failed: 0, waiting: 0 });
    expect(bulk?.bulk?.notes ?? []).toEqual([]);
    // Written once, after the throttling passed; the second try waited for the Retry-After.
    expect(cloud.writes().filter((w) => w.op === 'setImmutableId' && w.userId === hard1.userId)).toHaveLength(1);
    expect(cloud.users.get(hard1.userId)?.immutableId).not.toBeNull();
    expect(hard1.refused).toHaveLength(3);
    expect((hard1.refused[1] ?? 0) - (hard1.refused[0] ?? 0)).toBeGreaterThanOrEqual(900);
    // The user's own trail: throttled and requeued, three times, then done; never failed.
    const child = (await store.listByState('t', ['done'])).find((r) => r.value.command === 'match hard1')?.value;
    const trail = await createAuditTrail(store, logger).entriesOf(child?.id ?? '');
    const requeued = trail.filter((e) => e.action === 'step-requeued');
    expect(requeued).toHaveLength(3);
    expect(requeued[0]?.summary).toContain("tried again in 1 s (Graph's Retry-After)");
    expect(requeued.every((e) => e.code === 'CLOUD_THROTTLED')).toBe(true);
    expect(trail.some((e) => e.action === 'failed' || e.action === 'step-failed')).toBe(false);
    expect(trail.map((e) => e.action)).toContain('done');
    expect(trail.at(-1)).toMatchObject({ action: 'step-done', step: { kind: 'VERIFY_JOINED' } });
    expect(await queues.poison.receive(30)).toBeNull();
  });

  it('a user whose re-read Graph keeps throttling comes back too, and ends done', async () => {
    let throttles = 3;
    const { store, deps, queues } = await setUp(bulkWorld(1), { waveSize: 2 });
    const base = deps('one');
    const executor = createBulkExecutor({
      ...base,
      reread: (item) => (item.samAccountName === 'hard1' && throttles-- > 0 ? Promise.reject(throttled(0)) : base.reread(item)),
    });
    await executor.run('bulk01');
    await executor.stop();
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.bulk?.progress).toMatchObject({ total: 2, done: 2, failed: 0, waiting: 0 });
    expect(throttles).toBe(-1);
    expect(await queues.poison.receive(30)).toBeNull();
  });

  it("a write Graph refuses for good still ends the user failed, with Graph's code", async () => {
    const { store, cloud, deps } = await setUp(bulkWorld(2), { waveSize: 4 });
    failingWrites(cloud, 'hard1@contoso.com', [graphError(400, 'Request_BadRequest', 'Invalid value')]);
    const executor = createBulkExecutor(deps('one'));
    await executor.run('bulk01');
    await executor.stop();
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.bulk?.progress).toMatchObject({ total: 4, done: 3, failed: 1, waiting: 0 });
    expect(bulk?.bulk?.notes?.[0]).toMatchObject({ samAccountName: 'hard1' });
    expect(bulk?.bulk?.notes?.[0]?.why).toContain('Request_BadRequest');
  });
});
