/**
 * This instance's consumer of bulk work items: each user of a bulk request's wave is one queue
 * message (`{"b": bulk id, "i": the user's place}`), received by whichever instance asks first,
 * hidden for `visibilitySeconds` and renewed every third of it while its item runs, deleted once
 * the item has ended. A consumer that dies leaves its message to reappear for another instance,
 * which resumes the item through the engine's claim (the store's compare-and-swap is the ledger:
 * a redelivered message for an ended item does nothing). A message received more than
 * `poisonLimit` times, or whose item failed that often, is poisoned: the item ends failed with the
 * reason (`poison`), and the message goes to the poison queue. An item that fails earlier is
 * released to come back after `retrySeconds`. An item Graph kept throttling (`ItemThrottled`) is
 * not at fault: its message goes back as a new one, hidden for Graph's Retry-After, carrying the
 * receives that did count (`counted`), so throttling never brings an item closer to the poison
 * queue. `concurrency` items at a time; the consumer polls while `active()` says a bulk request is
 * executing and stops after `idleStopMs` without work.
 */
import type { Logger } from '../logging/logger.ts';
import type { QueueMessage, WorkQueues } from '../ports/work-queue.ts';

/** Why an item could not run, in words for its trail; `nothingWritten` when it failed before any write. */
export class ItemFailure extends Error {
  readonly what: string;
  readonly nothingWritten: boolean;
  constructor(what: string, nothingWritten: boolean) {
    super(what);
    this.name = 'ItemFailure';
    this.what = what;
    this.nothingWritten = nothingWritten;
  }
}

/**
 * Graph kept throttling the item's calls past their deadline (the write budget's share of Graph's
 * quota was eaten by something else): nothing of it was written, and it may succeed after
 * `retryAfterMs` (Graph's Retry-After). Not the item's fault, so not counted toward the poison limit.
 */
export class ItemThrottled extends Error {
  readonly retryAfterMs: number;
  constructor(what: string, retryAfterMs: number) {
    super(what);
    this.name = 'ItemThrottled';
    this.retryAfterMs = Math.max(0, retryAfterMs);
  }
}

export interface ItemMessage {
  bulkId: string;
  /** The user's place among the scan's items (its request id derives from it). */
  index: number;
  /**
   * Receives of this item's earlier messages that count toward the poison limit (a throttled item
   * goes back as a new message, whose own dequeueCount starts again); absent: none.
   */
  counted?: number;
}

export const DEFAULT_VISIBILITY_SECONDS = 60;
export const DEFAULT_POISON_LIMIT = 5;
export const DEFAULT_RETRY_SECONDS = 5;

export function encodeItem(item: ItemMessage): string {
  return JSON.stringify({ b: item.bulkId, i: item.index, ...(item.counted ? { c: item.counted } : {}) });
}

export function decodeItem(text: string): ItemMessage | null {
  try {
    const raw: unknown = JSON.parse(text);
    if (typeof raw !== 'object' || raw === null || !('b' in raw) || !('i' in raw)) return null;
    const { b, i } = raw;
    const c: unknown = 'c' in raw ? raw.c : 0;
    const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
    if (typeof b !== 'string' || b === '' || !count(i) || !count(c)) return null;
    return { bulkId: b, index: i, ...(c > 0 ? { counted: c } : {}) };
  } catch {
    return null;
  }
}

/** What `poison` found: the item had already ended, is now failed, or runs under another instance's live claim. */
export type PoisonOutcome = 'ended' | 'poisoned' | 'running';

export interface ItemConsumerDeps {
  queues: WorkQueues;
  /**
   * Runs the item until it has ended (or leaves it when its bulk request no longer runs); rejects
   * when it could not. `stopping()` turns true when the consumer stops: stop waiting then (throw).
   */
  run(item: ItemMessage, stopping: () => boolean): Promise<void>;
  /** Ends the item failed with `why` (and records it on its trail and the bulk request's). */
  poison(item: ItemMessage, why: string): Promise<PoisonOutcome>;
  /** Whether any bulk request is executing (while none is, the consumer stops polling). */
  active(): Promise<boolean>;
  logger: Logger;
  visibilitySeconds?: number;
  poisonLimit?: number;
  retrySeconds?: number;
  concurrency?: number;
  /** Between receives that found nothing; default 250 ms. */
  pollMs?: number;
  /** Without a message for this long, the consumer asks `active()` and stops if nothing runs; default 10 s. */
  idleStopMs?: number;
}

export interface ItemConsumer {
  /** Starts polling (again) if it is not. */
  wake(): void;
  /** Stops receiving; resolves once the items it holds have ended. */
  stop(): Promise<void>;
  /** Resolves once the consumer has stopped by itself (no bulk request executing) or was stopped. */
  idle(): Promise<void>;
}

export function createItemConsumer(deps: ItemConsumerDeps): ItemConsumer {
  const visibility = deps.visibilitySeconds ?? DEFAULT_VISIBILITY_SECONDS;
  const concurrency = deps.concurrency ?? 16;
  const pollMs = deps.pollMs ?? 250;
  const idleStopMs = deps.idleStopMs ?? 10_000;
  const held = new Set<Promise<void>>();
  let loop: Promise<void> | null = null;
  let stopped = false;
  // Unref'd: a consumer waiting for work never holds a process open.
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  const poll = async (): Promise<void> => {
    let quietSince = Date.now();
    while (!stopped) {
      if (held.size >= concurrency) {
        await Promise.race(held);
        continue;
      }
      const message = await deps.queues.items.receive(visibility).catch((err: unknown) => {
        deps.logger.warn({ err, queue: deps.queues.items.name }, 'could not receive a bulk work item');
        return null;
      });
      if (message) {
        quietSince = Date.now();
        const work = handle(deps, message, visibility, () => stopped)
          .catch((err: unknown) => deps.logger.warn({ err, queue: deps.queues.items.name }, 'a bulk work item was left to come back'))
          .finally(() => held.delete(work));
        held.add(work);
        continue;
      }
      if (held.size === 0 && Date.now() - quietSince >= idleStopMs) {
        if (!(await deps.active().catch(() => true))) return;
        quietSince = Date.now();
      }
      await sleep(pollMs);
    }
  };
  return {
    wake() {
      if (loop || stopped) return;
      loop = poll()
        .catch((err: unknown) => deps.logger.error({ err }, 'the bulk work-item consumer stopped unexpectedly'))
        .finally(() => {
          loop = null;
        });
    },
    async stop() {
      stopped = true;
      await loop;
      await Promise.allSettled([...held]);
    },
    async idle() {
      while (loop) await loop;
      await Promise.allSettled([...held]);
    },
  };
}

/** One message: poisoned when received too often, else its item run with the message renewed meanwhile. */
async function handle(deps: ItemConsumerDeps, message: QueueMessage, visibility: number, stopping: () => boolean): Promise<void> {
  const { items } = deps.queues;
  const item = decodeItem(message.text);
  const limit = deps.poisonLimit ?? DEFAULT_POISON_LIMIT;
  if (!item) {
    await toPoisonQueue(deps, message.text, 'not a bulk work item');
    await items.delete(message);
    return;
  }
  // Receives that count: this message's, and those of the item's earlier messages that were not throttled.
  const received = (item.counted ?? 0) + message.dequeueCount;
  if (received > limit) {
    const why = `its work item was received ${received} times without ending (each time the bot instance running it stopped first)`;
    await poisonItem(deps, item, message, why, visibility);
    return;
  }
  let current: QueueMessage | null = message;
  const renewal = setInterval(
    () =>
      void (async () => {
        if (current) current = await items.renew(current, visibility);
      })().catch((err: unknown) => deps.logger.warn({ err, ...item }, 'could not renew a bulk work item')),
    Math.max(200, (visibility * 1000) / 3),
  );
  renewal.unref();
  try {
    await deps.run(item, stopping);
    clearInterval(renewal);
    if (current) await items.delete(current);
  } catch (err) {
    clearInterval(renewal);
    // Stopping: the message comes back after its visibility timeout, for another instance.
    if (!current || stopping()) return;
    if (err instanceof ItemThrottled) {
      await requeueThrottled(deps, item, current, received - 1, err);
      return;
    }
    deps.logger.warn({ err, ...item, dequeueCount: message.dequeueCount }, 'a bulk work item failed; it will be tried again');
    if (received >= limit) {
      const what = err instanceof ItemFailure ? err.what : `failed (${codeOf(err)})`;
      const written = err instanceof ItemFailure && err.nothingWritten ? '; nothing was written' : '';
      await poisonItem(deps, item, current, `${what}, ${received} times${written}`, visibility);
    } else await items.renew(current, deps.retrySeconds ?? DEFAULT_RETRY_SECONDS);
  }
}

/**
 * A throttled item goes back as a new message, hidden for Graph's Retry-After and carrying the
 * receives that counted (this one does not), then the received one is deleted: sent first, so a
 * crash in between leaves two messages for the item (the store's ledger makes the second do
 * nothing more), never none.
 */
async function requeueThrottled(
  deps: ItemConsumerDeps,
  item: ItemMessage,
  message: QueueMessage,
  counted: number,
  err: ItemThrottled,
): Promise<void> {
  const delaySeconds = Math.ceil(err.retryAfterMs / 1000);
  deps.logger.info(
    { ...item, counted, delaySeconds, why: err.message },
    'a bulk work item was throttled; back on the queue after Retry-After',
  );
  await deps.queues.items.send(encodeItem({ bulkId: item.bulkId, index: item.index, counted }), delaySeconds);
  await deps.queues.items.delete(message);
}

async function poisonItem(
  deps: ItemConsumerDeps,
  item: ItemMessage,
  message: QueueMessage,
  why: string,
  visibility: number,
): Promise<void> {
  const outcome = await deps.poison(item, why);
  if (outcome === 'running') {
    // Another instance holds its claim and is alive: leave the message to come back later.
    await deps.queues.items.renew(message, visibility);
    return;
  }
  if (outcome === 'poisoned') await toPoisonQueue(deps, message.text, why);
  await deps.queues.items.delete(message);
}

async function toPoisonQueue(deps: ItemConsumerDeps, text: string, why: string): Promise<void> {
  deps.logger.warn({ queue: deps.queues.poison.name, text, why }, 'bulk work item moved to the poison queue');
  await deps.queues.poison.send(JSON.stringify({ message: text, why }));
}

/** The error's stable code, else its message. */
export function codeOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : 'error';
}
