/**
 * Bulk execution composed from ports: the bulk engine (the same engine; each user's writes take
 * their tokens from the shared write budget before its request is claimed), the user re-read (the `match` pipeline with fresh roles), the wave's sync
 * and verification (the same step actions), the executor, and this instance's share of the work
 * (started on approval, resumed by the sweeper, awaited by `idle`).
 */
import { readDiagnosis } from '../approvals/read-diagnosis.ts';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { createEngine, type EngineDeps } from '../execution/engine.ts';
import { runStep } from '../execution/run-step.ts';
import { FRESHNESS_SLACK_MS, type StepResult } from '../execution/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { CloudDirectory, CloudWriter } from '../ports/cloud-directory.ts';
import type { RelayClient } from '../ports/relay.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { WorkQueues } from '../ports/work-queue.ts';
import { createBulkExecutor, type BulkExecutorDeps } from './bulk-executor.ts';
import { createScanStore } from './scan-store.ts';
import { createWaveSync, PROVISION_ON_DEMAND_PER_SECOND } from './wave-sync.ts';
import { createWriteBudget } from './write-budget.ts';

export interface BulkExecutionOptions {
  store: RequestStore;
  audit: AuditTrail;
  cloud: CloudDirectory & CloudWriter;
  relay?: Pick<RelayClient, 'lookup' | 'triggerSync'>;
  publish(request: ApprovalRequest): Promise<void>;
  owner: string;
  tenantId: string;
  logger: Logger;
  verifyTimeoutSeconds: number;
  /** BULK_WRITES_PER_SECOND: the budget every instance shares. */
  writesPerSecond?: number;
  engine?: Pick<EngineDeps, 'leaseMs' | 'syncBusyRetryMs'> & { pollIntervalMs?: number; sleep?: (ms: number) => Promise<void> };
  tuning?: Pick<BulkExecutorDeps, 'waveSize' | 'concurrency' | 'progressIntervalMs' | 'consumer' | 'wavePollMs' | 'requeueAfterMs'>;
  /** The work-item queue and its poison queue (QUEUE_URL). */
  queues: WorkQueues;
}

export interface BulkExecution {
  /** Runs an approved bulk request in the background. */
  start(bulkId: string): void;
  /** Consumes work items of running bulk requests and takes over abandoned ones. */
  sweep(): Promise<void>;
  /** Resolves once every bulk request this instance coordinates has ended. */
  idle(): Promise<void>;
  /** Stops consuming work items; resolves once the items this instance holds have ended. */
  stop(): Promise<void>;
}

export function createBulkExecution(o: BulkExecutionOptions): BulkExecution {
  const now = Date.now;
  const noRelay = () => Promise.reject(new Error('no relay configured'));
  const relay = o.relay ?? { lookup: noRelay, triggerSync: noRelay };
  const budget = createWriteBudget({
    store: o.store,
    tenantId: o.tenantId,
    ...(o.writesPerSecond ? { perSecond: o.writesPerSecond } : {}),
  });
  // Tokens are taken before a user's request is claimed (BulkItemDeps.reserve), not per write.
  const cloud = o.cloud;
  const reserve = async (writes: number): Promise<void> => {
    for (let i = 0; i < writes; i += 1) await budget.take();
  };
  const { pollIntervalMs, sleep, ...timings } = o.engine ?? {};
  const stepDeps = { cloud, sync: relay, now, ...(pollIntervalMs ? { pollIntervalMs } : {}), ...(sleep ? { sleep } : {}) };
  // Each user's own request runs only its cloud writes; the wave syncs once for all of them.
  const engine = createEngine({
    store: o.store,
    audit: o.audit,
    steps: { ...stepDeps, sync: { triggerSync: noRelay } },
    owner: o.owner,
    logger: o.logger.child({ part: 'bulk-engine' }),
    now,
    // A write Graph kept throttling past its deadline goes back on the queue, not failed.
    releaseThrottled: true,
    ...timings,
  });
  const syncStep: PlanStep = { number: 0, kind: 'TRIGGER_DELTA_SYNC', irreversible: false, description: 'One delta sync for the wave' };
  const retryMs = timings.syncBusyRetryMs ?? 15_000;
  const wait = sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deltaSync = async (): Promise<StepResult> => {
    const giveUpAt = now() + o.verifyTimeoutSeconds * 1000;
    for (;;) {
      const result = await runStep(syncStep, stepDeps);
      if (result.status !== 'failed' || result.code !== 'SYNC_BUSY' || now() + retryMs > giveUpAt) return result;
      await wait(retryMs);
    }
  };
  const provisionBudget = createWriteBudget({
    store: o.store,
    tenantId: o.tenantId,
    name: 'bulk-provision-budget',
    perSecond: PROVISION_ON_DEMAND_PER_SECOND,
    ...(sleep ? { sleep } : {}),
  });
  const syncWave = createWaveSync({
    deltaSync,
    provision: (step) => runStep(step, stepDeps),
    takeProvisionToken: () => provisionBudget.take(),
    audit: o.audit,
    now,
  });
  const executor = createBulkExecutor({
    store: o.store,
    audit: o.audit,
    queues: o.queues,
    scans: createScanStore(o.store),
    engine,
    now,
    reserve,
    reread: async (item) => {
      const read = await readDiagnosis(
        { who: item.dn },
        { relay, cloud: o.cloud, fresh: true, verifyTimeoutSeconds: o.verifyTimeoutSeconds },
      );
      return read.resolved ? read.diagnosis : null;
    },
    syncWave,
    verify: (step, _child, syncStartedAt) => runStep(step, { ...stepDeps, freshSince: syncStartedAt - FRESHNESS_SLACK_MS }),
    publish: (request) => o.publish(request),
    owner: o.owner,
    logger: o.logger.child({ part: 'bulk' }),
    ...(timings.leaseMs ? { leaseMs: timings.leaseMs } : {}),
    ...(o.tuning ?? {}),
  });
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    const tracked = work
      .catch((err: unknown) => o.logger.error({ err }, 'bulk execution failed unexpectedly'))
      .finally(() => running.delete(tracked));
    running.add(tracked);
  };
  return {
    start: (bulkId) => track(executor.run(bulkId)),
    sweep: () => {
      const work = executor.sweep(o.tenantId);
      track(work);
      return work;
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    stop: () => executor.stop(),
  };
}
