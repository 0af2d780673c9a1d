/**
 * The audit trail over the request store: each event is chained to the request's newest entry and
 * appended with its sequence number as the compare-and-swap key, so two writers racing for the
 * same number never both win and no entry is lost (the loser re-chains onto the winner). Each new
 * head hash is also written to the log, outside the store, so a rewritten store is detected.
 *
 * The newest entry this instance wrote or read is kept per request, so an append does not re-read
 * the whole trail to find the head: the head is only a guess, and the store's compare-and-swap on
 * the sequence number checks it (another instance having appended meanwhile makes the append fail
 * and the trail is read again). Appends of one request from this instance go one at a time, in
 * call order, so they never race each other.
 */
import { chainEntry } from '../domain/audit/chain.ts';
import type { AuditEntry, AuditEvent } from '../domain/audit/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { casLoop } from '../concurrency/cas-update.ts';
import { serialByKey } from '../concurrency/serial-by-key.ts';

const MAX_ATTEMPTS = 50;
/** Heads remembered; the oldest is forgotten beyond this (its next append reads the trail). */
const MAX_HEADS = 1000;

export function createAuditTrail(store: RequestStore, logger: Logger): AuditTrail {
  const heads = new Map<string, AuditEntry>();
  const queue = serialByKey();
  const remember = (entry: AuditEntry): void => {
    heads.delete(entry.requestId);
    heads.set(entry.requestId, entry);
    const oldest = heads.keys().next();
    if (heads.size > MAX_HEADS && !oldest.done) heads.delete(oldest.value);
  };
  const newestStored = async (requestId: string): Promise<AuditEntry | null> => (await store.auditOf(requestId)).at(-1) ?? null;
  const appendNow = async (requestId: string, events: readonly AuditEvent[]): Promise<AuditEntry[]> => {
    const known = heads.get(requestId);
    // The head is a guess; the sequence number is the compare-and-swap key. Somebody else having
    // appended after it makes the write fail, and the entries are chained onto what is stored now.
    const result = await casLoop({
      read: () => newestStored(requestId),
      ...(known ? { known } : {}),
      decide: (head) => chained(head, events),
      write: async (entries) => ((await store.appendAudit(entries.length === 1 ? (entries[0] as AuditEntry) : entries)) ? entries : null),
      attempts: MAX_ATTEMPTS,
    });
    if (!result.written) throw new Error(`could not append to the audit trail of ${requestId} after ${MAX_ATTEMPTS} attempts`);
    const entries = result.stored;
    remember(entries.at(-1) as AuditEntry);
    for (const entry of entries) logger.info({ requestId: entry.requestId, seq: entry.seq, action: entry.action, head: entry.hash }, 'audit head');
    return entries;
  };
  const enqueue = (requestId: string, events: readonly AuditEvent[]): Promise<AuditEntry[]> => {
    if (events.length === 0) return Promise.resolve([]);
    if (events.some((e) => e.requestId !== requestId)) return Promise.reject(new Error('appendAll: the events belong to more than one request'));
    return queue.run(requestId, () => appendNow(requestId, events));
  };
  return {
    append: async (event) => (await enqueue(event.requestId, [event]))[0] as AuditEntry,
    appendAll: (events) => (events[0] ? enqueue(events[0].requestId, events) : Promise.resolve([])),
    entriesOf: (requestId) => store.auditOf(requestId),
  };
}

function chained(head: AuditEntry | null, events: readonly AuditEvent[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const event of events) entries.push(chainEntry(entries.at(-1) ?? head, event));
  return entries;
}
