/**
 * The embedded default's queue: the messages kept in the request store itself (one setting per
 * queue, changed only by compare-and-swap), so the SQLite file of a single instance, or the Table
 * Storage of several, is also their queue. Same semantics as Azure Storage Queues: a received
 * message is hidden for its visibility timeout and its `dequeueCount` counts the receives; the
 * receipt changes on every receive and renewal, so a consumer whose message reappeared and went to
 * another can neither renew nor delete it. Meant for the few hundred messages of a bulk wave.
 */
import { randomBytes } from 'node:crypto';
import type { QueueMessage, WorkQueue, WorkQueues } from '../ports/work-queue.ts';
import type { RequestStore } from '../ports/request-store.ts';

interface StoredMessage {
  id: string;
  text: string;
  dequeueCount: number;
  receipt: string;
  /** ms since the epoch from which it may be received. */
  visibleAt: number;
}

interface StoredQueue {
  /** Last message number handed out. */
  seq: number;
  messages: StoredMessage[];
}

export interface StoreQueueOptions {
  store: Pick<RequestStore, 'getSetting' | 'putSetting'>;
  /** Prefix of the queues' names; default `hardmatch`. */
  prefix?: string;
  now?: () => number;
}

const CAS_TRIES = 50;

/** The embedded default: the bulk items' queue and its poison queue in the request store. */
export function createStoreQueues(o: StoreQueueOptions): WorkQueues {
  const prefix = o.prefix ?? 'hardmatch';
  return {
    kind: 'store',
    items: createStoreQueue(o, `${prefix}-bulk-items`),
    poison: createStoreQueue(o, `${prefix}-bulk-items-poison`),
  };
}

export function createStoreQueue(o: StoreQueueOptions, name: string): WorkQueue {
  const key = `queue:${name}`;
  const now = o.now ?? Date.now;
  /** Applies `change` to the queue by compare-and-swap; `change` answers the result and the new queue (or none: nothing to write). */
  const mutate = async <R>(change: (queue: StoredQueue) => { result: R; next?: StoredQueue }): Promise<R> => {
    for (let i = 0; i < CAS_TRIES; i += 1) {
      const stored = await o.store.getSetting<StoredQueue>(key);
      const { result, next } = change(stored?.value ?? { seq: 0, messages: [] });
      if (!next) return result;
      const written = stored ? await o.store.putSetting(key, next, stored.version) : await o.store.putSetting(key, next);
      if (written) return result;
    }
    throw new Error(`queue ${name}: ${CAS_TRIES} concurrent changes in a row; try again`);
  };
  const held = (queue: StoredQueue, message: QueueMessage): StoredMessage | undefined =>
    queue.messages.find((m) => m.id === message.id && m.receipt === message.receipt);
  return {
    name,
    send: (text, delaySeconds = 0) =>
      mutate((queue) => {
        const id = String(queue.seq + 1);
        const message: StoredMessage = { id, text, dequeueCount: 0, receipt: '', visibleAt: now() + Math.max(0, delaySeconds) * 1000 };
        return { result: undefined, next: { seq: queue.seq + 1, messages: [...queue.messages, message] } };
      }),
    receive: (visibilitySeconds) =>
      mutate<QueueMessage | null>((queue) => {
        const at = now();
        const next = queue.messages.find((m) => m.visibleAt <= at);
        if (!next) return { result: null };
        const taken: StoredMessage = {
          ...next,
          dequeueCount: next.dequeueCount + 1,
          receipt: newReceipt(),
          visibleAt: at + visibilitySeconds * 1000,
        };
        return { result: view(taken), next: replace(queue, taken) };
      }),
    renew: (message, visibilitySeconds) =>
      mutate<QueueMessage | null>((queue) => {
        const mine = held(queue, message);
        if (!mine) return { result: null };
        const renewed: StoredMessage = { ...mine, receipt: newReceipt(), visibleAt: now() + visibilitySeconds * 1000 };
        return { result: view(renewed), next: replace(queue, renewed) };
      }),
    delete: (message) =>
      mutate((queue) => {
        if (!held(queue, message)) return { result: false };
        return { result: true, next: { ...queue, messages: queue.messages.filter((m) => m.id !== message.id) } };
      }),
  };
}

function replace(queue: StoredQueue, message: StoredMessage): StoredQueue {
  // Moved to the back, as a message that reappears after its visibility timeout is in Azure's queues.
  return { ...queue, messages: [...queue.messages.filter((m) => m.id !== message.id), message] };
}

function view(m: StoredMessage): QueueMessage {
  return { id: m.id, text: m.text, dequeueCount: m.dequeueCount, receipt: m.receipt };
}

function newReceipt(): string {
  return randomBytes(9).toString('base64url');
}
