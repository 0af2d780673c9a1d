/**
 * The audit trail as its users see it: append an event (it is chained to the request's previous
 * entry and stored) and read a request's entries. Implemented over the request store
 * (src/store/audit-trail.ts); every new head hash also goes to the log.
 */
import type { AuditEntry, AuditEvent } from '../domain/audit/types.ts';

export interface AuditTrail {
  /**
   * Chains and stores `event`; concurrent appends to one request never lose an entry, and one
   * instance's appends to a request are chained in the order they were called.
   */
  append(event: AuditEvent): Promise<AuditEntry>;
  /** Chains and stores several events of one request in one write (all or none), in order. */
  appendAll(events: readonly AuditEvent[]): Promise<AuditEntry[]>;
  entriesOf(requestId: string): Promise<AuditEntry[]>;
}
