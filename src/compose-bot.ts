/**
 * The one composition root of the bot, shared by production (`src/main.ts`), the sandbox
 * (`src/sandbox/start-sandbox.ts`) and the test and bench bot processes. The only place concrete
 * adapters meet the product: the relay client from RELAY_URL, the cloud directory over
 * GRAPH_BASE_URL, the request store from STORE_URL and its audit trail, the adapter and its
 * Messenger; then the approval flow (rules, re-validation, engine, executions), the bot's commands
 * and actions, the HTTP server, the start-up resume and the periodic sweeper. Callers say only what
 * differs (configuration, the Graph credential, sandbox extras) and get back the listening bot and
 * its close(). Every other module takes its dependencies as arguments and imports only downward.
 */
import type { TokenCredential } from '@azure/identity';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { createAdminDirectory } from './approvals/admin-directory.ts';
import { createRefingerprint } from './approvals/refingerprint.ts';
import { checkDone } from './approvals/check-done.ts';
import type { CheckDone } from './approvals/types.ts';
import { createApprovalService } from './approvals/service.ts';
import { createUndoService } from './approvals/undo.ts';
import { routeAction } from './bot/actions/index.ts';
import { createReplayGuard, type ReplayGuard } from './bot/actions/replay-guard.ts';
import type { ApprovalFeatures } from './bot/approval-features.ts';
import { createRegistry, type CommandRegistry } from './bot/commands/index.ts';
import { HardmatchBot } from './bot/hardmatch-bot.ts';
import { createRequestPublisher } from './bot/request-publisher.ts';
import { createRequestViews } from './bot/request-views.ts';
import { route, showsTyping } from './bot/router.ts';
import { createMessenger } from './bot/teams/messenger.ts';
import type { Turn } from './bot/turn.ts';
import type { CardFrame } from './cards/card-parts.ts';
import type { BulkFeatures } from './bot/bulk-features.ts';
import { openBulkQueues, wireBulk, type WireBulkOptions } from './compose-bulk.ts';
import { reportLinkKey } from './bulk/report-link.ts';
import type { BulkItem, ScanSources } from './bulk/scan.ts';
import { createBulkExecution, type BulkExecutionOptions } from './bulk/bulk-execution.ts';
import { createScanStore, type ScanStore } from './bulk/scan-store.ts';
import { sweepScans } from './bulk/scan-retention.ts';
import type { BulkUser } from './approvals/bulk-requests.ts';
import type { BulkScan } from './domain/bulk/types.ts';
import type { ApprovalRequest, PostedCard } from './domain/approval/types.ts';
import type { CloudSnapshotSource, OnPremSnapshotSource } from './ports/snapshot.ts';
import { errorCard } from './cards/error-card.ts';
import { welcomeCard, type WelcomeExample } from './cards/welcome-card.ts';
import { createCloudDirectory } from './cloud-directory/index.ts';
import type { BotConfig } from './config/load-config.ts';
import { toUserText } from './errors/index.ts';
import { createEngine, type EngineDeps } from './execution/engine.ts';
import { createExecutionRunner, type ExecutionRunner } from './execution/runner.ts';
import type { Logger } from './logging/logger.ts';
import type { CloudDirectory, CloudWriter } from './ports/cloud-directory.ts';
import type { Messenger } from './ports/messenger.ts';
import type { RelayClient } from './ports/relay.ts';
import type { RequestStore } from './ports/request-store.ts';
import type { SyncTrigger } from './ports/sync-trigger.ts';
import type { WorkQueues } from './ports/work-queue.ts';
import { createRelayClient } from './relay/client/relay-client.ts';
import { createAuditTrail } from './store/audit-trail.ts';
import { openStore } from './store/index.ts';
import { createAdapter, createServer } from './transport/create-server.ts';
import { authenticatedIngress, type Ingress } from './transport/ingress.ts';
import { isLoopbackHost } from './transport/loopback.ts';
import { BOT_VERSION } from './transport/version.ts';

/** Lease, polling and retry timings (tests shorten them), and the crash tests' boundary hook. */
export type EngineOptions = Pick<EngineDeps, 'leaseMs' | 'syncBusyRetryMs' | 'onBoundary'> & {
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

export interface ComposeBotOptions {
  /**
   * Validated configuration. The bot listens on `port` at `host`, serves only `tenantId` (and
   * resumes that tenant's abandoned executions) and keeps its requests at `storeUrl`; the sandbox
   * and the test bots override those fields on a copy.
   */
  config: Readonly<BotConfig>;
  logger: Logger;
  /** How the cloud directory signs in to Graph (DefaultAzureCredential in production, a static token against the emulator). */
  credential: TokenCredential;
  /** How an `azure-tables:https://...` store signs in; default the store's own DefaultAzureCredential. */
  storeCredential?: TokenCredential;
  /**
   * Name each part on its log lines (`part`: relay-client, cloud, bot): the sandbox runs the
   * emulator, the relay and the bot in one process. Default false.
   */
  tagParts?: boolean;
  engine?: EngineOptions;
  /** Who may post activities; default authenticatedIngress. The sandbox injects its anonymous one. */
  ingress?: Ingress;
  /** Put around every card as it leaves the bot; default none. The sandbox's says SANDBOX. */
  frame?: CardFrame;
  /** The welcome card's example button; default a `guid` conversion. */
  welcomeExample?: WelcomeExample;
  /**
   * Wraps the check of a person's "Done" on a MANUAL step: the sandbox's person does the step's
   * part on its stand-ins just before the bot looks at the result.
   */
  wrapCheckDone?: (check: CheckDone) => CheckDone;
  /**
   * close() waits for this instance's running executions. The sandbox's take seconds, so it lets
   * them finish; production leaves a running one to its lease (the next start resumes it) rather
   * than hold a shutdown for VERIFY_TIMEOUT_MINUTES. Default false.
   */
  finishExecutionsOnClose?: boolean;
  /** Scan timings (tests shorten them). */
  bulk?: Pick<WireBulkOptions, 'answerWithinMs' | 'progressIntervalMs' | 'fetch'>;
  /** Bulk execution timings: waves, the work-item consumer's visibility, retries and polling (tests shorten them). */
  bulkExecution?: BulkExecutionOptions['tuning'];
  /** The scan's whole-directory reads, when not the relay's and the cloud directory's own (tests). */
  scanSources?: ScanSources;
  /** Plain-http attachment links are read (the sandbox's Playground serves files over http); default https only. */
  allowHttpAttachments?: boolean;
}

/** The approval flow as composed: what commands and actions use, the replay guard, and this instance's executions. */
export interface ComposedApprovals extends ExecutionRunner {
  features: ApprovalFeatures;
  /** Stops this instance's bulk work-item consumer; resolves once the items it holds have ended. */
  stopConsuming(): Promise<void>;
  refuseReplay: ReplayGuard;
}

export interface ComposedBot {
  /** The bot's base URL, e.g. http://localhost:3978. */
  url: string;
  /** The approval flow, for tests (idle, features). */
  approvals: ComposedApprovals;
  /**
   * How many abandoned executions the start-up resume took over. Started once the bot listens;
   * a failure is logged here (and rejects this promise for whoever awaits it).
   */
  resumed: Promise<number>;
  /**
   * Stops the sweeper, the HTTP server, then (sandbox only) waits for this instance's executions,
   * then closes the store. Every step runs even if an earlier one failed.
   */
  close(): Promise<void>;
}

export async function composeBot(options: ComposeBotOptions): Promise<ComposedBot> {
  const { config, logger } = options;
  const part = (name: string): Logger => (options.tagParts ? logger.child({ part: name }) : logger);
  const relay = config.relay ? createRelayClient(config.relay, { logger: part('relay-client') }) : undefined;
  if (!relay)
    logger.warn('RELAY_URL is not set: `guid` converts GUIDs and ImmutableIDs but cannot look users up by name, and `match` cannot run');
  // The credential is only used at the first Graph call; a missing identity shows as CLOUD_AUTH_FAILED on the card.
  const cloud = createCloudDirectory({
    graphBaseUrl: config.graphBaseUrl,
    graphTimeoutMs: config.graphTimeoutMs,
    credential: options.credential,
    logger: part('cloud'),
  });
  // Bulk fixes (their re-reads, writes and verifications) say `x-ms-throttle-priority: low`, so a single `match` goes first.
  const bulkCloud = createCloudDirectory({
    graphBaseUrl: config.graphBaseUrl,
    graphTimeoutMs: config.graphTimeoutMs,
    credential: options.credential,
    logger: part('cloud'),
    priority: 'low',
  });
  const store = await openStore(config.storeUrl, options.storeCredential ? { credential: options.storeCredential } : {});
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const close = () => closeInReverse(closers);
  try {
    const ingress = options.ingress ?? authenticatedIngress;
    const adapter = createAdapter({ config, logger, ingress, ...(options.frame ? { frame: options.frame } : {}) });
    const messenger = createMessenger(adapter, config.botAuth.MicrosoftAppId ?? '');
    const queues = await openBulkQueues(config.queueUrl, store, options.storeCredential);
    const approvals = composeApprovals({
      logger,
      approval: config.approval,
      tenantId: config.tenantId ?? '',
      store,
      queues,
      cloud,
      bulkCloud,
      ...(relay ? { relay } : {}),
      messenger,
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.wrapCheckDone ? { wrapCheckDone: options.wrapCheckDone } : {}),
      ...(options.bulkExecution ? { bulkTuning: options.bulkExecution } : {}),
    });
    // Before the store closes: the work items this instance holds end, and it stops receiving.
    closers.push(() => approvals.stopConsuming());
    if (!approvals.features.admins.configured) {
      logger.warn('Neither ADMIN_GROUP_ID nor ADMIN_IDS is set: `match` works, but nobody can request or approve a fix until one is set');
    }
    if (options.finishExecutionsOnClose) closers.push(() => approvals.idle());
    const sources = options.scanSources ?? (relay ? snapshotSources(relay, cloud, config) : undefined);
    const { service, publisher } = approvals.features;
    const propose = async (scan: BulkScan, items: readonly BulkItem[]): Promise<string | null> => {
      const request = await service.proposeBulk(scan, items.map(bulkUserOf));
      // The scan's card, posted before the scan ended, shows the bulk request from now on.
      if (request && scan.card) await publisher.attach(request.id, scan.card);
      return request?.id ?? null;
    };
    const attachRequest = (requestId: string, posted: PostedCard) => publisher.attach(requestId, posted);
    const bulk = sources
      ? wireBulk({
          logger,
          store,
          sources,
          messenger,
          publicUrl: config.publicUrl,
          propose,
          attachRequest,
          ...(options.allowHttpAttachments ? { allowHttp: true } : {}),
          ...(options.bulk ?? {}),
        })
      : undefined;
    if (bulk) closers.push(() => bulk.idle());
    const bot = createBot({
      logger,
      cloud,
      approvals,
      ...(relay ? { relay } : {}),
      ...(bulk ? { bulk: bulk.features } : {}),
      ...(options.welcomeExample ? { welcomeExample: options.welcomeExample } : {}),
    });
    const reports = bulk ? { reports: { scans: bulk.features.scans, key: () => reportLinkKey(store), logger: part('bot') } } : {};
    const server = createServer({ config, logger: part('bot'), bot, version: BOT_VERSION, adapter, ingress, ...reports });
    if (ingress.anonymous && config.host && !isLoopbackHost(config.host)) {
      logger.warn(
        { host: config.host },
        'HOST makes the sandbox bot listen beyond this machine: its endpoint is anonymous, and with RELAY_URL it reads real AD users; anyone who can reach it can use it',
      );
    }
    const url = await server.listen(config.port, config.host);
    closers.push(() => server.close());
    // An execution another instance (or this one, before a restart) left mid-way is finished here.
    const resumed = approvals.resumeAbandoned();
    void resumed.catch((err: unknown) => logger.error({ err }, 'could not resume abandoned executions'));
    const stopSweeper = approvals.startSweeper();
    closers.push(() => Promise.resolve(stopSweeper()));
    return { url, approvals, resumed, close };
  } catch (err) {
    await close().catch((closeErr: unknown) => logger.error({ err: closeErr }, 'could not release what the bot had opened'));
    throw err;
  }
}

interface ApprovalParts {
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
  wrapCheckDone?: ComposeBotOptions['wrapCheckDone'];
  bulkTuning?: BulkExecutionOptions['tuning'];
}

/** The approval flow from its parts, so production and the sandbox run the same flow. */
function composeApprovals(o: ApprovalParts): ComposedApprovals {
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
  const noRelay = () => Promise.reject(new Error('no relay configured'));
  const sync: SyncTrigger = o.relay ?? { triggerSync: noRelay };
  const { pollIntervalMs, sleep, ...timings } = o.engine ?? {};
  const engine = createEngine({
    store: o.store,
    audit,
    steps: { cloud: o.cloud, sync, ...(pollIntervalMs ? { pollIntervalMs } : {}), ...(sleep ? { sleep } : {}) },
    owner,
    logger: o.logger.child({ part: 'engine' }),
    now,
    publish: (request) => publisher.publish(request),
    ...timings,
  });
  const executions = createExecutionRunner({
    engine,
    tenantId: o.tenantId,
    logger: o.logger,
    ...(timings.leaseMs ? { sweepIntervalMs: timings.leaseMs } : {}),
  });
  const bulk = createBulkExecution({
    store: o.store,
    audit,
    queues: o.queues,
    cloud: o.bulkCloud ?? o.cloud,
    ...(o.relay ? { relay: o.relay } : {}),
    publish: (request) => publisher.publish(request),
    owner,
    tenantId: o.tenantId,
    logger: o.logger,
    verifyTimeoutSeconds: Math.round(policy.verifyTimeoutMs / 1000),
    writesPerSecond: o.approval.bulkWritesPerSecond,
    ...(o.engine ? { engine: o.engine } : {}),
    ...(o.bulkTuning ? { tuning: o.bulkTuning } : {}),
  });
  const refingerprint = createRefingerprint({
    relay: o.relay ?? { lookup: noRelay },
    cloud: o.cloud,
    verifyTimeoutSeconds: Math.round(policy.verifyTimeoutMs / 1000),
  });
  const doneCheck: CheckDone = (request, step) =>
    checkDone(request, step, {
      cloud: o.cloud,
      ...(o.relay ? { relay: o.relay } : {}),
      ...(o.approval.syncScope ? { scope: o.approval.syncScope } : {}),
    });
  const service = createApprovalService({
    store: o.store,
    audit,
    admins,
    policy,
    logger: o.logger,
    refingerprint,
    // A bulk request's users run through the bulk executor (waves, shared budget, re-reads).
    execute: (id, options) => (options?.approved?.value.kind === 'bulk' ? bulk.start(id) : executions.execute(id, options)),
    claimOnApproval: (approved) => engine.claimOnApproval(approved),
    publish: (request, options) => publisher.publish(request, options),
    now,
    checkDone: o.wrapCheckDone ? o.wrapCheckDone(doneCheck) : doneCheck,
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
  const undo = createUndoService({ store: o.store, audit, now, admins, ttlMs: policy.ttlMs });
  const features: ApprovalFeatures = { service, undo, views, publisher, store: o.store, audit, admins, policy, now };
  return {
    ...executions,
    resumeAbandoned: async () => {
      const resumed = await executions.resumeAbandoned();
      void bulk.sweep().catch((err: unknown) => o.logger.error({ err }, 'could not resume bulk requests'));
      void sweepScans(retention).catch((err: unknown) => o.logger.error({ err }, 'the sweep of expired scans failed'));
      return resumed;
    },
    startSweeper(intervalMs) {
      const stop = executions.startSweeper(intervalMs);
      const timer = setInterval(
        () => {
          void bulk.sweep().catch((err: unknown) => o.logger.error({ err }, 'bulk sweep failed'));
          void sweepScans(retention).catch((err: unknown) => o.logger.error({ err }, 'the sweep of expired scans failed'));
        },
        intervalMs ?? o.engine?.leaseMs ?? 60_000,
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
    features,
    stopConsuming: () => bulk.stop(),
    refuseReplay: createReplayGuard({ store: o.store, views, logger: o.logger, now }),
  };
}

export interface CreateBotOptions {
  logger: Logger;
  /** Omit when RELAY_URL is not configured. */
  relay?: Pick<RelayClient, 'lookup'>;
  /** Omit when no cloud directory is configured (`match` and the guid card then say so). */
  cloud?: CloudDirectory;
  /** The approval flow; omit for a read-only bot (commands then say approval is not configured). */
  approvals?: Pick<ComposedApprovals, 'features' | 'refuseReplay'>;
  /** Scans (`scan`); omit when the relay, the cloud or the store is missing. */
  bulk?: BulkFeatures;
  /** Defaults to every command of this version. */
  registry?: CommandRegistry;
  /** The welcome card's example button; default a `guid` conversion. */
  welcomeExample?: WelcomeExample;
}

/** The Teams bot over its commands and actions (also a read-only one, for tests and benchmarks). */
export function createBot(options: CreateBotOptions): HardmatchBot {
  const registry = options.registry ?? createRegistry();
  const features = options.approvals?.features;
  const deps = {
    logger: options.logger,
    ...(options.relay ? { relay: options.relay } : {}),
    ...(options.cloud ? { cloud: options.cloud } : {}),
    ...(features ? { approvals: features } : {}),
    ...(options.bulk ? { bulk: options.bulk } : {}),
  };
  const manners = {
    route: (text: string, turn: Turn) => route(text, registry, deps, turn),
    showsTyping: (text: string) => showsTyping(text, registry),
    welcome: (turn: Turn) =>
      welcomeCard({ conversationType: turn.conversation.type, ...(options.welcomeExample ? { example: options.welcomeExample } : {}) }),
    backgroundError: (err: unknown, what: string) => options.logger.warn({ err }, `${what} failed`),
  };
  const approvals = options.approvals;
  if (!approvals || !features) return new HardmatchBot(manners);
  const bulk = options.bulk
    ? { bulk: { scans: options.bulk.scans, reportLink: options.bulk.reportLink.bind(options.bulk), admins: features.admins } }
    : {};
  const actionDeps = { approvals: features.service, views: features.views, logger: options.logger, ...bulk };
  return new HardmatchBot({
    ...manners,
    act: (invoke, turn) => routeAction(invoke, turn, actionDeps),
    refuseReplay: approvals.refuseReplay,
    errorCard: (err) => {
      options.logger.error({ err }, 'card action failed');
      return errorCard(toUserText(err));
    },
    posted: (requestId, turn, activityId) =>
      features.publisher.attach(requestId, { conversation: turn.conversation.reference, activityId }),
  });
}

/** Runs each closer, newest first, even when an earlier one failed; reports every failure at once. */
async function closeInReverse(closers: readonly (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const close of [...closers].reverse()) await close().catch((err: unknown) => failures.push(err));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, 'the bot did not stop cleanly');
}

/**
 * The scan's whole-directory reads, when the relay client and the cloud directory offer them
 * (OnPremSnapshotSource, CloudSnapshotSource); tenant facts are read fresh once per scan.
 */
function snapshotSources(relay: RelayClient, cloud: CloudDirectory, config: Readonly<BotConfig>): ScanSources | undefined {
  const onPrem = relay as RelayClient & Partial<OnPremSnapshotSource>;
  const whole = cloud as CloudDirectory & Partial<CloudSnapshotSource>;
  if (typeof onPrem.streamUsers !== 'function' || typeof whole.readCloudSnapshot !== 'function') return undefined;
  return {
    onPrem: onPrem as OnPremSnapshotSource,
    cloud: whole as CloudSnapshotSource,
    tenantFacts: () => cloud.tenantFacts(cloud.startDeadline(), { fresh: true }),
    verifyTimeoutSeconds: Math.round(config.approval.policy.verifyTimeoutMs / 1000),
  };
}

/** The users a bulk request covers before exclusions: its scan's fully automated plans. */
async function bulkUsersOf(scans: ScanStore, request: ApprovalRequest): Promise<BulkUser[]> {
  const bulk = request.bulk;
  if (!bulk) return [];
  const items = await scans.readItems(bulk.scanId, bulk.itemChunks);
  return items.map(bulkUserOf);
}

/** What a bulk request counts of each user it covers: who, and its irreversible steps. */
function bulkUserOf(item: BulkItem): BulkUser {
  return { samAccountName: item.samAccountName, dn: item.dn, purges: item.purges, ...(item.clears ? { clears: item.clears } : {}) };
}
