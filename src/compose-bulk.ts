/**
 * Part of the composition root (src/compose-bot.ts calls it): the bulk work items' queues
 * (QUEUE_URL: Azure Storage Queues, or the request store itself by default), scans from their parts, the stored
 * scans (the request store's settings), the runner over the relay's and the cloud's snapshot reads,
 * the card kept up to date through the Messenger, report links signed with the store's shared
 * key, and the bulk request a finished scan proposes (the users it covers, read back by the approval
 * flow from the scan).
 */
import type { TokenCredential } from '@azure/identity';
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { BulkUser } from './approvals/bulk-requests.ts';
import type { ApprovalFeatures } from './bot/approval-features.ts';
import { reportLinkKey, reportLinkPath, REPORT_LINK_TTL_MS } from './bulk/report-link.ts';
import { MAX_FILE_BYTES } from './bulk/scan-input.ts';
import { createScanRunner, type ScanRunnerDeps } from './bulk/scan-runner.ts';
import { createScanStore, type ScanStore } from './bulk/scan-store.ts';
import type { BulkItem, ScanSources } from './bulk/scan.ts';
import { bulkCard } from './cards/bulk-card.ts';
import type { BotConfig } from './config/load-config.ts';
import type { BulkScan } from './domain/bulk/types.ts';
import type { ApprovalRequest, PostedCard } from './domain/approval/types.ts';
import type { Logger } from './logging/logger.ts';
import type { CloudDirectory } from './ports/cloud-directory.ts';
import type { Messenger } from './ports/messenger.ts';
import type { RelayClient } from './ports/relay.ts';
import type { CloudSnapshotSource, OnPremSnapshotSource } from './ports/snapshot.ts';
import type { RequestStore } from './ports/request-store.ts';
import type { WorkQueues } from './ports/work-queue.ts';
import { openWorkQueues } from './queue/index.ts';
import type { BulkFeatures } from './bot/bulk-features.ts';
import { readAttachedFile } from './bot/teams/attached-file.ts';

/** How long `scan` waits for a short scan to end before answering with the progress card. */
export const DEFAULT_ANSWER_WITHIN_MS = 4_000;

export interface WireBulkOptions {
  logger: Logger;
  store: RequestStore;
  sources: ScanSources;
  messenger: Messenger;
  /** Plain-http attachment links are read too (the sandbox's Playground serves files over http); default false. */
  allowHttp?: boolean;
  /** The bot's base URL as admins' browsers reach it (report links). */
  publicUrl: string;
  /** Proposes the bulk request for a finished scan's fully automated plans; answers its id. */
  propose?: ScanRunnerDeps['propose'];
  /** Records that the scan's card was posted, on its bulk request too (its later states replace it). */
  attachRequest?(requestId: string, posted: PostedCard): Promise<void>;
  now?: () => number;
  fetch?: typeof fetch;
  answerWithinMs?: number;
  progressIntervalMs?: ScanRunnerDeps['progressIntervalMs'];
}

export interface WiredBulk {
  features: BulkFeatures;
  /** Resolves once every scan this instance started has ended. */
  idle(): Promise<void>;
}

export function wireBulk(o: WireBulkOptions): WiredBulk {
  const now = o.now ?? Date.now;
  const scans = createScanStore(o.store);
  const logger = o.logger.child({ part: 'bulk' });
  const cardOf = (scan: BulkScan): { card: IAdaptiveCard; text: string } => {
    const card = bulkCard({ scan });
    return { card, text: card.speak ?? `Scan ${scan.id}` };
  };
  const publish = async (scan: BulkScan): Promise<void> => {
    if (scan.card) await o.messenger.replace(scan.card, cardOf(scan));
  };
  const runner = createScanRunner({
    scans,
    sources: o.sources,
    publish,
    ...(o.propose ? { propose: o.propose } : {}),
    logger,
    now,
    ...(o.progressIntervalMs !== undefined ? { progressIntervalMs: o.progressIntervalMs } : {}),
  });
  const running = new Set<Promise<unknown>>();
  const features: BulkFeatures = {
    runner,
    scans,
    async reportLink(scan, userId) {
      const key = await reportLinkKey(o.store);
      const path = reportLinkPath(key, { scanId: scan.id, tenantId: scan.tenantId, user: userId, exp: now() + REPORT_LINK_TTL_MS });
      return { url: `${o.publicUrl}${path}`, minutes: REPORT_LINK_TTL_MS / 60_000 };
    },
    async attach(scanId, posted) {
      const scan = await scans.update(scanId, (s) => ({ ...s, card: posted }));
      if (scan.requestId && o.attachRequest) await o.attachRequest(scan.requestId, posted);
      // The scan may have ended (or moved on) before the card was posted: show where it is now.
      await publish(scan).catch((err: unknown) => logger.warn({ err, scanId }, 'could not replace the scan card'));
    },
    track(work) {
      const tracked = work
        .catch((err: unknown) => logger.error({ err }, 'scan failed unexpectedly'))
        .finally(() => running.delete(tracked));
      running.add(tracked);
    },
    readFile: (file) =>
      readAttachedFile(file, { maxBytes: MAX_FILE_BYTES, allowHttp: o.allowHttp ?? false, ...(o.fetch ? { fetch: o.fetch } : {}) }),
    answerWithinMs: o.answerWithinMs ?? DEFAULT_ANSWER_WITHIN_MS,
  };
  return {
    features,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/** The bulk work items' queues QUEUE_URL names; `store` (the default) keeps them in the request store. */
export function openBulkQueues(queueUrl: string, store: RequestStore, credential?: TokenCredential): Promise<WorkQueues> {
  return openWorkQueues(queueUrl, { store, ...(credential ? { credential } : {}) });
}

export interface ScanParts {
  config: Readonly<BotConfig>;
  logger: Logger;
  store: RequestStore;
  messenger: Messenger;
  /** Undefined without RELAY_URL: then no scans, unless `sources` are given. */
  relay?: RelayClient;
  cloud: CloudDirectory;
  /** The scan's whole-directory reads, when not the relay's and the cloud directory's own (tests). */
  sources?: ScanSources;
  /** Where a finished scan's bulk request is proposed, and the scan's card attached to it. */
  approvals: Pick<ApprovalFeatures, 'service' | 'publisher'>;
  allowHttp?: boolean;
  /** Scan timings (tests shorten them). */
  timings?: Pick<WireBulkOptions, 'answerWithinMs' | 'progressIntervalMs' | 'fetch'>;
}

/** Scans wired to the approval flow; undefined when nothing can read whole directories. */
export function composeScans(o: ScanParts): WiredBulk | undefined {
  const sources = o.sources ?? (o.relay ? snapshotSources(o.relay, o.cloud, o.config) : undefined);
  if (!sources) return undefined;
  const { service, publisher } = o.approvals;
  const propose = async (scan: BulkScan, items: readonly BulkItem[]): Promise<string | null> => {
    const request = await service.proposeBulk(scan, items.map(bulkUserOf));
    // The scan's card, posted before the scan ended, shows the bulk request from now on.
    if (request && scan.card) await publisher.attach(request.id, scan.card);
    return request?.id ?? null;
  };
  const attachRequest = (requestId: string, posted: PostedCard) => publisher.attach(requestId, posted);
  return wireBulk({
    logger: o.logger,
    store: o.store,
    sources,
    messenger: o.messenger,
    publicUrl: o.config.publicUrl,
    propose,
    attachRequest,
    ...(o.allowHttp ? { allowHttp: true } : {}),
    ...(o.timings ?? {}),
  });
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
export async function bulkUsersOf(scans: ScanStore, request: ApprovalRequest): Promise<BulkUser[]> {
  const bulk = request.bulk;
  if (!bulk) return [];
  const items = await scans.readItems(bulk.scanId, bulk.itemChunks);
  return items.map(bulkUserOf);
}

/** What a bulk request counts of each user it covers: who, and its irreversible steps. */
function bulkUserOf(item: BulkItem): BulkUser {
  return { samAccountName: item.samAccountName, dn: item.dn, purges: item.purges, ...(item.clears ? { clears: item.clears } : {}) };
}
