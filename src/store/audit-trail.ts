/**
 * The audit trail over the request store: each event is chained to the request's newest entry and
 * appended with its sequence number as the compare-and-swap key, so two writers racing for the
 * same number never both win and no entry is lost (the loser re-chains onto the winner). Each new
 * head hash is also written to the log, outside the store, so a rewritten store is detected.
 */
import { chainEntry } from '../domain/audit/chain.ts';
import type { AuditEntry, AuditEvent } from '../domain/audit/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';

const MAX_ATTEMPTS = 50;

export function createAuditTrail(store: RequestStore, logger: Logger): AuditTrail {
  return {
    async append(event: AuditEvent): Promise<AuditEntry> {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const entries = await store.auditOf(event.requestId);
        const entry = chainEntry(entries.at(-1) ?? null, event);
        if (await store.appendAudit(entry)) {
          logger.info({ requestId: entry.requestId, seq: entry.seq, action: entry.action, head: entry.hash }, 'audit head');
          return entry;
        }
      }
      throw new Error(`could not append to the audit trail of ${event.requestId} after ${MAX_ATTEMPTS} attempts`);
    },
    entriesOf: (requestId) => store.auditOf(requestId),
  };
}
