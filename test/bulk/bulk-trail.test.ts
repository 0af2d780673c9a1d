/**
 * The bulk executor's own trail is written with the changes it records, through the same outbox
 * as a single request's (staged in the request's compare-and-swap, then flushed): the bot is
 * "killed" at every write of a bulk run in turn (from that write on, the store refuses every
 * write), then restarted (a fresh audit trail over what was stored). Whatever the crash point, the
 * stored bulk request and its trail agree: a claim has its entry, an end has its entry, each
 * synced wave whose progress was stored has its sync entry, each user's request has its first
 * entry, no entry is written twice, and the hash chain verifies. Resumed by another instance after
 * the kill, the bulk request ends done with every user written once and verified once: one
 * VERIFY_JOINED entry per user, whichever write the first coordinator died at.
 */
import { createStoreQueues } from '../../src/queue/store-queue.ts';
import { describe, expect, it } from 'vitest';
import { createBulkExecutor, type BulkExecutorDeps } from '../../src/bulk/bulk-executor.ts';
import { itemRequestId } from '../../src/bulk/bulk-item.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import { createEngine } from '../../src/execution/engine.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { fakeCloud } from '../execution/fake-cloud.ts';
import { bulkWorld } from '../support/bulk-directory.ts';
import { approvedBulkOver, logger, rereadFrom } from './executor-world.ts';

/** The store as a process sees it: from write number `killAt` on, every write fails (the process is gone). */
function killable(store: RequestStore, killAt: number): { store: RequestStore; writes: () => number } {
  let writes = 0;
  const write =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      writes += 1;
      return writes >= killAt ? Promise.reject(new Error('killed')) : f(...args);
    };
  return {
    store: {
      ...store,
      get: (id) => store.get(id),
      listByState: (t, s) => store.listByState(t, s),
      auditOf: (id) => store.auditOf(id),
      getSetting: (k) => store.getSetting(k),
      create: write((r: ApprovalRequest) => store.create(r)),
      update: write((r: ApprovalRequest, v: string) => store.update(r, v)),
      appendAudit: write((e: Parameters<RequestStore['appendAudit']>[0]) => store.appendAudit(e)),
    },
    writes: () => writes,
  };
}

/** Offsets the restarted instance's clock past every lease the killed one held. */
const LATER_MS = 10 * 60_000;

async function bulkRun(killAt: number, options: { restart?: boolean } = {}) {
  const world = bulkWorld(2);
  const disk = createSqliteStore(':memory:');
  const { scans, scan } = await approvedBulkOver(disk, world);
  const { store, writes } = killable(disk, killAt);
  const cloud = fakeCloud([...world.cloud.users, ...world.cloud.deleted]);
  const reread = rereadFrom(world, cloud);
  const depsOf = (on: RequestStore, owner: string, now: () => number): BulkExecutorDeps => {
    const trail = createAuditTrail(on, logger);
    return {
      ...{ store: on, audit: trail, scans, now, reread, owner, logger, waveSize: 2, concurrency: 2, progressIntervalMs: 60_000 },
      // The queue is in the same store (its writes go through putSetting, which the kill leaves alone).
      queues: createStoreQueues({ store: disk }),
      wavePollMs: 5,
      consumer: { pollMs: 5, idleStopMs: 50, retrySeconds: 0 },
      engine: createEngine({
        store: on,
        audit: trail,
        steps: { cloud, sync: { triggerSync: () => Promise.reject(new Error('no sync')) } },
        owner,
        logger,
        now,
      }),
      syncWave: () =>
        Promise.resolve({
          result: { status: 'done', before: null, after: null, detail: '' },
          what: 'one delta sync',
          kind: 'TRIGGER_DELTA_SYNC',
          failed: new Map(),
        }),
      verify: () => Promise.resolve({ status: 'done', before: null, after: null, detail: '' }),
      publish: () => Promise.resolve(),
    };
  };
  const executor = createBulkExecutor(depsOf(store, 'one', Date.now));
  // The process is gone from the kill on: this instance stops (its consumer too) once a write was refused.
  const watchdog = setInterval(() => {
    if (writes() >= killAt) void executor.stop();
  }, 5);
  const ended = await executor
    .run('bulk01')
    .then(
      () => (writes() >= killAt ? 'killed' : 'ran'),
      () => 'killed',
    )
    .finally(() => clearInterval(watchdog));
  await executor.stop();
  if (options.restart) {
    // Another instance, once the killed one's leases lapsed, resumes the coordination and its users.
    const resumed = createBulkExecutor(depsOf(disk, 'two', () => Date.now() + LATER_MS));
    await resumed.run('bulk01');
    await resumed.stop();
  }
  // Restarted: a fresh trail over what the store holds (its read flushes what the outbox kept).
  const trail = await createAuditTrail(disk, logger).read('bulk01');
  const bulk = (await disk.get('bulk01'))?.value;
  if (!trail || !bulk) throw new Error('the bulk request is gone');
  // Each user's request that was created, and the first entry of its trail.
  const users = [];
  for (let index = 0; index < scan.items.length; index += 1) {
    const id = itemRequestId('bulk01', index);
    if (!(await disk.get(id))) continue;
    const own = await createAuditTrail(disk, logger).read(id);
    users.push({
      id,
      first: own?.entries[0]?.action,
      chained: own?.verdict.ok ?? false,
      verifications: (own?.entries ?? []).filter((e) => e.step?.kind === 'VERIFY_JOINED').length,
    });
  }
  const written = cloud.writes().map((w) => `${w.op}:${'userId' in w ? w.userId : ''}`);
  return { ended, writes: writes(), bulk, trail, users, written };
}

describe("the bulk request's own trail, written with its changes", () => {
  it('a run without a crash: claimed, one sync entry per wave, the end', async () => {
    const { ended, bulk, trail } = await bulkRun(Number.MAX_SAFE_INTEGER);
    expect(ended).toBe('ran');
    expect(bulk.state).toBe('done');
    expect(trail.verdict.ok).toBe(true);
    expect(trail.entries.map((e) => e.action)).toEqual(['execution-claimed', 'step-done', 'step-done', 'done']);
    expect(trail.entries.filter((e) => e.step?.kind === 'TRIGGER_DELTA_SYNC').map((e) => e.step?.number)).toEqual([1, 2]);
  });

  it('killed at any write, the stored request and its trail agree', async () => {
    const clean = await bulkRun(Number.MAX_SAFE_INTEGER);
    for (let killAt = 1; killAt <= clean.writes; killAt += 1) {
      const { bulk, trail, users } = await bulkRun(killAt);
      const actions = trail.entries.map((e) => e.action);
      const why = `killed at write ${killAt} of ${clean.writes}: state ${bulk.state}, trail ${actions.join(', ')}`;
      expect(trail.verdict.ok, why).toBe(true);
      expect(new Set(trail.entries.map((e) => e.seq)).size, why).toBe(trail.entries.length);
      if (bulk.state !== 'approved') expect(actions[0], why).toBe('execution-claimed');
      else expect(actions, why).toEqual([]);
      expect(actions.includes('done'), why).toBe(bulk.state === 'done');
      // A wave's stored progress (all its users ended) comes with its sync's entry.
      const p = bulk.bulk?.progress;
      const ended = p ? p.done + p.skipped + p.failed : 0;
      const syncs = trail.entries.filter((e) => e.step?.kind === 'TRIGGER_DELTA_SYNC').length;
      expect(syncs, why).toBe(Math.floor(ended / 2));
      // A user's request is created with its first entry ('approved', or 'stale' when its facts changed).
      for (const user of users) expect(user.first, `${why}; user ${user.id}`).toBe('approved');
    }
  }, 60_000);

  it('killed at any write and resumed by another instance: each user verified once per wave, written once', async () => {
    const clean = await bulkRun(Number.MAX_SAFE_INTEGER);
    expect(clean.users.map((u) => u.verifications)).toEqual([1, 1, 1, 1]);
    for (let killAt = 1; killAt <= clean.writes; killAt += 1) {
      const { bulk, trail, users, written } = await bulkRun(killAt, { restart: true });
      const why = `killed at write ${killAt} of ${clean.writes}, then resumed: state ${bulk.state}, trail ${trail.entries.map((e) => e.action).join(', ')}`;
      expect(bulk.state, why).toBe('done');
      expect(bulk.bulk?.progress, why).toMatchObject({ total: 4, done: 4, waiting: 0 });
      expect(trail.verdict.ok, why).toBe(true);
      expect(users, why).toHaveLength(4);
      for (const user of users) {
        expect(user.verifications, `${why}; user ${user.id}'s VERIFY_JOINED entries`).toBe(1);
        expect(user.chained, `${why}; user ${user.id}'s chain`).toBe(true);
      }
      expect(written.length, `${why}; writes ${written.join(' ')}`).toBe(new Set(written).size);
    }
  }, 120_000);
});
