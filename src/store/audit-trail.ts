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

const MAX_ATTEMPTS = 50;
/** Heads remembered; the oldest is forgotten beyond this (its next append reads the trail). */
const MAX_HEADS = 1000;

export function createAuditTrail(store: RequestStore, logger: Logger): AuditTrail {
  const heads = new Map<string, AuditEntry>();
  const queues = new Map<string, Promise<unknown>>();
  const remember = (entry: AuditEntry): void => {
    heads.delete(entry.requestId);
    heads.set(entry.requestId, entry);
    const oldest = heads.keys().next();
    if (heads.size > MAX_HEADS && !oldest.done) heads.delete(oldest.value);
  };
  const newestStored = async (requestId: string): Promise<AuditEntry | null> => (await store.auditOf(requestId)).at(-1) ?? null;
  const appendNow = async (event: AuditEvent): Promise<AuditEntry> => {
    let head = heads.get(event.requestId) ?? (await newestStored(event.requestId));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const entry = chainEntry(head, event);
      if (await store.appendAudit(entry)) {
        remember(entry);
        logger.info({ requestId: entry.requestId, seq: entry.seq, action: entry.action, head: entry.hash }, 'audit head');
        return entry;
      }
      // Somebody else appended after the head we knew: chain onto what is stored now.
      head = await newestStored(event.requestId);
    }
    throw new Error(`could not append to the audit trail of ${event.requestId} after ${MAX_ATTEMPTS} attempts`);
  };
  return {
    append(event: AuditEvent): Promise<AuditEntry> {
      const previous = queues.get(event.requestId) ?? Promise.resolve();
      const appended = previous.then(() => appendNow(event));
      const settled = appended.catch(() => undefined);
      queues.set(event.requestId, settled);
      void settled.then(() => {
        if (queues.get(event.requestId) === settled) queues.delete(event.requestId);
      });
      return appended;
    },
    entriesOf: (requestId) => store.auditOf(requestId),
  };
}
