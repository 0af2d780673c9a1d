/**
 * Part of the composition root (src/compose-bot.ts calls it): the bulk work items' queues
 * (QUEUE_URL: Azure Storage Queues, or the request store itself by default), scans from their parts, the stored
 * scans (the request store's settings), the runner over the relay's and the cloud's snapshot reads,
 * the card kept up to date through the Messenger, and report links signed with the store's shared
 * key.
 */
import type { TokenCredential } from '@azure/identity';
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { reportLinkKey, reportLinkPath, REPORT_LINK_TTL_MS } from './bulk/report-link.ts';
import { MAX_FILE_BYTES } from './bulk/scan-input.ts';
import { createScanRunner, type ScanRunnerDeps } from './bulk/scan-runner.ts';
import { createScanStore } from './bulk/scan-store.ts';
import type { ScanSources } from './bulk/scan.ts';
import { bulkCard } from './cards/bulk-card.ts';
import type { BulkScan } from './domain/bulk/types.ts';
import type { PostedCard } from './domain/approval/types.ts';
import type { Logger } from './logging/logger.ts';
import type { Messenger } from './ports/messenger.ts';
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
