/**
 * Runs an approved bulk request: its users in waves (bulk-waves.ts), each user's plan one work item
 * (bulk-item.ts: exactly once, its own audit entries) sent as one queue message that any bot
 * instance's consumer (item-consumer.ts) runs. One instance coordinates: it claims the bulk request
 * and holds its lease, renewed as it goes (bulk-lease.ts); another takes over once it lapses,
 * resuming from the first wave that may not have synced. Writes take from the shared write budget.
 * `cancel` stops new items: running ones finish, then the request ends `cancelled`. Progress
 * (done / skipped / failed / waiting of N, bulk-tally.ts) is stored and the card replaced as the
 * waves go; the bulk request's own trail records each wave, sync, poisoned item and the end.
 */
import type { RequestStore } from '../ports/request-store.ts';
import type { BulkItemDeps } from './bulk-item.ts';
import { claimBulk, whileLeaseHeld, type Held } from './bulk-lease.ts';
import { runWaves, type WaveRunDeps } from './bulk-waves.ts';
import { createItemConsumer, type ItemConsumerDeps } from './item-consumer.ts';
import { createQueuedItems } from './queued-item.ts';
import type { ScanStore } from './scan-store.ts';

export const DEFAULT_ITEM_CONCURRENCY = 16;

/** What the executor runs on: a work item's (bulk-item.ts), the waves' (bulk-waves.ts), and its own. */
export interface BulkExecutorDeps extends BulkItemDeps, WaveRunDeps {
  scans: ScanStore;
  leaseMs?: number;
  /** Items this instance runs at once. */
  concurrency?: number;
  /** The consumer's timings (visibility timeout, poison limit, polling). */
  consumer?: Pick<ItemConsumerDeps, 'visibilitySeconds' | 'poisonLimit' | 'retrySeconds' | 'pollMs' | 'idleStopMs'>;
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
  const coordinating = new Set<Held>();
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
      const claimed = await claimBulk(deps, bulkId, leaseMs);
      if (!claimed) return false;
      tenants.add(claimed.tenantId);
      consumer.wake();
      const held: Held = { lost: false };
      coordinating.add(held);
      try {
        await whileLeaseHeld(deps, claimed, leaseMs, held, () => runWaves(deps, claimed, leaseMs, held, (bulk) => items.covered(bulk)));
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
