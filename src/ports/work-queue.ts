/**
 * A queue of work items shared by every bot instance (src/queue): Azure Storage Queues when
 * several instances run, the request store itself for the embedded default. At-least-once: a
 * received message is hidden for a visibility timeout and comes back (its `dequeueCount` one
 * higher) unless it is deleted first, so a consumer that dies mid-item leaves it to another. What
 * makes an item run exactly once is not the queue but the store's compare-and-swap: the consumer
 * checks the item's own record before doing anything, so a redelivered message does nothing.
 */

/** A received message: valid for its consumer until its visibility ends or `receipt` changes. */
export interface QueueMessage {
  id: string;
  text: string;
  /** How many times the message has been received, this time included (1 the first time). */
  dequeueCount: number;
  /** Proves this consumer holds the message (Azure's pop receipt); renewing changes it. */
  receipt: string;
}

export interface WorkQueue {
  /** The queue's name (for logs and trails). */
  readonly name: string;
  /**
   * Adds a message, hidden for `delaySeconds` first (default 0: visible at once); a bulk item Graph
   * kept throttling goes back this way, visible again once Graph's Retry-After has passed.
   */
  send(text: string, delaySeconds?: number): Promise<void>;
  /** The next visible message, hidden for `visibilitySeconds` from now; null when none is visible. */
  receive(visibilitySeconds: number): Promise<QueueMessage | null>;
  /**
   * Hides a received message for `visibilitySeconds` more, while its item still runs; answers it
   * with its new receipt, or null when this consumer no longer holds it (it reappeared and another
   * received it, or it was deleted).
   */
  renew(message: QueueMessage, visibilitySeconds: number): Promise<QueueMessage | null>;
  /** Removes a received message; false when this consumer no longer holds it. */
  delete(message: QueueMessage): Promise<boolean>;
}

/** The bulk work items and where the items that failed too often go. */
export interface WorkQueues {
  items: WorkQueue;
  poison: WorkQueue;
  /** Which kind answers (`azure-queues` or `store`), for logs and `/healthz`-style reports. */
  readonly kind: 'azure-queues' | 'store';
}
