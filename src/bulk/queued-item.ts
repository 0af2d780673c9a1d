/**
 * What a bulk work item's message does on whichever instance receives it: run the user's item
 * (bulk-item.ts: created once, its writes once, through the engine's claim) until it has ended,
 * or, when the message was poisoned, end the item failed with the reason, on its own trail and the
 * bulk request's. The store is the ledger: an item that has ended is never run or failed again,
 * so a message delivered twice does nothing the second time.
 */
import { EMPTY_TRAIL } from '../approvals/service.ts';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import { casUpdate } from '../concurrency/cas-update.ts';
import type { Logger } from '../logging/logger.ts';
import { CloudError } from '../errors/index.ts';
import { DEFAULT_THROTTLED_RETRY_MS } from '../execution/engine.ts';
import { endOf, findItemRequest, itemRequest, throwIfReleased, type BulkItemDeps } from './bulk-item.ts';
import { runItem } from './bulk-undo-item.ts';
import { codeOf, ItemFailure, ItemThrottled, type ItemMessage, type PoisonOutcome } from './item-consumer.ts';
import type { BulkItem } from './scan.ts';
import type { ScanStore } from './scan-store.ts';

export interface QueuedItemDeps extends BulkItemDeps {
  scans: ScanStore;
  logger: Logger;
  /** How often an item run by another instance is looked at; default 250 ms. */
  pollMs?: number;
  /** How long an item run by another instance is waited for; default 30 minutes. */
  waitMs?: number;
}

export interface QueuedItems {
  run(message: ItemMessage, stopping?: () => boolean): Promise<void>;
  poison(message: ItemMessage, why: string): Promise<PoisonOutcome>;
  /** The bulk request's covered users by their place (the scan's items less the ones left out). */
  covered(bulk: ApprovalRequest): Promise<Map<number, BulkItem>>;
}

export function createQueuedItems(given: QueuedItemDeps): QueuedItems {
  // A re-read that fails (relay or Graph down) fails the item before anything is written; one that
  // Graph kept throttling is not the item's fault: it comes back after Graph's Retry-After.
  const deps: QueuedItemDeps = {
    ...given,
    reread: (item) =>
      given.reread(item).catch((err: unknown) => {
        if (err instanceof CloudError && err.code === 'CLOUD_THROTTLED')
          throw new ItemThrottled(
            `${item.samAccountName} could not be read again: ${err.message}`,
            err.retryAfterMs ?? DEFAULT_THROTTLED_RETRY_MS,
          );
        throw new ItemFailure(`could not be read again (${codeOf(err)})`, true);
      }),
  };
  // A bulk request's covered users never change once approved: read once per instance.
  const cache = new Map<string, Promise<Map<number, BulkItem>>>();
  const covered = (bulk: ApprovalRequest): Promise<Map<number, BulkItem>> => {
    let entry = cache.get(bulk.id);
    if (!entry) {
      entry = readCovered(deps.scans, bulk);
      entry.catch(() => cache.delete(bulk.id));
      cache.set(bulk.id, entry);
    }
    return entry;
  };
  return {
    covered,
    async run(message, stopping = () => false) {
      const bulk = (await deps.store.get(message.bulkId))?.value;
      if (bulk?.kind !== 'bulk') return;
      const item = (await covered(bulk)).get(message.index);
      if (!item) return;
      const existing = await findItemRequest(deps.store, bulk.id, message.index);
      // Stopped (cancelled, or ended meanwhile): no new user starts; a started one finishes.
      if ('free' in existing && (bulk.state !== 'executing' || bulk.bulk?.stopRequested)) return;
      await untilEnded(deps, await runItem(bulk, message.index, item, deps), stopping);
    },
    async poison(message, why) {
      const bulk = (await deps.store.get(message.bulkId))?.value;
      if (bulk?.kind !== 'bulk') return 'ended';
      const item = (await covered(bulk)).get(message.index);
      if (!item) return 'ended';
      const outcome = await markFailed(deps, bulk, message.index, item, why);
      if (outcome !== 'poisoned') return outcome;
      await deps.audit.append({
        requestId: bulk.id,
        at: deps.now(),
        actor: null,
        action: 'step-failed',
        summary: `User ${message.index + 1} (${item.samAccountName}) failed: ${why}; its work item went to the poison queue`,
        code: 'BULK_ITEM_POISONED',
      });
      return 'poisoned';
    },
  };
}

async function readCovered(scans: ScanStore, bulk: ApprovalRequest): Promise<Map<number, BulkItem>> {
  const info = bulk.bulk;
  if (!info) return new Map();
  const excluded = new Set(info.excluded.map((n) => n.toLowerCase()));
  // A bulk undo's items (the users' requests it reverts) are stored under its own id.
  const items = await scans.readItems(info.undo ? bulk.id : info.scanId, info.itemChunks);
  return new Map(items.flatMap((item, index) => (excluded.has(item.samAccountName.toLowerCase()) ? [] : [[index, item] as const])));
}

/**
 * Ends the user's item failed with `why`, unless it has ended or another instance's live claim
 * runs it; the change and its trail entry in one write (staged in its audit outbox), then flushed.
 */
async function markFailed(deps: QueuedItemDeps, bulk: ApprovalRequest, index: number, item: BulkItem, why: string): Promise<PoisonOutcome> {
  const event = (requestId: string) => ({
    requestId,
    at: deps.now(),
    actor: null,
    action: 'failed' as const,
    summary: `Not run: ${why}`,
    code: 'BULK_ITEM_POISONED',
  });
  const found = await findItemRequest(deps.store, bulk.id, index);
  if ('free' in found) {
    const failed: ApprovalRequest = { ...itemRequest(bulk, item, found.free, deps.now(), null), state: 'failed', failure: why };
    const staged = await deps.audit.stage({ ...failed, auditHead: EMPTY_TRAIL }, [event(failed.id)]);
    if (!(await deps.store.create(staged))) return markFailed(deps, bulk, index, item, why);
    await deps.audit.flush(staged);
    return 'poisoned';
  }
  const seen: { outcome: PoisonOutcome } = { outcome: 'ended' };
  const result = await casUpdate(
    deps.store,
    found.found.value.id,
    ({ value }) => {
      seen.outcome = poisonable(value, deps.now());
      if (seen.outcome !== 'poisoned') return null;
      return deps.audit.stage({ ...value, state: 'failed', failure: why, updatedAt: deps.now() }, [event(value.id)]);
    },
    10,
  );
  // Nothing written although poisonable: every attempt lost to another writer, so it is moving.
  if (!result.written) return seen.outcome === 'poisoned' ? 'running' : seen.outcome;
  await deps.audit.flush(result.stored.value);
  return 'poisoned';
}

function poisonable(request: ApprovalRequest, at: number): PoisonOutcome {
  if (endOf(request) !== 'running') return 'ended';
  return request.state === 'executing' && (request.lease?.until ?? 0) > at ? 'running' : 'poisoned';
}

/** An item another instance is running: waited for (its engine's lease keeps it moving, or lets this instance resume it). */
async function untilEnded(deps: QueuedItemDeps, request: ApprovalRequest, stopping: () => boolean): Promise<void> {
  let current = request;
  const giveUpAt = deps.now() + (deps.waitMs ?? 30 * 60_000);
  while (endOf(current) === 'running') {
    if (stopping()) throw new Error(`stopped while user request ${current.id} runs elsewhere`);
    if (deps.now() > giveUpAt) throw new Error(`user request ${current.id} still running after ${(deps.waitMs ?? 1_800_000) / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 250));
    const stored = (await deps.store.get(current.id))?.value ?? current;
    // Released after throttling: this message too goes back for after Graph's Retry-After.
    throwIfReleased(stored, deps.now());
    // Its engine died (lease over): run it here; the engine's claim makes sure only one instance does.
    if (stored.state === 'approved' || (stored.state === 'executing' && (stored.lease?.until ?? 0) <= deps.now()))
      await deps.engine.run(stored.id);
    current = (await deps.store.get(current.id))?.value ?? stored;
  }
}
