/**
 * The audit trail as its users see it. An entry is written in the same compare-and-swap as the
 * change it records: `stage` chains the events onto the head the request carries and puts the
 * entries in the request's outbox; the caller writes that request; `flush` then copies the
 * outbox into the trail (idempotently, by `seq`). Whoever writes or reads the request next
 * flushes what a crash left behind, so the trail is never ahead of the request and never loses
 * an entry. Implemented over the request store (src/store/audit-trail.ts).
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditEntry, AuditEvent, ChainVerdict } from '../domain/audit/types.ts';

export interface AuditTrail {
  /** `request` with `events` chained onto its head and put in its outbox (nothing written). */
  stage(request: ApprovalRequest, events: readonly AuditEvent[]): Promise<ApprovalRequest>;
  /** Copies the outbox of `request` (as written) into the trail; a no-op once it is there. */
  flush(request: ApprovalRequest): Promise<void>;
  /**
   * Records events that change nothing else (a refusal): one compare-and-swap adding them to the
   * request, then a flush. Concurrent appends to one request never lose an entry.
   */
  appendAll(events: readonly AuditEvent[]): Promise<AuditEntry[]>;
  append(event: AuditEvent): Promise<AuditEntry>;
  /** The request's entries, its outbox flushed first. */
  entriesOf(requestId: string): Promise<AuditEntry[]>;
  /** Whether the entries verify: the chain (keyed when AUDIT_KEY is set) and the head `request` records. */
  verify(request: ApprovalRequest, entries: readonly AuditEntry[]): ChainVerdict;
  /**
   * The trail as of one version of the request, and its verdict: the entries up to the head that
   * version records (a write landing meanwhile adds entries beyond it, which are left for the next
   * read), the outbox flushed first. Null when there is no such request.
   */
  read(requestId: string): Promise<{ entries: AuditEntry[]; verdict: ChainVerdict } | null>;
  /** Whether the chain is keyed (AUDIT_KEY set). */
  readonly keyed: boolean;
}
