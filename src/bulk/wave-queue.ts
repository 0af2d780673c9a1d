/**
 * The coordinator's side of a wave: each user not yet ended becomes one work-item message, and the
 * wave is watched in the store (the ledger) until every user has started, then ended. A user whose
 * message was lost, or whose item was left by an instance that died after deleting it, is sent
 * again once `requeueAfterMs` passed without it moving: a second message for one user does nothing
 * more than the first (the item's own request is the claim). Once the bulk request is stopped, a
 * user not yet started is claimed as not run under the id its item would create (insert-if-absent):
 * whichever of the stop and the user's start creates it first decides, so a user that started
 * finishes and is counted by how it ended, and one that did not never starts.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { WorkQueue } from '../ports/work-queue.ts';
import { claimNotRun, endOf, findItemRequest, type ItemEnd } from './bulk-item.ts';
import { encodeItem } from './item-consumer.ts';
import type { BulkItem } from './scan.ts';

export interface WaveEntry {
  index: number;
  item: BulkItem;
}

export interface WaveEnd {
  item: BulkItem;
  request: ApprovalRequest | null;
  end: ItemEnd;
}

export interface WaveDeps {
  store: RequestStore;
  /** The not-run records of a stopped wave carry their trail entry. */
  audit: AuditTrail;
  queue: WorkQueue;
  now: () => number;
  /** Between looks at the wave's users; default 1 s. */
  pollMs?: number;
  requeueAfterMs?: number;
}

export const DEFAULT_REQUEUE_AFTER_MS = 5 * 60_000;

export interface WaveWatch {
  /** Resolves once every user has started (or the bulk request was stopped, or `lost()`); answers how many started. */
  started(): Promise<number>;
  /** Every user's end; with a stop, each user never started ends `not-run` (claimNotRun won the race with its start). */
  ended(): Promise<WaveEnd[]>;
}

/** Sends the wave's messages and watches the wave; `tick` runs after every look, `lost` ends the watch. */
export async function startWave(
  deps: WaveDeps,
  bulkId: string,
  wave: readonly WaveEntry[],
  hooks: { tick(): Promise<void>; lost(): boolean },
): Promise<WaveWatch> {
  const sentAt = new Map<number, number>();
  const send = async (entry: WaveEntry): Promise<void> => {
    await deps.queue.send(encodeItem({ bulkId, index: entry.index }));
    sentAt.set(entry.index, deps.now());
  };
  const states = await Promise.all(wave.map((e) => findItemRequest(deps.store, bulkId, e.index)));
  // A wave watched after a stop (a resumed coordinator's) sends nothing: no new user starts.
  const stoppedAlready = Boolean((await deps.store.get(bulkId))?.value.bulk?.stopRequested);
  await Promise.all(
    wave.map((entry, i) => {
      const state = states[i];
      const unended = !state || 'free' in state || endOf(state.found.value) === 'running';
      return unended && !stoppedAlready ? send(entry) : Promise.resolve();
    }),
  );
  const pending = new Map(wave.map((e) => [e.index, e]));
  const started = new Set<number>();
  const ends: WaveEnd[] = [];
  const look = async (): Promise<void> => {
    const bulk = (await deps.store.get(bulkId))?.value;
    await Promise.all(
      [...pending.values()].map(async (entry) => {
        const found = await findItemRequest(deps.store, bulkId, entry.index);
        if ('free' in found) {
          if (bulk?.bulk?.stopRequested) {
            // Stopped: the user's id is claimed as not run, unless the user claimed it first (then it
            // started, and the next look finds it running).
            const notRun = await claimNotRun(deps, bulk, entry.item, found.free);
            if (!notRun) return;
            pending.delete(entry.index);
            ends.push({ item: entry.item, request: notRun, end: 'not-run' });
          } else if (deps.now() - (sentAt.get(entry.index) ?? 0) > (deps.requeueAfterMs ?? DEFAULT_REQUEUE_AFTER_MS)) await send(entry);
          return;
        }
        started.add(entry.index);
        const request = found.found.value;
        const end = endOf(request);
        if (end !== 'running') {
          pending.delete(entry.index);
          ends.push({ item: entry.item, request, end });
        } else if (
          leftBehind(request, deps.now()) &&
          deps.now() - (sentAt.get(entry.index) ?? 0) > (deps.requeueAfterMs ?? DEFAULT_REQUEUE_AFTER_MS)
        )
          await send(entry);
      }),
    );
    await hooks.tick();
  };
  const until = async (done: () => boolean): Promise<void> => {
    for (;;) {
      await look();
      if (done() || hooks.lost()) return;
      await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 1_000));
    }
  };
  let ending: Promise<WaveEnd[]> | null = null;
  return {
    started: () => until(() => [...pending.keys()].every((index) => started.has(index))).then(() => started.size),
    ended: () => (ending ??= until(() => pending.size === 0).then(() => ends)),
  };
}

/** Approved but not claimed (and not waiting out Graph's Retry-After), or claimed under a lease that lapsed. */
function leftBehind(request: ApprovalRequest, at: number): boolean {
  if (request.state === 'approved') return (request.retryAt ?? 0) <= at;
  return request.state === 'executing' && (request.lease?.until ?? 0) <= at;
}
