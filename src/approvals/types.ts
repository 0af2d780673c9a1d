/** What the approval service needs and answers. */
import type { Actor, ApprovalPolicy, ApprovalRequest, DoneCheck, FingerprintFact, Refusal, Versioned } from '../domain/approval/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { AuditEvent } from '../domain/audit/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { AdminDirectory } from '../ports/admin-directory.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { BulkUser } from './bulk-requests.ts';

/** What a person's Done on a MANUAL step looks like where the bot can see its result (`check-done.ts`). */
export type CheckDone = (request: ApprovalRequest, step: Extract<PlanStep, { kind: 'MANUAL' }>) => Promise<DoneCheck>;

export interface ApprovalDeps {
  store: RequestStore;
  audit: AuditTrail;
  admins: AdminDirectory;
  policy: ApprovalPolicy;
  logger: Logger;
  /**
   * The facts the request rests on, read again now: for `match`, AD and the cloud re-read for its
   * `who` and target (roles fresh, never from a cache) and diagnosed anew; for `undo`, the values
   * the original steps wrote. Compared with the stored fingerprint before the last approval.
   */
  refingerprint(request: ApprovalRequest): Promise<FingerprintFact[]>;
  /**
   * Checks a person's Done on a MANUAL step where the bot can see the result (`check-done.ts`).
   * Absent: every Done is taken on the person's word (and recorded so).
   */
  checkDone?: CheckDone;
  /**
   * Starts (or resumes) execution; the service does not wait for it. `approved`: the version the
   * last approval just wrote after re-validating the facts (the engine claims from it directly);
   * `claimed`: that version already claimed (`claimOnApproval`), with the append of its entries.
   */
  execute(
    requestId: string,
    options?: { approved?: Versioned<ApprovalRequest>; claimed?: Versioned<ApprovalRequest>; audited?: Promise<unknown> },
  ): void;
  /**
   * The engine's claim, written by the last approval's own compare-and-swap: the request as
   * executing under this instance's lease (its first step started) and the entries telling it.
   */
  claimOnApproval?(approved: ApprovalRequest): { request: ApprovalRequest; events: AuditEvent[] };
  /** A bulk request's users (its scan's fully automated plans), for exclusions. */
  bulkUsers?(request: ApprovalRequest): Promise<BulkUser[]>;
  /** Replaces every posted copy of the request's card; posts to the approvers' place when asked. */
  publish(request: ApprovalRequest, options?: { announce?: boolean }): Promise<void>;
  now?: () => number;
  randomBytes?: (n: number) => Uint8Array;
}

/** Who acts, and where. */
export interface ActorContext {
  actor: Actor;
  tenantId: string;
}

export type ActOutcome =
  | { ok: true; request: ApprovalRequest }
  /** `request` is the stored request when there is one (the card shows its current state). */
  | { ok: false; refusal: Refusal; request?: ApprovalRequest };
