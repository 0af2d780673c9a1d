/**
 * The one composition of the bot, shared by production (`src/main.ts`), the sandbox
 * (`src/sandbox/start-sandbox.ts`) and the test and bench bot processes: the relay client from
 * RELAY_URL, the cloud directory over GRAPH_BASE_URL, the request store from STORE_URL, the
 * adapter and its Messenger, the approval flow, the bot behind restify, the resume of executions
 * left mid-way and the periodic sweeper. Callers say only what differs (configuration, the Graph
 * credential, sandbox extras) and get back the listening bot and its close().
 */
import type { TokenCredential } from '@azure/identity';
import { createBot } from './bot/create-bot.ts';
import { createMessenger } from './bot/teams/messenger.ts';
import { wireApprovals, type WiredApprovals, type WireApprovalsOptions } from './bot/wire-approvals.ts';
import { wireBulk, type WireBulkOptions } from './bot/wire-bulk.ts';
import { reportLinkKey } from './bulk/report-link.ts';
import type { ScanSources } from './bulk/scan.ts';
import type { CloudDirectory } from './ports/cloud-directory.ts';
import type { RelayClient } from './ports/relay.ts';
import type { CloudSnapshotSource, OnPremSnapshotSource } from './ports/snapshot.ts';
import { createCloudDirectory } from './cloud-directory/index.ts';
import type { BotConfig } from './config/load-config.ts';
import type { Logger } from './logging/logger.ts';
import { createRelayClient } from './relay/client/relay-client.ts';
import { openStore } from './store/index.ts';
import { createAdapter, createServer } from './transport/create-server.ts';
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
  /** Engine timings and hooks (tests shorten leases and polling; the crash test's boundary hook). */
  engine?: WireApprovalsOptions['engine'];
  /** The sandbox's stand-in for the person doing a MANUAL step on its own AD. */
  carryOutManual?: WireApprovalsOptions['carryOutManual'];
  /** Scan timings (tests shorten them). */
  bulk?: Pick<WireBulkOptions, 'answerWithinMs' | 'progressIntervalMs' | 'fetch'>;
  /** The scan's whole-directory reads, when not the relay's and the cloud directory's own (tests). */
  scanSources?: ScanSources;
}

export interface ComposedBot {
  /** The bot's base URL, e.g. http://localhost:3978. */
  url: string;
  /** The approval flow, for tests (idle, features). */
  approvals: WiredApprovals;
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
  if (!relay) logger.warn('RELAY_URL is not set: `guid` converts GUIDs and ImmutableIDs but cannot look users up by name, and `match` cannot run');
  // The credential is only used at the first Graph call; a missing identity shows as CLOUD_AUTH_FAILED on the card.
  const cloud = createCloudDirectory({ graphBaseUrl: config.graphBaseUrl, graphTimeoutMs: config.graphTimeoutMs, credential: options.credential, logger: part('cloud') });
  const store = await openStore(config.storeUrl, options.storeCredential ? { credential: options.storeCredential } : {});
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const close = () => closeInReverse(closers);
  try {
    const adapter = createAdapter({ config, logger });
    const messenger = createMessenger(adapter, config.botAuth.MicrosoftAppId ?? '');
    const approvals = wireApprovals({
      sandbox: config.sandbox,
      logger,
      approval: config.approval,
      tenantId: config.tenantId ?? '',
      store,
      cloud,
      ...(relay ? { relay } : {}),
      messenger,
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.carryOutManual ? { carryOutManual: options.carryOutManual } : {}),
    });
    if (!approvals.features.admins.configured) {
      logger.warn('Neither ADMIN_GROUP_ID nor ADMIN_IDS is set: `match` works, but nobody can request or approve a fix until one is set');
    }
    // The sandbox's runs take seconds, so it lets them finish; production leaves a running one to
    // its lease (the next start resumes it) rather than hold a shutdown for VERIFY_TIMEOUT_MINUTES.
    if (config.sandbox) closers.push(() => approvals.idle());
    const sources = options.scanSources ?? (relay ? snapshotSources(relay, cloud, config) : undefined);
    const bulk = sources ? wireBulk({ sandbox: config.sandbox, logger, store, sources, messenger, publicUrl: config.publicUrl, ...(options.bulk ?? {}) }) : undefined;
    if (bulk) closers.push(() => bulk.idle());
    const bot = createBot({ sandbox: config.sandbox, logger, cloud, approvals, ...(relay ? { relay } : {}), ...(bulk ? { bulk: bulk.features } : {}) });
    const reports = bulk ? { reports: { scans: bulk.features.scans, key: () => reportLinkKey(store), logger: part('bot') } } : {};
    const server = createServer({ config, logger: part('bot'), bot, version: BOT_VERSION, adapter, ...reports });
    if (config.sandbox && config.host && !isLoopbackHost(config.host)) {
      logger.warn({ host: config.host }, 'HOST makes the sandbox bot listen beyond this machine: its endpoint is anonymous, and with RELAY_URL it reads real AD users; anyone who can reach it can use it');
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
