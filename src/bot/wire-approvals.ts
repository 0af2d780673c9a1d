/**
 * Wires the approval flow from its parts: the request store and audit trail, the admins, the
 * rules (service), re-validation over the relay and Graph, the engine, the cards and the
 * messenger. Used by both entry points, so production and the sandbox run the same flow.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { createAdminDirectory } from '../approvals/admin-directory.ts';
import { checkDone } from '../approvals/check-done.ts';
import { createRefingerprint } from '../approvals/refingerprint.ts';
import { createApprovalService } from '../approvals/service.ts';
import type { ApprovalDeps } from '../approvals/types.ts';
import { createUndoService } from '../approvals/undo.ts';
import type { BotConfig } from '../config/load-config.ts';
import { createEngine, type EngineDeps } from '../execution/engine.ts';
import type { Logger } from '../logging/logger.ts';
import type { Messenger } from '../ports/messenger.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { SyncTrigger } from '../ports/sync-trigger.ts';
import { createAuditTrail } from '../store/audit-trail.ts';
import type { ApprovalFeatures } from './approval-features.ts';
import type { CloudDirectory, CloudWriter } from '../ports/cloud-directory.ts';
import type { RelayClient } from '../ports/relay.ts';
import { createRequestPublisher } from './request-publisher.ts';
import { createRequestViews } from './request-views.ts';
import type { Turn } from './turn.ts';

/** Inbound activity ids are remembered this long; Bot Framework redeliveries come within minutes. */
const REPLAY_WINDOW_MS = 24 * 60 * 60_000;

export interface WireApprovalsOptions {
  sandbox: boolean;
  logger: Logger;
  approval: BotConfig['approval'];
  /** The served tenant: abandoned executions of this tenant are resumed. */
  tenantId: string;
  store: RequestStore;
  cloud: CloudDirectory & CloudWriter;
  /** Undefined without RELAY_URL: re-validation and the sync step then fail with the relay's error. */
  relay?: RelayClient & SyncTrigger;
  messenger: Messenger;
  /** Default `<host>:<pid>:<random>`. */
  owner?: string;
  now?: () => number;
  carryOutManual?: ApprovalDeps['carryOutManual'];
  /** Lease, polling and retry timings (tests shorten them), and the crash tests' boundary hook. */
  engine?: Pick<EngineDeps, 'leaseMs' | 'syncBusyRetryMs' | 'onBoundary'> & { pollIntervalMs?: number; sleep?: (ms: number) => Promise<void> };
}

export interface WiredApprovals {
  features: ApprovalFeatures;
  /** The refusal card for an invoke seen before, or undefined for a new one. */
  refuseReplay(turn: Turn): Promise<IAdaptiveCard | undefined>;
  /** Resumes executions whose engine died; call at start and then periodically. */
  resumeAbandoned(): Promise<number>;
  /** Starts the periodic resume; answers the function that stops it. */
  startSweeper(intervalMs?: number): () => void;
  /** Resolves once every execution this instance started has stopped (tests, shutdown). */
  idle(): Promise<void>;
}

export function wireApprovals(o: WireApprovalsOptions): WiredApprovals {
  const now = o.now ?? Date.now;
  const owner = o.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const audit = createAuditTrail(o.store, o.logger.child({ part: 'audit' }));
  const groupUserIds = (groupId: string) => o.cloud.groupUserIds(groupId);
  const admins = createAdminDirectory({ adminIds: o.approval.adminIds, ...(o.approval.adminGroupId ? { groupId: o.approval.adminGroupId, groupUserIds } : {}), now });
  const policy = o.approval.policy;
  const views = createRequestViews({ audit, admins, policy, sandbox: o.sandbox });
  const publisher = createRequestPublisher({ store: o.store, messenger: o.messenger, views, logger: o.logger });
  const sync: SyncTrigger = o.relay ?? { triggerSync: () => Promise.reject(new Error('no relay configured')) };
  const engine = createEngine({
    store: o.store,
    audit,
    steps: { cloud: o.cloud, sync, ...(o.engine?.pollIntervalMs ? { pollIntervalMs: o.engine.pollIntervalMs } : {}), ...(o.engine?.sleep ? { sleep: o.engine.sleep } : {}) },
    owner,
    logger: o.logger.child({ part: 'engine' }),
    now,
    publish: (request) => publisher.publish(request),
    ...(o.engine?.leaseMs ? { leaseMs: o.engine.leaseMs } : {}),
    ...(o.engine?.syncBusyRetryMs ? { syncBusyRetryMs: o.engine.syncBusyRetryMs } : {}),
    ...(o.engine?.onBoundary ? { onBoundary: o.engine.onBoundary } : {}),
  });
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    const tracked = work.catch((err: unknown) => o.logger.error({ err }, 'execution failed unexpectedly')).finally(() => running.delete(tracked));
    running.add(tracked);
  };
  const relayForDiagnosis = o.relay ?? { lookup: () => Promise.reject(new Error('no relay configured')) };
  const refingerprint = createRefingerprint({ relay: relayForDiagnosis, cloud: o.cloud, verifyTimeoutSeconds: Math.round(policy.verifyTimeoutMs / 1000) });
  const service = createApprovalService({
    store: o.store,
    audit,
    admins,
    policy,
    logger: o.logger,
    refingerprint,
    execute: (id, options) => track(engine.run(id, options)),
    claimOnApproval: (approved) => engine.claimOnApproval(approved),
    publish: (request, options) => publisher.publish(request, options),
    now,
    checkDone: (request, step) => checkDone(request, step, { cloud: o.cloud, ...(o.relay ? { relay: o.relay } : {}), ...(o.approval.syncScope ? { scope: o.approval.syncScope } : {}) }),
    ...(o.carryOutManual ? { carryOutManual: o.carryOutManual } : {}),
  });
  const undo = createUndoService({ store: o.store, audit, now });
  const features: ApprovalFeatures = { service, undo, views, publisher, store: o.store, audit, admins, policy, now };
  const resumeAbandoned = () => engine.resumeAbandoned(o.tenantId);
  return {
    features,
    async refuseReplay(turn) {
      const key = `activity:${turn.tenantId.toLowerCase()}:${turn.conversation.id}:${turn.activityId ?? ''}`;
      const fresh = turn.activityId !== undefined && (await o.store.markSeen(key, REPLAY_WINDOW_MS, now()));
      if (fresh) return undefined;
      o.logger.warn({ activityId: turn.activityId ?? null, actor: turn.actor.aadObjectId }, 'refused a replayed card action');
      const message = turn.activityId === undefined ? 'This card action carries no activity id, so it cannot be told apart from a replay; nothing was done.' : 'This card action was already received (a replay or a redelivery); nothing was done again. Type "status" to see where your requests stand.';
      return views.refusalFor({ code: 'REPLAYED', message });
    },
    resumeAbandoned,
    startSweeper(intervalMs = o.engine?.leaseMs ?? 60_000) {
      const timer = setInterval(() => track(resumeAbandoned()), intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
