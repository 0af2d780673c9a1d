/**
 * Runs an approved bulk request: its users in waves, each user's plan one work item (bulk-item.ts:
 * exactly once, its own audit entries) sent as one queue message (item-consumer.ts) that any bot
 * instance's consumer runs; the coordinator waits in the store for the wave's users to end, then
 * runs one delta sync for the wave, then the wave's verification. The next wave's messages go out
 * once the current wave's users have all started, so the writes go on while earlier waves sync
 * (one sync at a time, at most SYNCS_BEHIND waves waiting for theirs). One instance coordinates
 * (it holds the bulk request's lease, renewed as it goes; another takes over once it lapses,
 * resuming from the first wave that may not have synced). Writes take from the shared write budget. `cancel` stops new items: running
 * ones finish, then the request ends `cancelled`. Progress (done / skipped / failed / waiting of
 * N) is stored and the card replaced at most every `progressIntervalMs`; the bulk request's own
 * trail records each wave, sync, poisoned item and the end.
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
import type { WorkQueues } from '../ports/work-queue.ts';
import { findItemRequest, endOf, type BulkItemDeps, type ItemEnd } from './bulk-item.ts';
import { createItemConsumer, type ItemConsumerDeps } from './item-consumer.ts';
import { createQueuedItems } from './queued-item.ts';
import type { BulkItem } from './scan.ts';
import type { ScanStore } from './scan-store.ts';
import type { WaveSyncResult } from './wave-sync.ts';
import { startWave, type WaveEnd, type WaveEntry } from './wave-queue.ts';

export const DEFAULT_WAVE_SIZE = 100;
export const DEFAULT_ITEM_CONCURRENCY = 16;
export const DEFAULT_PROGRESS_MS = 5_000;
/**
 * How many waves may wait for their sync and verification while the next wave's users run: the
 * writes go on at the budget's rate while a sync of a large tenant takes longer than a wave's writes.
 */
export const SYNCS_BEHIND = 2;
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
  /** The work-item queue and its poison queue (QUEUE_URL). */
  queues: WorkQueues;
  leaseMs?: number;
  waveSize?: number;
  /** Items this instance runs at once. */
  concurrency?: number;
  progressIntervalMs?: number;
  /** The consumer's timings (visibility timeout, poison limit, polling). */
  consumer?: Pick<ItemConsumerDeps, 'visibilitySeconds' | 'poisonLimit' | 'retrySeconds' | 'pollMs' | 'idleStopMs'>;
  /** How often the coordinator looks at a wave's users in the store; default 1 s. */
  wavePollMs?: number;
  requeueAfterMs?: number;
}

export interface BulkExecutor {
  /** Claims the approved (or abandoned) bulk request and runs it to the end; false when another instance has it. */
  run(bulkId: string): Promise<boolean>;
  /** Consumes work items while bulk requests execute, and takes over those whose coordinator died. */
  sweep(tenantId: string): Promise<void>;
  /**
   * Stops this instance: its coordinations end at their next look (their lease lapses and another
   * instance takes over), its consumer receives no more; resolves once the items it holds have ended.
   */
  stop(): Promise<void>;
}

export function createBulkExecutor(deps: BulkExecutorDeps): BulkExecutor {
  const leaseMs = deps.leaseMs ?? 60_000;
  const tenants = new Set<string>();
  const items = createQueuedItems(deps);
  // Coordinations running here: stop() ends them (their lease lapses and another instance takes over).
  const coordinating = new Set<{ lost: boolean }>();
  let stopped = false;
  const consumer = createItemConsumer({
    queues: deps.queues,
    run: (item, stopping) => items.run(item, stopping),
    poison: (item, why) => items.poison(item, why),
    active: async () => {
      for (const tenant of tenants) if ((await executingBulk(deps.store, tenant)).length > 0) return true;
      return false;
    },
    logger: deps.logger,
    concurrency: deps.concurrency ?? DEFAULT_ITEM_CONCURRENCY,
    ...(deps.consumer ?? {}),
  });
  const self: BulkExecutor = {
    async run(bulkId) {
      if (stopped) return false;
      const claimed = await claim(deps, bulkId, leaseMs);
      if (!claimed) return false;
      tenants.add(claimed.tenantId);
      consumer.wake();
      const held = { lost: false };
      coordinating.add(held);
      try {
        await coordinate(deps, claimed, leaseMs, held, (bulk) => items.covered(bulk));
      } finally {
        coordinating.delete(held);
      }
      return true;
    },
    async sweep(tenantId) {
      tenants.add(tenantId);
      for (const { value } of await executingBulk(deps.store, tenantId)) {
        consumer.wake();
        if ((value.lease?.until ?? 0) <= deps.now()) await self.run(value.id);
      }
    },
    async stop() {
      stopped = true;
      for (const held of coordinating) held.lost = true;
      await consumer.stop();
    },
  };
  return self;
}

async function executingBulk(store: RequestStore, tenantId: string) {
  return (await store.listByState(tenantId, ['approved', 'executing'])).filter((r) => r.value.kind === 'bulk');
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

type Covered = (bulk: ApprovalRequest) => Promise<Map<number, BulkItem>>;

/**
 * Coordinates while this instance holds the bulk request's lease, renewed every third of it; a
 * renewal that finds another owner (this instance stalled past its lease) ends the coordination
 * here, leaving the request to the instance that took it over.
 */
async function coordinate(
  deps: BulkExecutorDeps,
  claimed: ApprovalRequest,
  leaseMs: number,
  held: { lost: boolean },
  covered: Covered,
): Promise<void> {
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
    await coordinateHeld(deps, claimed, leaseMs, held, covered);
  } finally {
    clearInterval(heartbeat);
  }
}

async function coordinateHeld(
  deps: BulkExecutorDeps,
  claimed: ApprovalRequest,
  leaseMs: number,
  held: { lost: boolean },
  covered: Covered,
): Promise<void> {
  const all: WaveEntry[] = [...(await covered(claimed)).entries()].map(([index, item]) => ({ index, item }));
  const size = deps.waveSize ?? DEFAULT_WAVE_SIZE;
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
  // Resumed: the waves before the last two started were synced and verified; count them, run the rest.
  const resumeAt = Math.max(0, (claimed.bulk?.progress?.waves ?? 0) - (SYNCS_BEHIND + 1)) * size;
  for (const end of await endsOf(deps, bulk.id, all.slice(0, resumeAt))) tally.add(end);
  tally.waves = resumeAt / size;
  const waveDeps = {
    store: deps.store,
    queue: deps.queues.items,
    now: deps.now,
    ...(deps.wavePollMs ? { pollMs: deps.wavePollMs } : {}),
    ...(deps.requeueAfterMs ? { requeueAfterMs: deps.requeueAfterMs } : {}),
  };
  // The waves' syncs run one after another (a delta sync at a time), behind the waves' writes.
  let chain: Promise<void> = Promise.resolve();
  const synced: Promise<void>[] = [];
  for (let start = resumeAt; start < all.length; start += size) {
    // At most SYNCS_BEHIND waves wait for their sync while the next one's users run.
    await synced[synced.length - SYNCS_BEHIND];
    bulk = (await deps.store.get(bulk.id))?.value ?? bulk;
    if (held.lost || bulk.bulk?.stopRequested) break;
    tally.waves += 1;
    const number = tally.waves;
    await show(true);
    const watch = await startWave(waveDeps, bulk.id, all.slice(start, start + size), { tick: () => show(), lost: () => held.lost });
    if ((await watch.started()) === 0) {
      tally.waves -= 1; // stopped before any of its users started: not a wave
      break;
    }
    const ended = watch.ended();
    chain = chain.then(async () => {
      const ends = await ended;
      const done = ends.flatMap((e) => (e.end === 'done' && e.request ? [e.request] : []));
      const entry = held.lost ? null : await syncAndVerify(deps, bulk, done, tally, number);
      for (const e of ends) tally.add(e);
      if (held.lost) return;
      // The wave's progress and its sync's trail entry: one compare-and-swap.
      bulk = await store(deps, bulk.id, (r) => withProgress(r, tally), entry ? [entry] : []);
    });
    // Awaited later (or at the end); marked handled now in case the loop ends by a throw first.
    chain.catch(() => undefined);
    synced.push(chain);
  }
  await chain;
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

/** The ends of users whose wave synced before this coordinator took over (those never started wait). */
async function endsOf(deps: BulkExecutorDeps, bulkId: string, entries: readonly WaveEntry[]): Promise<WaveEnd[]> {
  const found = await Promise.all(entries.map((e) => findItemRequest(deps.store, bulkId, e.index)));
  return entries.flatMap((entry, i) => {
    const state = found[i];
    if (!state || 'free' in state || endOf(state.found.value) === 'running') return [];
    return [{ item: entry.item, request: state.found.value, end: endOf(state.found.value) }];
  });
}

async function syncAndVerify(
  deps: BulkExecutorDeps,
  bulk: ApprovalRequest,
  done: ApprovalRequest[],
  tally: Tally,
  number: number,
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
    summary: `Wave ${number}: ${wave.what} for ${done.length} users${synced.status === 'failed' ? ` failed (${synced.code}): ${synced.detail}` : ''}`,
    step: { number, kind: wave.kind },
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
  add({ item, request, end }: WaveEnd): void {
    if (end === 'done') this.done += 1;
    else if (end === 'skipped') this.skipped += 1;
    else this.failed += 1;
    if (end !== 'done' && this.notes.length < NOTES_KEPT)
      this.notes.push({
        samAccountName: item.samAccountName,
        requestId: request?.id ?? '',
        why: request ? whyOf(request, end) : 'not run',
      });
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
  if (request.failure) return request.failure;
  const failed = request.records.find((r) => r.status === 'failed');
  if (failed) return `step ${failed.number} failed (${failed.code ?? 'error'})${failed.detail ? `: ${clipped(failed.detail)}` : ''}`;
  const person = request.records.find((r) => r.status === 'waiting-for-person');
  return person
    ? `step ${person.number} needs a person (Graph refused the bot the write): ${person.detail ?? ''}`
    : `ended ${request.state}`;
}
