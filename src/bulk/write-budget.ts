/**
 * One write budget for every bot instance: a token bucket kept in the store (a setting, changed
 * only by compare-and-swap), refilled at `perSecond` tokens a second up to one second's worth. A
 * bulk write takes one token before it is sent, so N instances together never pass the rate:
 * default 10 writes/s (BULK_WRITES_PER_SECOND), far below Graph's 3,000 writes per 150 s per app
 * and tenant, leaving room for Entra Connect's own exports and for single `match` fixes. A user's
 * tokens are taken before its request is claimed (bulk-item.ts), so no claim waits on the budget.
 * A token is reserved at once (the bucket may go into debt) and its write waits for its turn: one
 * compare-and-swap per write however many writers wait, never a poll of the bucket.
 */
import type { RequestStore } from '../ports/request-store.ts';

export const DEFAULT_WRITES_PER_SECOND = 10;

interface Bucket {
  tokens: number;
  /** ms since the epoch when `tokens` was counted. */
  at: number;
}

export interface WriteBudget {
  /** Waits until a write may be sent, and takes its token. */
  take(): Promise<void>;
  readonly perSecond: number;
}

export interface WriteBudgetOptions {
  store: Pick<RequestStore, 'getSetting' | 'putSetting'>;
  tenantId: string;
  perSecond?: number;
  /** The setting's name, per tenant: another budget shared the same way (e.g. Cloud Sync's on-demand runs). */
  name?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createWriteBudget(o: WriteBudgetOptions): WriteBudget {
  const perSecond = o.perSecond ?? DEFAULT_WRITES_PER_SECOND;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const key = `${o.name ?? 'bulk-write-budget'}:${o.tenantId.toLowerCase()}`;
  const capacity = Math.max(1, perSecond);
  return {
    perSecond,
    async take() {
      for (;;) {
        const stored = await o.store.getSetting<Bucket>(key);
        const at = now();
        const before = stored ? Math.min(capacity, stored.value.tokens + ((at - stored.value.at) / 1000) * perSecond) : capacity;
        // A reservation: the token is taken now, even into debt, and its write waits for its turn,
        // so each write costs one compare-and-swap, never a poll of the bucket.
        const next: Bucket = { tokens: before - 1, at };
        const written = stored ? await o.store.putSetting(key, next, stored.version) : await o.store.putSetting(key, next);
        if (!written) continue; // another instance took a token meanwhile: count again
        if (next.tokens < 0) await sleep(Math.ceil((-next.tokens / perSecond) * 1000));
        return;
      }
    },
  };
}
