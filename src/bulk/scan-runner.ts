/**
 * Starting and running a scan: one record per scan, one lock per scope, progress written (and the
 * card replaced) at most every `progressIntervalMs`, never once per page; the report and the
 * fixable users stored when it ends. The caller answers at once with the scanning card; the scan
 * goes on in the background and replaces that card when it is done or has failed.
 */
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import { newRequestId } from '../domain/approval/request-id.ts';
import type { Actor } from '../domain/approval/types.ts';
import { dnKey } from '../domain/bulk/scan-list.ts';
import type { ReportRow } from '../domain/bulk/report.ts';
import type { BulkCounters, BulkScan, BulkScope } from '../domain/bulk/types.ts';
import { toUserText } from '../errors/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { ScanRequest } from './scan-input.ts';
import { runScan, type BulkItem, type ScanCounters, type ScanSources } from './scan.ts';
import { CHUNK_ROWS, type ScanStore } from './scan-store.ts';

/** The card is replaced at most this often while a scan runs. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 3_000;

export interface ScanRunnerDeps {
  scans: ScanStore;
  sources: ScanSources;
  /** Replaces the scan's card wherever it was posted (no-op until it is). */
  publish(scan: BulkScan): Promise<void>;
  /** Proposes one bulk request for the scan's fully automated plans; answers its id (null: none). */
  propose?(scan: BulkScan, items: readonly BulkItem[]): Promise<string | null>;
  logger: Logger;
  now?: () => number;
  randomBytes?: (n: number) => Uint8Array;
  progressIntervalMs?: number;
}

export type StartOutcome =
  | { ok: true; scan: BulkScan; finished: Promise<BulkScan> }
  /** Another scan of the same users is running: `holder` says who started it and when. */
  | { ok: false; holder: BulkScan };

export interface ScanRunner {
  start(request: ScanRequest, who: { actor: Actor; tenantId: string }): Promise<StartOutcome>;
}

export function scopeOf(request: ScanRequest): { scope: BulkScope; scopeKey: string } {
  if (request.kind === 'list') {
    const digest = createHash('sha256')
      .update(
        request.entries
          .map((e) => e.input.toLowerCase())
          .sort()
          .join('\n'),
      )
      .digest('hex')
      .slice(0, 16);
    return {
      scope: {
        kind: 'list',
        entries: request.entries.length,
        source: request.source,
        ...(request.fileName ? { fileName: request.fileName } : {}),
      },
      scopeKey: `list:${digest}`,
    };
  }
  if (request.scope.kind === 'ou')
    return { scope: { kind: 'ou', dn: request.scope.dn }, scopeKey: `ou:${dnKey(request.scope.dn) ?? request.scope.dn.toLowerCase()}` };
  return { scope: { kind: 'sync-scope' }, scopeKey: 'sync-scope' };
}

export function createScanRunner(deps: ScanRunnerDeps): ScanRunner {
  const now = deps.now ?? Date.now;
  const random = deps.randomBytes ?? ((n: number) => new Uint8Array(cryptoRandomBytes(n)));
  return {
    async start(request, who) {
      const { scope, scopeKey } = scopeOf(request);
      const at = now();
      const counters: BulkCounters = { adRead: 0, adPages: 0, cloudRead: 0, cloudPages: 0, diagnosed: 0 };
      const scan: BulkScan = {
        id: newRequestId(random),
        tenantId: who.tenantId,
        scope,
        scopeKey,
        state: 'scanning',
        startedBy: who.actor,
        startedAt: at,
        updatedAt: at,
        counters,
      };
      const locked = await deps.scans.lock(scan, at);
      if (!locked.ok) return locked;
      if (!(await deps.scans.create(scan))) {
        await deps.scans.unlock(scan);
        throw new Error(`scan id ${scan.id} is taken`);
      }
      deps.logger.info({ scanId: scan.id, scope: scopeKey, actor: who.actor.aadObjectId }, 'scan started');
      return { ok: true, scan, finished: run(deps, now, scan, request) };
    },
  };
}

async function run(deps: ScanRunnerDeps, now: () => number, scan: BulkScan, request: ScanRequest): Promise<BulkScan> {
  const interval = deps.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  let last = now();
  let writing: Promise<unknown> = Promise.resolve();
  const onProgress = (c: ScanCounters): void => {
    if (now() - last < interval) return;
    last = now();
    const counters: BulkCounters = {
      adRead: c.ad.read,
      adPages: c.ad.pages,
      cloudRead: c.cloud.read,
      cloudPages: c.cloud.pages,
      diagnosed: c.diagnosed,
    };
    // One progress write at a time; a tick that comes while one is under way is dropped (the next one carries it).
    writing = writing
      .then(async () => {
        const stored = await deps.scans.update(scan.id, (s) => ({ ...s, counters, updatedAt: now() }));
        await deps.publish(stored);
      })
      .catch((err: unknown) => deps.logger.warn({ err, scanId: scan.id }, "could not record the scan's progress"));
  };
  let final: BulkScan;
  try {
    // The report goes to the store chunk by chunk as the users are diagnosed, not held to the end.
    const report = { size: CHUNK_ROWS, save: (n: number, rows: ReportRow[]) => deps.scans.saveChunk(scan.id, 'rows', n, rows) };
    const result = await runScan(request, deps.sources, { onProgress, report });
    await writing;
    const reportChunks = result.reportChunks;
    const itemChunks = await deps.scans.saveChunks(scan.id, 'items', result.items);
    const counters = { ...((await deps.scans.get(scan.id))?.counters ?? scan.counters), diagnosed: result.summary.total };
    const done = await deps.scans.update(scan.id, (s) => ({
      ...s,
      state: 'done',
      counters,
      summary: result.summary,
      reportChunks,
      itemChunks,
      updatedAt: now(),
      endedAt: now(),
    }));
    final = await proposed(deps, done, result.items);
    deps.logger.info({ scanId: scan.id, users: result.summary.total, automated: result.items.length }, 'scan done');
  } catch (err) {
    await writing;
    const { code, title, text } = toUserText(err);
    deps.logger.warn({ err, scanId: scan.id }, 'scan failed');
    final = await deps.scans.update(scan.id, (s) => ({
      ...s,
      state: 'failed',
      failure: { code, title, text },
      updatedAt: now(),
      endedAt: now(),
    }));
  } finally {
    await deps.scans.unlock(scan).catch((err: unknown) => deps.logger.warn({ err, scanId: scan.id }, 'could not release the scan lock'));
  }
  await deps.publish(final).catch((err: unknown) => deps.logger.warn({ err, scanId: scan.id }, 'could not replace the scan card'));
  return final;
}

/**
 * The bulk request for the scan's fully automated plans, proposed once it is stored; the scan
 * stands without it when that fails (the report is there, the approval is not).
 */
async function proposed(deps: ScanRunnerDeps, done: BulkScan, items: readonly BulkItem[]): Promise<BulkScan> {
  if (!deps.propose) return done;
  try {
    const requestId = await deps.propose(done, items);
    return requestId ? await deps.scans.update(done.id, (s) => ({ ...s, requestId })) : done;
  } catch (err) {
    deps.logger.warn({ err, scanId: done.id }, 'could not propose the bulk request');
    return done;
  }
}
