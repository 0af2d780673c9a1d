/**
 * A bulk request ready to run over the real engine, an in-memory SQLite store (its queue too) and
 * a fake cloud: the scan of `world`, its approved bulk request `bulk01`, and the executor's
 * dependencies for any number of bot instances. Options inject faults and interleavings (a stop
 * after a wave, a user whose re-read fails, a hook before a user's re-read or its budget tokens).
 */
import type { BulkExecutorDeps } from '../../src/bulk/bulk-executor.ts';
import { runScan, type BulkItem } from '../../src/bulk/scan.ts';
import { createScanStore } from '../../src/bulk/scan-store.ts';
import { newBulkRequest } from '../../src/approvals/bulk-requests.ts';
import { evidenceFromIndex, indexCloud } from '../../src/domain/bulk/cloud-index.ts';
import { diagnose, type Diagnosis } from '../../src/domain/diagnosis/index.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { StepResult } from '../../src/execution/types.ts';
import { createEngine } from '../../src/execution/engine.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { createStoreQueues } from '../../src/queue/store-queue.ts';
import { fakeCloud, type FakeCloud } from '../execution/fake-cloud.ts';
import { fakeCloudSnapshot, fakeOnPremSnapshot, type BulkWorld } from '../support/bulk-directory.ts';

export const logger = createLogger({ level: 'silent' });
export const ADMIN = { aadObjectId: 'a1', name: 'Adele' };
export const BEN = { aadObjectId: 'a2', name: 'Ben' };

export type Verify = BulkExecutorDeps['verify'];

/** The world's whole-scope scan, its items stored as scan01, and bulk01 over them approved by Ben at Adele's request. */
export async function approvedBulkOver(store: RequestStore, world: BulkWorld) {
  const scans = createScanStore(store);
  const scan = await runScan(
    { kind: 'scope', scope: { kind: 'sync-scope' } },
    { onPrem: fakeOnPremSnapshot(world.ad), cloud: fakeCloudSnapshot(world.cloud), tenantFacts: () => Promise.resolve(world.tenant) },
  );
  const itemChunks = await scans.saveChunks('scan01', 'items', scan.items);
  const stored = {
    id: 'scan01',
    tenantId: 't',
    scope: { kind: 'sync-scope' as const },
    scopeKey: 'sync-scope',
    state: 'done' as const,
    startedBy: ADMIN,
    startedAt: 0,
    updatedAt: 0,
    counters: { adRead: 0, adPages: 0, cloudRead: 0, cloudPages: 0, diagnosed: 0 },
    summary: scan.summary,
    itemChunks,
  };
  const request: ApprovalRequest = {
    ...newBulkRequest(stored, scan.items, { id: 'bulk01', at: 0, ttlMs: 1e9 }),
    state: 'approved',
    requester: ADMIN,
    justification: 'Ticket 1: migration',
    approvals: [{ actor: BEN, at: 1 }],
  };
  await store.create(request);
  return { scans, scan, stored, request };
}

/** A user read again as the bulk executor reads it: its AD values from the world, the cloud as it is now. */
export function rereadFrom(world: BulkWorld, cloud: FakeCloud): (item: BulkItem) => Promise<Diagnosis | null> {
  return (item) => {
    const onPrem = world.ad.find((u) => u.dn === item.dn);
    if (!onPrem) return Promise.resolve(null);
    const users = [...cloud.users.values()];
    const index = indexCloud({
      users: users.filter((u) => u.deletedDateTime === null),
      deleted: users.filter((u) => u.deletedDateTime !== null),
      groups: [],
    });
    return Promise.resolve(diagnose({ who: item.dn, onPrem, evidence: evidenceFromIndex(index, onPrem, world.tenant) }));
  };
}

export async function setUp(
  world: BulkWorld,
  options: {
    waveSize?: number;
    stopAfterWave?: number;
    verify?: (cloud: FakeCloud) => Verify;
    failInWave?: (child: ApprovalRequest) => boolean;
    unreadable?: string;
    /** What the instances see of the store (the test sees the store itself). */
    storeSeen?: (store: RequestStore) => RequestStore;
    /** Awaited before a user is read again (the consumer has found its item free and the request running). */
    beforeReread?: (item: BulkItem) => Promise<void>;
    /** Awaited before a user's budget tokens are taken (its request exists: it has started). */
    beforeReserve?: (writes: number) => Promise<void>;
    /** The bulk card replaced (after every look at a wave's users when progressIntervalMs is 0). */
    publish?: (request: ApprovalRequest) => Promise<void>;
  } = {},
) {
  const store = createSqliteStore(':memory:');
  const audit = createAuditTrail(store, logger);
  const cloud = fakeCloud([...world.cloud.users, ...world.cloud.deleted]);
  const { scans, scan } = await approvedBulkOver(store, world);
  const syncs: number[] = [];
  const queues = createStoreQueues({ store });
  const readAgain = rereadFrom(world, cloud);
  const reread = async (item: BulkItem) => {
    await options.beforeReread?.(item);
    if (item.samAccountName === options.unreadable) throw Object.assign(new Error('relay down'), { code: 'RELAY_UNAVAILABLE' });
    return readAgain(item);
  };
  const seen = options.storeSeen?.(store) ?? store;
  const seenAudit = seen === store ? audit : createAuditTrail(seen, logger);
  const deps = (owner: string): BulkExecutorDeps => ({
    store: seen,
    audit: seenAudit,
    ...(options.beforeReserve ? { reserve: options.beforeReserve } : {}),
    scans,
    queues,
    engine: createEngine({
      store: seen,
      audit: seenAudit,
      steps: { cloud, sync: { triggerSync: () => Promise.reject(new Error('no sync in items')) } },
      owner,
      logger,
      // As the bulk engine (bulk-execution.ts): a write throttled or unanswered past its deadline goes back on the queue.
      releaseTransient: true,
    }),
    now: Date.now,
    reread,
    syncWave: async (children) => {
      syncs.push(Date.now());
      const failed = new Map<string, StepResult>();
      for (const child of children)
        if (options.failInWave?.(child)) failed.set(child.id, { status: 'failed', code: 'HardMatchBlocked', detail: 'refused' });
      if (options.stopAfterWave === syncs.length) {
        const current = await store.get('bulk01');
        if (current?.value.bulk)
          await store.update({ ...current.value, bulk: { ...current.value.bulk, stopRequested: { by: ADMIN, at: 2 } } }, current.version);
      }
      return {
        result: { status: 'done', before: null, after: null, detail: '' },
        what: 'one delta sync',
        kind: 'TRIGGER_DELTA_SYNC',
        failed,
      };
    },
    verify:
      options.verify?.(cloud) ??
      ((_step, child) => Promise.resolve({ status: 'done', before: null, after: { userId: child.diagnosis.plan.target?.id }, detail: '' })),
    publish: options.publish ?? (() => Promise.resolve()),
    owner,
    logger,
    waveSize: options.waveSize ?? 4,
    concurrency: 3,
    progressIntervalMs: 0,
    wavePollMs: 5,
    consumer: { pollMs: 5, idleStopMs: 50, visibilitySeconds: 1, retrySeconds: 0, poisonLimit: 2 },
  });
  return { store, audit, cloud, deps, syncs, queues, items: scan.items };
}
