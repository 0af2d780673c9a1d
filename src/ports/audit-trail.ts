/**
 * The audit trail as its users see it: append an event (it is chained to the request's previous
 * entry and stored) and read a request's entries. Implemented over the request store
 * (src/store/audit-trail.ts); every new head hash also goes to the log.
 */
import type { AuditEntry, AuditEvent } from '../domain/audit/types.ts';

export interface AuditTrail {
  /** Chains and stores `event`; concurrent appends to one request never lose an entry. */
  append(event: AuditEvent): Promise<AuditEntry>;
  entriesOf(requestId: string): Promise<AuditEntry[]>;
}
