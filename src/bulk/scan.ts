/**
 * A scan: the AD users streamed from the relay page by page, the tenant read once (users, deleted
 * users, groups) and indexed in memory, and each AD user diagnosed by the same pure `diagnose`
 * that `match` runs, from evidence the index answers. Tenant facts (domains, switches, role
 * holders) are read once. No Graph call per user; time and memory grow linearly with the users.
 *
 * The two reads overlap: AD pages that arrive before the cloud snapshot is indexed wait in memory,
 * later ones are diagnosed as they arrive, while the next page is being read. A failure on either
 * side ends the other read and is the scan's failure.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { fingerprintOf } from '../domain/approval/fingerprint.ts';
import type { FingerprintFact } from '../domain/approval/types.ts';
import { evidenceFromIndex, indexCloud, type CloudIndex } from '../domain/bulk/cloud-index.ts';
import { isAutomated, type BulkOutcome } from '../domain/bulk/outcome.ts';
import { rowOf, SummaryBuilder, unknownRow, type BulkSummary, type ReportRow } from '../domain/bulk/report.ts';
import { ListResolver, type ListEntry } from '../domain/bulk/scan-list.ts';
import type { TenantFacts } from '../domain/cloud.ts';
import { diagnose } from '../domain/diagnosis/index.ts';
import type { OnPremUser } from '../domain/onprem-user.ts';
import type { CloudSnapshotSource, OnPremSnapshotSource, ScanProgress, ScanScope } from '../ports/snapshot.ts';
import { ReportWriter, type ReportSink } from './report-writer.ts';
import type { ScanRequest } from './scan-input.ts';

export interface ScanSources {
  onPrem: OnPremSnapshotSource;
  cloud: CloudSnapshotSource;
  /** Read once per scan, fresh (role holders decide TARGET_HAS_ADMIN_ROLE). */
  tenantFacts(): Promise<TenantFacts>;
  /** VERIFY_JOINED's time limit in the plans (VERIFY_TIMEOUT_MINUTES). */
  verifyTimeoutSeconds?: number;
}

export interface ScanCounters {
  ad: ScanProgress;
  cloud: ScanProgress;
  diagnosed: number;
}

/** A user whose plan the bot can run alone: what a bulk approval covers and execution re-checks. */
export interface BulkItem {
  /** Position in the report (0-based), so the item points at its row. */
  row: number;
  dn: string;
  samAccountName: string;
  outcome: BulkOutcome;
  cloudUpn: string | null;
  /** The facts the plan rests on, compared again just before this user's steps run. */
  fingerprint: FingerprintFact[];
  steps: number;
  purges: number;
  /** CLEAR_OBJECT_IDENTIFIER steps (IRREVERSIBLE: Graph takes only null); absent in scans stored before it was counted. */
  clears?: number;
  /** A bulk undo's item: the user's own request (of the bulk it undoes) whose reversible steps it reverts. */
  undoes?: string;
}

export interface ScanResult {
  /** The report's rows, in order: all of them, or, with a `report` sink, none (the sink has them). */
  rows: ReportRow[];
  /** Chunks handed to the `report` sink (0 without one). */
  reportChunks: number;
  summary: BulkSummary;
  items: BulkItem[];
}

export async function runScan(
  request: ScanRequest,
  sources: ScanSources,
  options: { signal?: AbortSignal; onProgress?: (counters: ScanCounters) => void; report?: ReportSink } = {},
): Promise<ScanResult> {
  const counters: ScanCounters = { ad: { read: 0, pages: 0 }, cloud: { read: 0, pages: 0 }, diagnosed: 0 };
  const tell = (): void => options.onProgress?.({ ad: { ...counters.ad }, cloud: { ...counters.cloud }, diagnosed: counters.diagnosed });
  // Ends the AD read when the scan fails on the cloud side (or the caller aborts).
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const tenant = sources.tenantFacts();
  const index = sources.cloud
    .readCloudSnapshot({ signal, onProgress: (p) => ((counters.cloud = { ...p }), tell()) })
    .then(async (snapshot) => ({ index: indexCloud(snapshot), tenant: await tenant }));
  // Both reads run from the start; a failure of either is the scan's failure (awaited below).
  tenant.catch(() => undefined);
  const out = new Collector(sources);
  const scope: ScanScope = request.kind === 'scope' ? request.scope : { kind: 'sync-scope' };
  const resolver = request.kind === 'list' ? new ListResolver(request.entries) : null;
  const pages = new PageQueue();
  const writer = options.report ? new ReportWriter(options.report) : undefined;
  const reading = (async () => {
    for await (const page of sources.onPrem.streamUsers(scope, { signal })) {
      // A source that goes on past the abort is left all the same (leaving the loop closes it).
      signal.throwIfAborted();
      counters.ad = { read: counters.ad.read + page.length, pages: counters.ad.pages + 1 };
      if (resolver) resolver.offer(page);
      else pages.push(page);
      tell();
    }
  })().finally(() => pages.end());
  try {
    const ready = await Promise.race([index, reading.then(() => index)]);
    // Pages are diagnosed as they come, one turn each, so the next page's answer is read meanwhile.
    for (let page = await pages.next(); page !== null; page = await pages.next()) {
      out.diagnosePage(page, ready);
      counters.diagnosed = out.count;
      writer?.take(out.rows);
      if (writer?.failure) throw writer.failure.error;
      tell();
      await nextTurn();
    }
    await reading;
    if (resolver) out.diagnoseList(resolver.result(), ready);
    writer?.take(out.rows, true);
  } catch (err) {
    stop.abort(err);
    await Promise.allSettled([reading, index]);
    throw err;
  }
  const reportChunks = writer ? await writer.finish() : 0;
  counters.diagnosed = out.count;
  tell();
  return { rows: out.rows, reportChunks, summary: out.summary.summary(), items: out.items };
}

/** The AD pages read and not yet diagnosed, oldest first; `next` waits for one, null once the read ended. */
class PageQueue {
  readonly #pages: OnPremUser[][] = [];
  #ended = false;
  #wake: (() => void) | undefined;

  push(page: OnPremUser[]): void {
    this.#pages.push(page);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async next(): Promise<OnPremUser[] | null> {
    while (this.#pages.length === 0 && !this.#ended) await new Promise<void>((resolve) => (this.#wake = resolve));
    this.#wake = undefined;
    return this.#pages.shift() ?? null;
  }
}

class Collector {
  /** Rows not yet handed on (every row, without a report sink). */
  readonly rows: ReportRow[] = [];
  /** Rows made so far. */
  count = 0;
  readonly items: BulkItem[] = [];
  readonly summary = new SummaryBuilder();
  readonly #sources: ScanSources;

  constructor(sources: ScanSources) {
    this.#sources = sources;
  }

  diagnosePage(page: readonly OnPremUser[], ready: { index: CloudIndex; tenant: TenantFacts }): void {
    for (const user of page) this.#diagnose(user, ready);
  }

  diagnoseList(lines: ReturnType<ListResolver['result']>, ready: { index: CloudIndex; tenant: TenantFacts }): void {
    for (const line of lines) {
      if ('user' in line) this.#diagnose(line.user, ready, line.entry);
      else this.#add(unknownRow(line.entry.line, line.entry.input, line.why));
    }
  }

  #diagnose(onPrem: OnPremUser, ready: { index: CloudIndex; tenant: TenantFacts }, entry?: ListEntry): void {
    const evidence = evidenceFromIndex(ready.index, onPrem, ready.tenant);
    const verify = this.#sources.verifyTimeoutSeconds;
    const diagnosis = diagnose({ who: onPrem.samAccountName, onPrem, evidence, ...(verify ? { verifyTimeoutSeconds: verify } : {}) });
    const row = rowOf(diagnosis, entry);
    const purges = diagnosis.plan.steps.filter((s) => s.kind === 'PURGE_DELETED_USER').length;
    const clears = diagnosis.plan.steps.filter((s) => s.kind === 'CLEAR_OBJECT_IDENTIFIER').length;
    if (isAutomated(row.outcome)) {
      this.items.push({
        row: this.count,
        dn: onPrem.dn,
        samAccountName: onPrem.samAccountName,
        outcome: row.outcome,
        cloudUpn: row.cloudUpn,
        fingerprint: fingerprintOf(diagnosis),
        steps: diagnosis.plan.steps.length,
        purges,
        clears,
      });
    }
    this.#add(row, { purges, clears });
  }

  #add(row: ReportRow, irreversible?: { purges: number; clears: number }): void {
    this.rows.push(row);
    this.count += 1;
    this.summary.add(row, irreversible);
  }
}
