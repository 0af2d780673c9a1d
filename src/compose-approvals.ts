/**
 * Part of the composition root (src/compose-bot.ts calls it): the approval flow from its parts, so
 * production and the sandbox run the same flow. The audit trail, the admins, the request views and
 * their publisher, the engine and this instance's executions, bulk execution
 * (src/compose-bulk-execution.ts), re-validation, the check of a MANUAL step's "Done", the approval
 * and undo services, and the replay guard in front of the card actions.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { createAdminDirectory } from './approvals/admin-directory.ts';
import { checkDone } from './approvals/check-done.ts';
import { createRefingerprint } from './approvals/refingerprint.ts';
import { createApprovalService } from './approvals/service.ts';
import type { CheckDone } from './approvals/types.ts';
import { createUndoService } from './approvals/undo.ts';
import { createReplayGuard, type ReplayGuard } from './bot/actions/replay-guard.ts';
import type { ApprovalFeatures } from './bot/approval-features.ts';
import { createRequestPublisher } from './bot/request-publisher.ts';
import { createRequestViews } from './bot/request-views.ts';
import type { BulkExecutionOptions } from './bulk/bulk-execution.ts';
import { createBulkUndo } from './bulk/bulk-undo.ts';
import { createScanStore } from './bulk/scan-store.ts';
import { bulkUsersOf } from './compose-bulk.ts';
import { composeBulkExecution, withBulkSweeps } from './compose-bulk-execution.ts';
import type { BotConfig } from './config/load-config.ts';
import type { ApprovalRequest } from './domain/approval/types.ts';
import { createEngine, type Engine, type EngineDeps } from './execution/engine.ts';
import { createExecutionRunner, type ExecutionRunner } from './execution/runner.ts';
import type { Logger } from './logging/logger.ts';
import type { AuditTrail } from './ports/audit-trail.ts';
import type { CloudDirectory, CloudWriter } from './ports/cloud-directory.ts';
import type { Messenger } from './ports/messenger.ts';
import type { RelayClient } from './ports/relay.ts';
import type { RequestStore } from './ports/request-store.ts';
import type { SyncTrigger } from './ports/sync-trigger.ts';
import type { WorkQueues } from './ports/work-queue.ts';
import { createAuditTrail } from './store/audit-trail.ts';

/** Lease, polling and retry timings (tests shorten them), and the crash tests' boundary hook. */
export type EngineOptions = Pick<EngineDeps, 'leaseMs' | 'syncBusyRetryMs' | 'onBoundary'> & {
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

/** The approval flow as composed: what commands and actions use, the replay guard, and this instance's executions. */
export interface ComposedApprovals extends ExecutionRunner {
  features: ApprovalFeatures;
  /** Stops this instance's bulk work-item consumer; resolves once the items it holds have ended. */
  stopConsuming(): Promise<void>;
  refuseReplay: ReplayGuard;
}

export interface ApprovalParts {
  logger: Logger;
  approval: BotConfig['approval'];
  /** The served tenant: abandoned executions of this tenant are resumed. */
  tenantId: string;
  store: RequestStore;
  /** The bulk work items' queues (QUEUE_URL). */
  queues: WorkQueues;
  cloud: CloudDirectory & CloudWriter;
  /** The same directory, every call marked low priority: what bulk execution uses. */
  bulkCloud?: CloudDirectory & CloudWriter;
  /** Undefined without RELAY_URL: re-validation and the sync step then fail with the relay's error. */
  relay?: Pick<RelayClient, 'lookup' | 'triggerSync'>;
  messenger: Messenger;
  engine?: EngineOptions;
  /** Wraps the check of a person's "Done" on a MANUAL step (the sandbox's person acts on its stand-ins). */
  wrapCheckDone?: (check: CheckDone) => CheckDone;
  bulkTuning?: BulkExecutionOptions['tuning'];
}

const noRelay = () => Promise.reject(new Error('no relay configured'));

/** The approval flow from its parts, so production and the sandbox run the same flow. */
export function composeApprovals(o: ApprovalParts): ComposedApprovals {
  const now = Date.now;
  const owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const audit = createAuditTrail(
    o.store,
    o.logger.child({ part: 'audit' }),
    o.approval.auditKey ? new TextEncoder().encode(o.approval.auditKey) : undefined,
  );
  const groupUserIds = (groupId: string) => o.cloud.groupUserIds(groupId);
  const admins = createAdminDirectory({
    adminIds: o.approval.adminIds,
    ...(o.approval.adminGroupId ? { groupId: o.approval.adminGroupId, groupUserIds } : {}),
    now,
  });
  const policy = o.approval.policy;
  const views = createRequestViews({ audit, admins, policy });
  const publisher = createRequestPublisher({ store: o.store, messenger: o.messenger, views, logger: o.logger });
  const publish = (request: ApprovalRequest) => publisher.publish(request);
  const { engine, executions } = composeExecutions(o, { audit, owner, now, publish });
  const bulk = composeBulkExecution(o, { audit, owner, publish });
  const service = createApprovalService({
    store: o.store,
    audit,
    admins,
    policy,
    logger: o.logger,
    refingerprint: createRefingerprint({
      relay: o.relay ?? { lookup: noRelay },
      cloud: o.cloud,
      verifyTimeoutSeconds: Math.round(policy.verifyTimeoutMs / 1000),
    }),
    // A bulk request's users run through the bulk executor (waves, shared budget, re-reads).
    execute: (id, options) => (options?.approved?.value.kind === 'bulk' ? bulk.start(id) : executions.execute(id, options)),
    claimOnApproval: (approved) => engine.claimOnApproval(approved),
    publish: (request, options) => publisher.publish(request, options),
    now,
    checkDone: composeCheckDone(o),
    bulkUsers: (request) => bulkUsersOf(createScanStore(o.store), request),
  });
  const retention = {
    store: o.store,
    scans: createScanStore(o.store),
    tenantId: o.tenantId,
    retentionMs: o.approval.scanRetentionMs,
    now,
    logger: o.logger.child({ part: 'scan-retention' }),
  };
  const bulkUndo = createBulkUndo({
    store: o.store,
    audit,
    admins,
    now,
    random: (n) => new Uint8Array(randomBytes(n)),
    ttlMs: policy.ttlMs,
  });
  const undo = createUndoService({ store: o.store, audit, now, bulk: bulkUndo });
  const features: ApprovalFeatures = { service, undo, views, publisher, store: o.store, audit, admins, policy, now };
  return {
    ...withBulkSweeps(executions, {
      bulk,
      retention,
      logger: o.logger,
      ...(o.engine?.leaseMs !== undefined ? { leaseMs: o.engine.leaseMs } : {}),
    }),
    features,
    stopConsuming: () => bulk.stop(),
    refuseReplay: createReplayGuard({ store: o.store, views, logger: o.logger, now }),
  };
}

interface ExecutionShared {
  audit: AuditTrail;
  owner: string;
  now: () => number;
  publish: EngineDeps['publish'];
}

/** The engine over the step actions (the sync step through the relay), and the runner of this instance's executions. */
function composeExecutions(o: ApprovalParts, shared: ExecutionShared): { engine: Engine; executions: ExecutionRunner } {
  const sync: SyncTrigger = o.relay ?? { triggerSync: noRelay };
  const { pollIntervalMs, sleep, ...timings } = o.engine ?? {};
  const engine = createEngine({
    store: o.store,
    audit: shared.audit,
    steps: { cloud: o.cloud, sync, ...(pollIntervalMs ? { pollIntervalMs } : {}), ...(sleep ? { sleep } : {}) },
    owner: shared.owner,
    logger: o.logger.child({ part: 'engine' }),
    now: shared.now,
    publish: shared.publish,
    ...timings,
  });
  const executions = createExecutionRunner({
    engine,
    tenantId: o.tenantId,
    logger: o.logger,
    ...(timings.leaseMs ? { sweepIntervalMs: timings.leaseMs } : {}),
  });
  return { engine, executions };
}

/** The check of a person's "Done" on a MANUAL step, wrapped as the caller asks. */
function composeCheckDone(o: ApprovalParts): CheckDone {
  const doneCheck: CheckDone = (request, step) =>
    checkDone(request, step, {
      cloud: o.cloud,
      ...(o.relay ? { relay: o.relay } : {}),
      ...(o.approval.syncScope ? { scope: o.approval.syncScope } : {}),
    });
  return o.wrapCheckDone ? o.wrapCheckDone(doneCheck) : doneCheck;
}
