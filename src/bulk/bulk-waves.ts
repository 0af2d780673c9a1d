/**
 * The coordinator's waves (bulk-executor.ts runs them while it holds the lease): each user's plan
 * one work item sent as one queue message (wave-queue.ts), the coordinator waiting in the store for
 * the wave's users to end, then one sync for the wave (wave-sync.ts) and each user's verification.
 * The next wave's messages go out once the current wave's users have all started, so the writes go
 * on while earlier waves sync (one sync at a time, at most SYNCS_BEHIND waves waiting for theirs).
 * Progress is stored and the card replaced at most every `progressIntervalMs`; the bulk request's
 * own trail records each wave's sync and the end.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditEvent } from '../domain/audit/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { StepResult } from '../execution/types.ts';
import type { WorkQueues } from '../ports/work-queue.ts';
import { findItemRequest, endOf } from './bulk-item.ts';
import { storeBulk, type BulkLeaseDeps, type Held } from './bulk-lease.ts';
import { Tally, withProgress } from './bulk-tally.ts';
import type { BulkItem } from './scan.ts';
import type { WaveSyncResult } from './wave-sync.ts';
import { verifyOnce } from './wave-verification.ts';
import { startWave, type WaveEnd, type WaveEntry } from './wave-queue.ts';

export const DEFAULT_WAVE_SIZE = 100;
export const DEFAULT_PROGRESS_MS = 5_000;
/**
 * How many waves may wait for their sync and verification while the next wave's users run: the
 * writes go on at the budget's rate while a sync of a large tenant takes longer than a wave's writes.
 */
export const SYNCS_BEHIND = 2;

export interface WaveRunDeps extends BulkLeaseDeps {
  /** The wave's sync (wave-sync.ts): one delta sync (Connect Sync), or each user's on-demand run (Cloud Sync). */
  syncWave(children: readonly ApprovalRequest[]): Promise<WaveSyncResult>;
  /** The user's VERIFY_JOINED, run after the wave's sync. */
  verify(step: PlanStep, child: ApprovalRequest, syncStartedAt: number): Promise<StepResult>;
  publish(request: ApprovalRequest): Promise<void>;
  /** The work-item queue and its poison queue (QUEUE_URL). */
  queues: WorkQueues;
  waveSize?: number;
  progressIntervalMs?: number;
  /** How often the coordinator looks at a wave's users in the store; default 1 s. */
  wavePollMs?: number;
  requeueAfterMs?: number;
}

/** The users a bulk request covers, by their index in its scan. */
export type Covered = (bulk: ApprovalRequest) => Promise<Map<number, BulkItem>>;

/**
 * Runs the bulk request's users wave after wave while this instance holds its lease: resumed from
 * the first wave that may not have synced, each wave's messages sent once the previous wave's users
 * have all started, its sync and verification chained behind the others (at most SYNCS_BEHIND
 * waiting), the progress stored (and the card replaced) as it goes; then the end.
 */
export async function runWaves(deps: WaveRunDeps, claimed: ApprovalRequest, leaseMs: number, held: Held, covered: Covered): Promise<void> {
  const all: WaveEntry[] = [...(await covered(claimed)).entries()].map(([index, item]) => ({ index, item }));
  const size = deps.waveSize ?? DEFAULT_WAVE_SIZE;
  const tally = new Tally(all.length);
  let bulk = claimed;
  let lastShown = 0;
  const show = async (force = false): Promise<void> => {
    if (!force && deps.now() - lastShown < (deps.progressIntervalMs ?? DEFAULT_PROGRESS_MS)) return;
    lastShown = deps.now();
    if (held.lost) return;
    bulk = await storeBulk(deps, bulk.id, (r) => ({
      ...withProgress(r, tally),
      lease: { owner: deps.owner, until: deps.now() + leaseMs },
    }));
    await deps.publish(bulk).catch((err: unknown) => deps.logger.warn({ err, bulkId: bulk.id }, 'could not replace the bulk card'));
  };
  // Resumed: the waves before the last two started were synced and verified; count them, run the rest.
  const resumeAt = Math.max(0, (claimed.bulk?.progress?.waves ?? 0) - (SYNCS_BEHIND + 1)) * size;
  for (const end of await endsOf(deps, bulk.id, all.slice(0, resumeAt))) tally.add(end);
  tally.waves = resumeAt / size;
  const waveDeps = {
    store: deps.store,
    audit: deps.audit,
    queue: deps.queues.items,
    now: deps.now,
    ...(deps.wavePollMs ? { pollMs: deps.wavePollMs } : {}),
    ...(deps.requeueAfterMs ? { requeueAfterMs: deps.requeueAfterMs } : {}),
  };
  // The waves' syncs run one after another (a delta sync at a time), behind the waves' writes.
  let chain: Promise<void> = Promise.resolve();
  const synced: Promise<void>[] = [];
  // Waves a previous coordinator started (their messages may be out): watched to their end even after a stop.
  const sentBefore = (claimed.bulk?.progress?.waves ?? 0) * size;
  for (let start = resumeAt; start < all.length; start += size) {
    // At most SYNCS_BEHIND waves wait for their sync while the next one's users run.
    await synced[synced.length - SYNCS_BEHIND];
    bulk = (await deps.store.get(bulk.id))?.value ?? bulk;
    if (held.lost || (bulk.bulk?.stopRequested && start >= sentBefore)) break;
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
      bulk = await storeBulk(deps, bulk.id, (r) => withProgress(r, tally), entry ? [entry] : []);
    });
    // Awaited later (or at the end); marked handled now in case the loop ends by a throw first.
    chain.catch(() => undefined);
    synced.push(chain);
  }
  await chain;
  if (held.lost) return;
  await finish(deps, bulk, tally);
}

/** The end (done, or cancelled when a stop was asked), its trail entry in the same write, and the card replaced. */
async function finish(deps: WaveRunDeps, bulk: ApprovalRequest, tally: Tally): Promise<void> {
  const stopped = (await deps.store.get(bulk.id))?.value.bulk?.stopRequested;
  const final = stopped ? 'cancelled' : 'done';
  // Every user that started has ended (each wave was watched to its end): the rest never started.
  if (stopped) tally.stopped();
  const p = tally.progress();
  // The end and its trail entry: one compare-and-swap.
  const ended = await storeBulk(deps, bulk.id, (r) => ({ ...withProgress(r, tally), state: final }), [
    {
      requestId: bulk.id,
      at: deps.now(),
      actor: null,
      action: final === 'done' ? 'done' : 'cancelled',
      summary: `${final === 'done' ? 'Finished' : 'Stopped'}: ${p.done} done, ${p.skipped} skipped (facts changed), ${p.failed} failed, ${p.notRun ?? 0} not run (stopped before they started), of ${p.total}; ${p.waves} ${bulk.undoOf ? 'waves (an undo syncs nothing)' : 'delta syncs'}`,
    },
  ]);
  await deps.publish(ended).catch((err: unknown) => deps.logger.warn({ err, bulkId: ended.id }, 'could not replace the bulk card'));
}

/** The ends of users whose wave synced before this coordinator took over (those never started wait). */
async function endsOf(deps: Pick<WaveRunDeps, 'store'>, bulkId: string, entries: readonly WaveEntry[]): Promise<WaveEnd[]> {
  const found = await Promise.all(entries.map((e) => findItemRequest(deps.store, bulkId, e.index)));
  return entries.flatMap((entry, i) => {
    const state = found[i];
    if (!state || 'free' in state || endOf(state.found.value) === 'running') return [];
    return [{ item: entry.item, request: state.found.value, end: endOf(state.found.value) }];
  });
}

/**
 * The wave's sync, then each done user's verification (recorded once with its own trail entry,
 * wave-verification.ts); answers the wave's entry for the bulk request's trail.
 */
async function syncAndVerify(
  deps: WaveRunDeps,
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
      // Once per user and wave, with its own trail entry, even when a resumed coordinator runs the wave again.
      const joined = await verifyOnce(deps, child, step, number, async () =>
        synced.status === 'done' ? (wave.failed.get(child.id) ?? (await deps.verify(step, child, syncStartedAt))) : synced,
      );
      if (!joined) tally.unverified(child);
    }),
  );
  return entry;
}
