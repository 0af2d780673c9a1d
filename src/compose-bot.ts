/**
 * The one composition root of the bot, shared by production (`src/main.ts`), the sandbox
 * (`src/sandbox/start-sandbox.ts`) and the test and bench bot processes. The only place concrete
 * adapters meet the product: the relay client from RELAY_URL, the cloud directory over
 * GRAPH_BASE_URL, the request store from STORE_URL and its audit trail, the adapter and its
 * Messenger; then the approval flow (rules, re-validation, engine, executions), the bot's commands
 * and actions, the HTTP server, the start-up resume and the periodic sweeper. Callers say only what
 * differs (configuration, the Graph credential, sandbox extras) and get back the listening bot and
 * its close(). Every other module takes its dependencies as arguments and imports only downward.
 * Its parts stand beside it: the approval flow (src/compose-approvals.ts) with bulk execution
 * (src/compose-bulk-execution.ts), the work-item queues and scans (src/compose-bulk.ts), and the
 * Teams bot over its commands and actions (src/compose-teams-bot.ts).
 */
import type { TokenCredential } from '@azure/identity';
import { createMessenger } from './bot/teams/messenger.ts';
import type { CardFrame } from './cards/card-parts.ts';
import type { WelcomeExample } from './cards/welcome-card.ts';
import { composeApprovals, type ComposedApprovals, type EngineOptions } from './compose-approvals.ts';
import { composeScans, openBulkQueues, type WireBulkOptions, type WiredBulk } from './compose-bulk.ts';
import { createBot } from './compose-teams-bot.ts';
import type { BulkExecutionOptions } from './bulk/bulk-execution.ts';
import { reportLinkKey } from './bulk/report-link.ts';
import type { ScanSources } from './bulk/scan.ts';
import type { CheckDone } from './approvals/types.ts';
import { createCloudDirectory } from './cloud-directory/index.ts';
import type { BotConfig } from './config/load-config.ts';
import type { HardmatchBot } from './bot/hardmatch-bot.ts';
import type { Logger } from './logging/logger.ts';
import type { RequestStore } from './ports/request-store.ts';
import { createRelayClient } from './relay/client/relay-client.ts';
import { openStore } from './store/index.ts';
import { createAdapter, createServer } from './transport/create-server.ts';
import { authenticatedIngress, type Ingress } from './transport/ingress.ts';
import { isLoopbackHost } from './transport/loopback.ts';
import { BOT_VERSION } from './transport/version.ts';

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
  const { relay, cloud, bulkCloud } = openDirectories(options, part);
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
    const bulk = composeScans({
      config,
      logger,
      store,
      messenger,
      ...(relay ? { relay } : {}),
      cloud,
      ...(options.scanSources ? { sources: options.scanSources } : {}),
      approvals: approvals.features,
      ...(options.allowHttpAttachments ? { allowHttp: true } : {}),
      ...(options.bulk ? { timings: options.bulk } : {}),
    });
    if (bulk) closers.push(() => bulk.idle());
    const bot = createBot({
      logger,
      cloud,
      approvals,
      ...(relay ? { relay } : {}),
      ...(bulk ? { bulk: bulk.features } : {}),
      ...(options.welcomeExample ? { welcomeExample: options.welcomeExample } : {}),
    });
    const server = serve({ config, logger, bot, store, bulk, part, adapter, ingress });
    const url = await server.listen(config.port, config.host);
    closers.push(() => server.close());
    const resumed = startBackground(approvals, logger, closers);
    return { url, approvals, resumed, close };
  } catch (err) {
    await close().catch((closeErr: unknown) => logger.error({ err: closeErr }, 'could not release what the bot had opened'));
    throw err;
  }
}

/** The relay client (RELAY_URL, if set) and the cloud directory, once as `match` uses it and once for bulk fixes. */
function openDirectories(options: ComposeBotOptions, part: (name: string) => Logger) {
  const { config, logger } = options;
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
  return { relay, cloud, bulkCloud };
}

interface ServeParts {
  config: Readonly<BotConfig>;
  logger: Logger;
  part: (name: string) => Logger;
  bot: HardmatchBot;
  store: RequestStore;
  bulk: WiredBulk | undefined;
  adapter: ReturnType<typeof createAdapter>;
  ingress: Ingress;
}

/** The HTTP server in front of the bot (with report downloads when scans run), not yet listening. */
function serve(o: ServeParts): ReturnType<typeof createServer> {
  const { config, logger, bulk, store } = o;
  const reports = bulk ? { reports: { scans: bulk.features.scans, key: () => reportLinkKey(store), logger: o.part('bot') } } : {};
  const server = createServer({
    config,
    logger: o.part('bot'),
    bot: o.bot,
    version: BOT_VERSION,
    adapter: o.adapter,
    ingress: o.ingress,
    ...reports,
  });
  if (o.ingress.anonymous && config.host && !isLoopbackHost(config.host)) {
    logger.warn(
      { host: config.host },
      'HOST makes the sandbox bot listen beyond this machine: its endpoint is anonymous, and with RELAY_URL it reads real AD users; anyone who can reach it can use it',
    );
  }
  return server;
}

/** The start-up resume and the periodic sweeper, once the bot listens; the sweeper's stop joins the closers. */
function startBackground(approvals: ComposedApprovals, logger: Logger, closers: (() => Promise<void>)[]): Promise<number> {
  // An execution another instance (or this one, before a restart) left mid-way is finished here.
  const resumed = approvals.resumeAbandoned();
  void resumed.catch((err: unknown) => logger.error({ err }, 'could not resume abandoned executions'));
  const stopSweeper = approvals.startSweeper();
  closers.push(() => Promise.resolve(stopSweeper()));
  return resumed;
}

/** Runs each closer, newest first, even when an earlier one failed; reports every failure at once. */
async function closeInReverse(closers: readonly (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const close of [...closers].reverse()) await close().catch((err: unknown) => failures.push(err));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, 'the bot did not stop cleanly');
}
