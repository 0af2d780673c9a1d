/**
 * Part of the composition root (src/compose-approvals.ts calls it): bulk execution from the
 * approval flow's parts (every Graph call of it marked low priority), and the background work it
 * adds to this instance's executions: the start-up resume and the periodic sweep also take over
 * abandoned bulk requests and remove expired scans, and `idle` waits for bulk requests too.
 */
import { createBulkExecution, type BulkExecution, type BulkExecutionOptions } from './bulk/bulk-execution.ts';
import { sweepScans, type ScanRetentionDeps } from './bulk/scan-retention.ts';
import type { ExecutionRunner } from './execution/runner.ts';
import type { BotConfig } from './config/load-config.ts';
import type { Logger } from './logging/logger.ts';

/** The approval flow's parts bulk execution is composed from (src/compose-approvals.ts's ApprovalParts). */
export interface BulkExecutionParts {
  logger: Logger;
  approval: Pick<BotConfig['approval'], 'policy' | 'bulkWritesPerSecond'>;
  tenantId: string;
  store: BulkExecutionOptions['store'];
  queues: BulkExecutionOptions['queues'];
  cloud: BulkExecutionOptions['cloud'];
  /** The same directory, every call marked low priority: what bulk execution uses when given. */
  bulkCloud?: BulkExecutionOptions['cloud'];
  relay?: BulkExecutionOptions['relay'];
  engine?: BulkExecutionOptions['engine'];
  bulkTuning?: BulkExecutionOptions['tuning'];
}

/** What the approval flow has made by the time bulk execution is composed. */
export interface BulkExecutionShared {
  audit: BulkExecutionOptions['audit'];
  publish: BulkExecutionOptions['publish'];
  /** This instance's name on claims and leases. */
  owner: string;
}

export function composeBulkExecution(o: BulkExecutionParts, shared: BulkExecutionShared): BulkExecution {
  return createBulkExecution({
    store: o.store,
    audit: shared.audit,
    queues: o.queues,
    cloud: o.bulkCloud ?? o.cloud,
    ...(o.relay ? { relay: o.relay } : {}),
    publish: shared.publish,
    owner: shared.owner,
    tenantId: o.tenantId,
    logger: o.logger,
    verifyTimeoutSeconds: Math.round(o.approval.policy.verifyTimeoutMs / 1000),
    writesPerSecond: o.approval.bulkWritesPerSecond,
    ...(o.engine ? { engine: o.engine } : {}),
    ...(o.bulkTuning ? { tuning: o.bulkTuning } : {}),
  });
}

export interface BulkSweeps {
  bulk: BulkExecution;
  retention: ScanRetentionDeps;
  logger: Logger;
  /** The sweep's interval when startSweeper is given none: one lease (60 s by default). */
  leaseMs?: number;
}

/** The executions' runner whose resume, sweeper and idle also cover bulk requests and expired scans. */
export function withBulkSweeps(executions: ExecutionRunner, o: BulkSweeps): ExecutionRunner {
  const { bulk, retention, logger } = o;
  return {
    ...executions,
    resumeAbandoned: async () => {
      const resumed = await executions.resumeAbandoned();
      void bulk.sweep().catch((err: unknown) => logger.error({ err }, 'could not resume bulk requests'));
      void sweepScans(retention).catch((err: unknown) => logger.error({ err }, 'the sweep of expired scans failed'));
      return resumed;
    },
    startSweeper(intervalMs) {
      const stop = executions.startSweeper(intervalMs);
      const timer = setInterval(
        () => {
          void bulk.sweep().catch((err: unknown) => logger.error({ err }, 'bulk sweep failed'));
          void sweepScans(retention).catch((err: unknown) => logger.error({ err }, 'the sweep of expired scans failed'));
        },
        intervalMs ?? o.leaseMs ?? 60_000,
      );
      timer.unref();
      return () => {
        stop();
        clearInterval(timer);
      };
    },
    async idle() {
      await Promise.all([executions.idle(), bulk.idle()]);
    },
  };
}
