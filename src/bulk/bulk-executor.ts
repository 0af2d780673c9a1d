/**
 * Runs an approved bulk request: its users in waves, each user's plan one work item that any bot
 * instance may run (bulk-item.ts: exactly once, its own audit entries), one delta sync per wave
 * once the wave's writes are done, then the wave's verification, then the next wave. One instance
 * coordinates (it holds the bulk request's lease, renewed as it goes; another takes over once it
 * lapses); the others help with the current wave's items (`help`). Writes take from the shared
 * write budget. `cancel` stops new items: running ones finish, then the request ends `cancelled`.
 * Progress (done / skipped / failed / waiting of N) is stored and the card replaced at most every
 * `progressIntervalMs`; the bulk request's own trail records each wave, sync and the end.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditEvent } from '../domain/audit/types.ts';
import type { BulkItemNote, BulkProgress } from '../domain/bulk/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { casUpdate } from '../concurrency/cas-update.ts';
import type { StepResult } from '../execution/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { endOf, itemRequestId, type BulkItemDeps, type ItemEnd } from './bulk-item.ts';
import { runItem } from './bulk-undo-item.ts';
import type { BulkItem } from './scan.ts';
import type { ScanStore } from './scan-store.ts';
import type { WaveSyncResult } from './wave-sync.ts';

export const DEFAULT_WAVE_SIZE = 100;
export const DEFAULT_ITEM_CONCURRENCY = 16;
export const DEFAULT_PROGRESS_MS = 5_000;
const NOTES_KEPT = 20;
const NOTE_DETAIL_CHARS = 300;

export interface BulkExecutorDeps extends BulkItemDeps {
  audit: AuditTrail;
  store: RequestStore;
  scans: ScanStore;
  /** The wave's sync (wave-sync.ts): one delta sync (Connect Sync), or each user's on-demand run (Cloud Sync). */
  syncWave(children: readonly ApprovalRequest[]): Promise<WaveSyncResult>;
  /** The user's VERIFY_JOINED, run after the wave's sync. */
  verify(step: PlanStep, child: ApprovalRequest, syncStartedAt: number): Promise<StepResult>;
  publish(request: ApprovalRequest): Promise<void>;
  owner: string;
  logger: Logger;
  leaseMs?: number;
  waveSize?: number;
  concurrency?: number;
  progressIntervalMs?: number;
}

export interface BulkExecutor {
  /** Claims the approved (or abandoned) bulk request and runs it to the end; false when another instance has it. */
  run(bulkId: string): Promise<boolean>;
  /** Runs items of executing bulk requests' current waves, and takes over those whose coordinator died. */
  sweep(tenantId: string): Promise<void>;
}

export function createBulkExecutor(deps: BulkExecutorDeps): BulkExecutor {
  const leaseMs = deps.leaseMs ?? 60_000;
  const self: BulkExecutor = {
    async run(bulkId) {
      const claimed = await claim(deps, bulkId, leaseMs);
      if (!claimed) return false;
      await coordinate(deps, claimed, leaseMs);
      return true;
    },
    async sweep(tenantId) {
      const executing = (await deps.store.listByState(tenantId, ['approved', 'executing'])).filter((r) => r.value.kind === 'bulk');
      for (const { value } of executing) {
        if ((value.lease?.until ?? 0) <= deps.now()) await self.run(value.id);
        else await help(deps, value);
      }
    },
  };
  return self;
}

/**
 * The claim and its trail entry in one compare-and-swap (staged in the request's audit outbox, as
 * every single request's change is), then flushed into the trail: never a claim without its entry.
 */
async function claim(deps: BulkExecutorDeps, bulkId: string, leaseMs: number): Promise<ApprovalRequest | null> {
  const result = await casUpdate(
    deps.store,
    bulkId,
    ({ value }) => {
      const at = deps.now();
      const free = value.state === 'approved' || (value.state === 'executing' && (value.lease?.until ?? 0) <= at);
      if (value.kind !== 'bulk' || !free || !value.bulk) return null;
      const resumed = value.bulk.progress !== undefined;
      const claimed: ApprovalRequest = { ...value, state: 'executing', lease: { owner: deps.owner, until: at + leaseMs }, updatedAt: at };
      return deps.audit.stage(claimed, [
        {
          requestId: bulkId,
          at,
          actor: null,
          action: resumed ? 'execution-resumed' : 'execution-claimed',
          summary: `${resumed ? 'Resumed' : 'Started'} by bot instance ${deps.owner}`,
        },
      ]);
    },
    10,
  );
  if (!result.written) return null;
  await deps.audit.flush(result.stored.value);
  return result.stored.value;
}

async function coveredItems(deps: BulkExecutorDeps, bulk: ApprovalRequest): Promise<{ index: number; item: BulkItem }[]> {
  const info = bulk.bulk;
  if (!info) return [];
  const excluded = new Set(info.excluded.map((n) => n.toLowerCase()));
  // A bulk undo's items (the users' requests it reverts) are stored under its own id.
  const items = await deps.scans.readItems(info.undo ? bulk.id : info.scanId, info.itemChunks);
  return items.map((item, index) => ({ index, item })).filter(({ item }) => !excluded.has(item.samAccountName.toLowerCase()));
}

/**
 * Coordinates while this instance holds the bulk request's lease, renewed every third of it; a
 * renewal that finds another owner (this instance stalled past its lease) ends the coordination
 * here, leaving the request to the instance that took it over.
 */
async function coordinate(deps: BulkExecutorDeps, claimed: ApprovalRequest, leaseMs: number): Promise<void> {
  const held = { lost: false };
  const renew = async (): Promise<void> => {
    const result = await casUpdate(
      deps.store,
      claimed.id,
      ({ value }) =>
        value.state === 'executing' && value.lease?.owner === deps.owner
          ? { ...value, lease: { owner: deps.owner, until: deps.now() + leaseMs } }
          : null,
      5,
    );
    if (!result.written && !result.exhausted) held.lost = true;
  };
  const heartbeat = setInterval(
    () => void renew().catch((err: unknown) => deps.logger.warn({ err, bulkId: claimed.id }, 'could not renew the bulk lease')),
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  heartbeat.unref();
  try {
    await coordinateHeld(deps, claimed, leaseMs, held);
  } finally {
    clearInterval(heartbeat);
  }
}

async function coordinateHeld(deps: BulkExecutorDeps, claimed: ApprovalRequest, leaseMs: number, held: { lost: boolean }): Promise<void> {
  const all = await coveredItems(deps, claimed);
  const size = deps.waveSize ?? 100;
  const tally = new Tally(all.length);
  let bulk = claimed;
  let lastShown = 0;
  const show = async (force = false): Promise<void> => {
    if (!force && deps.now() - lastShown < (deps.progressIntervalMs ?? DEFAULT_PROGRESS_MS)) return;
    lastShown = deps.now();
    if (held.lost) return;
    bulk = await store(deps, bulk.id, (r) => ({ ...withProgress(r, tally), lease: { owner: deps.owner, until: deps.now() + leaseMs } }));
    await deps.publish(bulk).catch((err: unknown) => deps.logger.warn({ err, bulkId: bulk.id }, 'could not replace the bulk card'));
  };
  for (let start = 0; start < all.length; start += size) {
    bulk = (await deps.store.get(bulk.id))?.value ?? bulk;
    if (held.lost) return;
    if (bulk.bulk?.stopRequested) break;
    const wave = all.slice(start, start + size);
    tally.waves += 1;
    await show(true);
    const ends = await runWave(deps, bulk, wave, () => show());
    const done = ends.flatMap((e) => (e.end === 'done' && e.request ? [e.request] : []));
    const synced = await syncAndVerify(deps, bulk, done, tally);
    for (const e of ends) tally.add(e.item.samAccountName, e.request, e.end, e.why);
    if (held.lost) return;
    // The wave's progress and its sync's trail entry: one compare-and-swap.
    bulk = await store(deps, bulk.id, (r) => withProgress(r, tally), synced ? [synced] : []);
  }
  if (held.lost) return;
  const stopped = (await deps.store.get(bulk.id))?.value.bulk?.stopRequested;
  const final = stopped ? 'cancelled' : 'done';
  const p = tally.progress();
  // The end and its trail entry: one compare-and-swap.
  bulk = await store(deps, bulk.id, (r) => ({ ...withProgress(r, tally), state: final }), [
    {
      requestId: bulk.id,
      at: deps.now(),
      actor: null,
      action: final === 'done' ? 'done' : 'cancelled',
      summary: `${final === 'done' ? 'Finished' : 'Stopped'}: ${p.done} done, ${p.skipped} skipped (facts changed), ${p.failed} failed, ${p.waiting} not started, of ${p.total}; ${p.waves} ${bulk.undoOf ? 'waves (an undo syncs nothing)' : 'delta syncs'}`,
    },
  ]);
  await deps.publish(bulk).catch((err: unknown) => deps.logger.warn({ err, bulkId: bulk.id }, 'could not replace the bulk card'));
}

/** The wave's items, `concurrency` at a time on this instance (other instances may run some first). */
async function runWave(
  deps: BulkExecutorDeps,
  bulk: ApprovalRequest,
  wave: { index: number; item: BulkItem }[],
  tick: () => Promise<void>,
) {
  const ends: { item: BulkItem; request: ApprovalRequest | null; end: ItemEnd; why?: string }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wave.length) {
      const entry = wave[next++];
      if (!entry) return;
      try {
        const request = await untilEnded(deps, await runItem(bulk, entry.index, entry.item, deps));
        ends.push({ item: entry.item, request, end: endOf(request) });
      } catch (err) {
        // Not even re-read (the relay or Graph failed): nothing was written for this user.
        deps.logger.warn({ err, bulkId: bulk.id, user: entry.item.samAccountName }, 'a bulk user could not be run');
        ends.push({ item: entry.item, request: null, end: 'failed', why: `could not be read again (${codeOf(err)}); nothing was written` });
      }
      await tick();
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency ?? DEFAULT_ITEM_CONCURRENCY }, worker));
  return ends;
}

/** An item another instance is running: waited for (its engine's lease keeps it moving, or lets this instance resume it). */
async function untilEnded(deps: BulkExecutorDeps, request: ApprovalRequest): Promise<ApprovalRequest> {
  let current = request;
  const giveUpAt = deps.now() + 30 * 60_000;
  while (endOf(current) === 'running' && deps.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const stored = (await deps.store.get(current.id))?.value ?? current;
    // Its engine died (lease over): run it here; the engine's claim makes sure only one instance does.
    if (stored.state === 'approved' || (stored.state === 'executing' && (stored.lease?.until ?? 0) <= deps.now()))
      await deps.engine.run(stored.id);
    current = (await deps.store.get(current.id))?.value ?? stored;
  }
  return current;
}

/** Another instance's share of the current wave: the items nobody has started yet. */
async function help(deps: BulkExecutorDeps, bulk: ApprovalRequest): Promise<void> {
  if (bulk.state !== 'executing' || bulk.bulk?.stopRequested) return;
  const all = await coveredItems(deps, bulk);
  const size = deps.waveSize ?? DEFAULT_WAVE_SIZE;
  const waves = bulk.bulk?.progress?.waves ?? 0;
  const wave = all.slice(Math.max(0, waves - 1) * size, waves * size);
  const untouched = [];
  for (const entry of wave) if (!(await deps.store.get(itemRequestId(bulk.id, entry.index)))) untouched.push(entry);
  await runWave(deps, bulk, untouched, () => Promise.resolve());
}

/**
 * The wave's sync, then each user's verification (on its own trail); answers the bulk request's
 * trail entry for the sync, stored by the caller with the wave's progress. Null when nothing synced.
 */
async function syncAndVerify(
  deps: BulkExecutorDeps,
  bulk: ApprovalRequest,
  done: ApprovalRequest[],
  tally: Tally,
): Promise<AuditEvent | null> {
  // An undo puts cloud values back and syncs nothing, as `undo <id>` does.
  if (done.length === 0 || bulk.undoOf) return null;
  const syncStartedAt = deps.now();
  const wave = await deps.syncWave(done);
  const synced = wave.result;
  const entry: AuditEvent = {
    requestId: bulk.id,
    at: deps.now(),
    actor: null,
    action: synced.status === 'done' ? 'step-done' : 'step-failed',
    summary: `Wave ${tally.waves}: ${wave.what} for ${done.length} users${synced.status === 'failed' ? ` failed (${synced.code}): ${synced.detail}` : ''}`,
    step: { number: tally.waves, kind: wave.kind },
  };
  await Promise.all(
    done.map(async (child) => {
      const step = child.diagnosis.plan.steps.find((s) => s.kind === 'VERIFY_JOINED');
      if (!step) return;
      const result = synced.status === 'done' ? (wave.failed.get(child.id) ?? (await deps.verify(step, child, syncStartedAt))) : synced;
      const ok = result.status === 'done';
      await deps.audit.append({
        requestId: child.id,
        at: deps.now(),
        actor: null,
        action: ok ? 'step-done' : 'step-failed',
        summary: ok
          ? "Verified after the wave's sync: joined"
          : `Not verified after the wave's sync (${result.status === 'failed' ? result.code : result.status})`,
        step: { number: step.number, kind: step.kind },
        ...(ok ? { after: result.after } : {}),
      });
      if (!ok) tally.unverified(child);
    }),
  );
  return entry;
}

function withProgress(request: ApprovalRequest, tally: Tally): ApprovalRequest {
  return request.bulk ? { ...request, bulk: { ...request.bulk, progress: tally.progress(), notes: tally.notes } } : request;
}

/**
 * Writes the bulk request with a compare-and-swap; `events`, its trail entries, are staged in the
 * same write (the request's audit outbox, as a single request's changes are) and flushed after.
 */
async function store(
  deps: BulkExecutorDeps,
  id: string,
  mutate: (r: ApprovalRequest) => ApprovalRequest,
  events: readonly AuditEvent[] = [],
): Promise<ApprovalRequest> {
  const result = await casUpdate(
    deps.store,
    id,
    ({ value }) => {
      const next = { ...mutate(value), updatedAt: deps.now() };
      return events.length > 0 ? deps.audit.stage(next, events) : next;
    },
    20,
  );
  if (result.written) {
    await deps.audit.flush(result.stored.value);
    return result.stored.value;
  }
  if (events.length > 0) throw new Error(`bulk request ${id} kept changing: its trail entry "${events[0]?.summary ?? ''}" was not written`);
  const current = result.current;
  if (!current) throw new Error(`bulk request ${id} disappeared`);
  return current.value;
}

class Tally {
  done = 0;
  skipped = 0;
  failed = 0;
  waves = 0;
  readonly notes: BulkItemNote[] = [];
  readonly #total: number;
  constructor(total: number) {
    this.#total = total;
  }
  add(sam: string, request: ApprovalRequest | null, end: ItemEnd, why?: string): void {
    if (end === 'done') this.done += 1;
    else if (end === 'skipped') this.skipped += 1;
    else this.failed += 1;
    if (end !== 'done' && this.notes.length < NOTES_KEPT)
      this.notes.push({ samAccountName: sam, requestId: request?.id ?? '', why: why ?? (request ? whyOf(request, end) : 'not run') });
  }
  unverified(child: ApprovalRequest): void {
    if (this.notes.length < NOTES_KEPT)
      this.notes.push({
        samAccountName: child.command.replace(/^match /, ''),
        requestId: child.id,
        why: "written, but not seen joined after the wave's sync (see its audit)",
      });
  }
  progress(): BulkProgress {
    const ended = this.done + this.skipped + this.failed;
    return {
      total: this.#total,
      done: this.done,
      skipped: this.skipped,
      failed: this.failed,
      waiting: this.#total - ended,
      waves: this.waves,
    };
  }
}

/** A step's detail, short enough for a card line (the user's own request has it whole). */
function clipped(detail: string): string {
  return detail.length <= NOTE_DETAIL_CHARS ? detail : `${detail.slice(0, NOTE_DETAIL_CHARS - 1)}…`;
}

function whyOf(request: ApprovalRequest, end: ItemEnd): string {
  if (end === 'skipped') return `facts changed: ${(request.changes ?? []).map((c) => c.label).join('; ') || 'plan no longer automated'}`;
  const failed = request.records.find((r) => r.status === 'failed');
  if (failed) return `step ${failed.number} failed (${failed.code ?? 'error'})${failed.detail ? `: ${clipped(failed.detail)}` : ''}`;
  const person = request.records.find((r) => r.status === 'waiting-for-person');
  return person
    ? `step ${person.number} needs a person (Graph refused the bot the write): ${person.detail ?? ''}`
    : `ended ${request.state}`;
}

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : 'error';
}
