/**
 * The audit trail: every request, decision, refusal, step and error, appended per request and
 * hash-chained (each entry holds the previous entry's hash), so an edited, reordered or deleted
 * entry is detected by `verifyChain`. Pure data.
 */
import type { Actor } from '../approval/types.ts';

/** What was done, as a stable word (the card and `audit` show it). */
export type AuditAction =
  | 'proposed'
  | 'requested'
  | 'approved'
  | 'approval-recorded'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'stale'
  | 'refused'
  | 'execution-claimed'
  | 'execution-resumed'
  | 'step-started'
  | 'step-done'
  | 'step-failed'
  | 'step-waiting'
  /** A bulk user's step Graph kept throttling: released, its work item back on the queue. */
  | 'step-requeued'
  | 'manual-done'
  | 'done'
  | 'failed'
  | 'error';

/** An entry before it is chained: who, when, what. */
export interface AuditEvent {
  requestId: string;
  /** ms since the epoch. */
  at: number;
  /** Null for the bot's own actions (the engine running a step). */
  actor: Actor | null;
  action: AuditAction;
  /** Plain words: "Set the onPremisesImmutableId of ... ". */
  summary: string;
  /** For step entries: the step's number and kind. */
  step?: { number: number; kind: string };
  before?: unknown;
  after?: unknown;
  /** Refusal or failure code. */
  code?: string;
}

/** A chained entry as stored. `seq` starts at 1; entry 1's `prevHash` is GENESIS_HASH. */
export interface AuditEntry extends AuditEvent {
  seq: number;
  prevHash: string;
  /** SHA-256 (hex) over the canonical JSON of every other field. */
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** What `verifyChain` finds. `brokenAt` is the first entry whose hash or link does not hold. */
export type ChainVerdict = { ok: true; entries: number; head: string } | { ok: false; entries: number; brokenAt: number; reason: string };
