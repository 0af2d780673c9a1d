/**
 * This instance's consumer of bulk work items: each user of a bulk request's wave is one queue
 * message (`{"b": bulk id, "i": the user's place}`), received by whichever instance asks first,
 * hidden for `visibilitySeconds` and renewed every third of it while its item runs, deleted once
 * the item has ended. A consumer that dies leaves its message to reappear for another instance,
 * which resumes the item through the engine's claim (the store's compare-and-swap is the ledger:
 * a redelivered message for an ended item does nothing). A message received more than
 * `poisonLimit` times, or whose item failed that often, is poisoned: the item ends failed with the
 * reason (`poison`), and the message goes to the poison queue. An item that fails earlier is
 * released to come back after `retrySeconds`. `concurrency` items at a time; the consumer polls
 * while `active()` says a bulk request is executing and stops after `idleStopMs` without work.
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

export interface ItemMessage {
  bulkId: string;
  /** The user's place among the scan's items (its request id derives from it). */
  index: number;
}

export const DEFAULT_VISIBILITY_SECONDS = 60;
export const DEFAULT_POISON_LIMIT = 5;
export const DEFAULT_RETRY_SECONDS = 5;

export function encodeItem(item: ItemMessage): string {
  return JSON.stringify({ b: item.bulkId, i: item.index });
}

export function decodeItem(text: string): ItemMessage | null {
  try {
    const raw: unknown = JSON.parse(text);
    if (typeof raw !== 'object' || raw === null || !('b' in raw) || !('i' in raw)) return null;
    const { b, i } = raw;
    return typeof b === 'string' && b !== '' && Number.isInteger(i) && typeof i === 'number' && i >= 0 ? { bulkId: b, index: i } : null;
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
  if (message.dequeueCount > limit) {
    const why = `its work item was received ${message.dequeueCount} times without ending (each time the bot instance running it stopped first)`;
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
    deps.logger.warn({ err, ...item, dequeueCount: message.dequeueCount }, 'a bulk work item failed; it will be tried again');
    if (message.dequeueCount >= limit) {
      const what = err instanceof ItemFailure ? err.what : `failed (${codeOf(err)})`;
      const written = err instanceof ItemFailure && err.nothingWritten ? '; nothing was written' : '';
      await poisonItem(deps, item, current, `${what}, ${message.dequeueCount} times${written}`, visibility);
    } else await items.renew(current, deps.retrySeconds ?? DEFAULT_RETRY_SECONDS);
  }
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
