/**
 * Two-person approval as data: the request a `match` stores, its states, who acted, and what each
 * step did. Pure: the rules (`rules.ts`) answer the next request or a coded refusal; the store
 * persists it with compare-and-swap; the engine runs its steps. Names are the product's contract
 * (docs/product.md "Two-person approval").
 */
import type { Diagnosis, PlanStep } from '../diagnosis/types.ts';
import type { AuditEntry } from '../audit/types.ts';
import type { BulkRequestInfo } from '../bulk/types.ts';

export const REQUEST_STATES = [
  'proposed',
  'requested',
  'approved',
  'executing',
  'waiting-for-person',
  'done',
  'failed',
  'rejected',
  'cancelled',
  'expired',
  'stale',
  'done-with-warnings',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** States nothing leaves: the request is over. */
export const FINAL_STATES: readonly RequestState[] = ['done', 'done-with-warnings', 'failed', 'rejected', 'cancelled', 'expired', 'stale'];

/** Whoever acted, from the activity (`from.aadObjectId`, `from.name`), never from card data. */
export interface Actor {
  aadObjectId: string;
  name: string;
}

/**
 * `match` proposes a fix; `undo` reverts the reversible steps another request did; `bulk` covers
 * the fully automated plans of a scan (each user's plan then runs as a `match` request of its own,
 * `bulkOf` the bulk request).
 */
export type RequestKind = 'match' | 'undo' | 'bulk';

/** One fact the plan rests on, compared again at approval. */
export interface FingerprintFact {
  /**
   * Stable key, e.g. `target`, `anchor`, `steps`, `SET_ANCHOR previous <object id>`: keyed by the
   * user a step acts on rather than its number, so one added step does not renumber every fact.
   */
  fact: string;
  /** Plain words for the card, e.g. "onPremisesImmutableId of jdoe@contoso.com". */
  label: string;
  value: string | null;
}

/** A fact that differs between the stored plan and the re-read one. */
export interface FactChange {
  fact: string;
  label: string;
  old: string | null;
  new: string | null;
}

export type StepStatus = 'pending' | 'started' | 'done' | 'failed' | 'waiting-for-person';

/** What happened to one plan step, recorded before it runs (`started`) and after. */
export interface StepRecord {
  number: number;
  status: StepStatus;
  /** The value the step will replace, written with `started`; the value it replaced with `done`. */
  before?: unknown;
  after?: unknown;
  detail?: string;
  /** Failure code: Graph's (`ObjectConflict`), the step's (`PLAN_DRIFT`) or ours (`SYNC_FAILED`). */
  code?: string;
  startedAt?: number;
  endedAt?: number;
  /** Who said "Done" for a MANUAL step. */
  doneBy?: Actor;
  /**
   * A MANUAL step's Done: `checked` when the bot saw the result (Graph, the relay), `taken-on-word`
   * when it cannot see it (the record's `detail` says why).
   */
  doneCheck?: 'checked' | 'taken-on-word';
  /**
   * Where `before` was read when the step did not read it itself right before its write: the
   * approval's re-validation (moments earlier, the request unchanged since), and when it started.
   */
  beforeRead?: { by: 'approval-revalidation'; at: number };
  /** VERIFY_JOINED: what the join left that the plan meant to clear (the request ends `done-with-warnings`). */
  warnings?: Leftover[];
}

/** A person's Done on a MANUAL step, as the bot could check it (Graph, the relay). */
export type DoneCheck =
  /** The bot saw the result; `seen` says what. */
  | { status: 'done'; seen: string }
  /** The bot sees it is not done; `still` says what is still there. */
  | { status: 'not-done'; still: string }
  /** The bot cannot see it; `why` says why (the Done is the person's word). */
  | { status: 'word'; why: string };

/** Something a join left over, and how to fix it. */
export interface Leftover {
  what: string;
  fix: string;
}

export interface Decision {
  actor: Actor;
  at: number;
}

/** The engine's claim on an executing request: only the owner writes, until the lease ends. */
export interface ExecutionLease {
  owner: string;
  /** ms since the epoch, on the clock of the instance that wrote it (see LEASE_SKEW in claim.ts). */
  until: number;
  /**
   * The fencing token: one more at every claim or take-over. Every write of the execution (each
   * step's start, before its Graph call) is a compare-and-swap that also checks this token, so an
   * engine whose claim was taken over, even by its own process, is refused before it writes again.
   */
  fence?: number;
}

/** Where a copy of the request's card was posted, so every copy can be replaced. */
export interface PostedCard {
  /** The Bot Framework conversation reference, as botbuilder serialises it. */
  conversation: Record<string, unknown>;
  activityId: string;
}

export interface ApprovalRequest {
  /** Short enough to type: `r7k3q9`. */
  id: string;
  kind: RequestKind;
  state: RequestState;
  tenantId: string;
  /** What was typed: `match jdoe` (or `undo r7k3q9`). */
  command: string;
  /** The `match` arguments, so re-validation reads the same users again. */
  who: string;
  target?: string;
  /** The diagnosis the plan came from (what the card shows). */
  diagnosis: Diagnosis;
  /** The steps to run, in order (for `undo`: the inverse of the original's reversible steps). */
  steps: PlanStep[];
  records: StepRecord[];
  fingerprint: FingerprintFact[];
  /** Who ran `match` (the card's author). */
  proposedBy: Actor;
  requester?: Actor;
  justification?: string;
  requestedAt?: number;
  /** `proposed` (set when it is made) or `requested` becomes `expired` after this (ms since the epoch). */
  expiresAt?: number;
  /** REQUIRED_APPROVALS when approval was requested (the rules use the larger of this and the current policy). */
  requiredApprovals?: number;
  approvals: Decision[];
  rejection?: Decision & { reason: string };
  cancellation?: Decision;
  /** Set when re-validation found the facts changed (state `stale`). */
  changes?: FactChange[];
  lease?: ExecutionLease;
  /** For VERIFY_JOINED: the sync the plan triggered started at this time. */
  syncStartedAt?: number;
  /** `undo`: the request whose steps it reverts. */
  undoOf?: string;
  /**
   * `undo`: for each entry of `steps` (the original steps, newest first), what the original step
   * recorded, so the inverse is computed from the record alone.
   */
  reverts?: { before: unknown; after: unknown }[];
  cards: PostedCard[];
  /**
   * The audit trail's head as of this version: how many entries it has and the last one's hash.
   * Written in the same compare-and-swap as the change the entries record, so `audit` detects a
   * trail that lost its last entries or was re-chained (absent on requests stored before it).
   */
  auditHead?: AuditHead;
  /**
   * The entries this version added (or that were not yet known to be in the trail): written with
   * the change, then copied into the trail (idempotently, by `seq`) by whoever writes or reads the
   * request next. The trail is never ahead of the request, and a crash between the two loses nothing.
   */
  auditOutbox?: AuditEntry[];
  createdAt: number;
  updatedAt: number;
  /** `bulk`: the scan it covers, who is left out, and how far execution got. */
  bulk?: BulkRequestInfo;
  /** A user's plan run under a bulk request: that request's id. */
  bulkOf?: string;
  /** Why it ended `failed` when no step failed (a bulk user whose work item was poisoned). */
  failure?: string;
  /**
   * A bulk user whose step Graph kept throttling past its deadline was released (back to
   * `approved`, that step left `started`): its work item comes back after Graph's Retry-After, and
   * it is not claimed again before this time (ms since the epoch).
   */
  retryAt?: number;
  /**
   * A bulk user's VERIFY_JOINED, run by the bulk request's coordinator after the user's wave
   * synced: recorded once, in the compare-and-swap that stages its trail entry, so a coordinator
   * that resumes the wave neither verifies the user again nor writes the entry twice.
   */
  waveVerification?: WaveVerification;
}

/** How a bulk user's verification after its wave's sync ended. */
export interface WaveVerification {
  /** The wave (1, 2, ...) whose sync it followed. */
  wave: number;
  at: number;
  joined: boolean;
  /** Why not, when not joined (VERIFY_TIMEOUT, the on-demand run's error, the sync's). */
  code?: string;
}

export interface AuditHead {
  length: number;
  hash: string;
}

/** The request as stored, with the version compare-and-swap checks. */
export interface Versioned<T> {
  value: T;
  /** Opaque: a row version (SQLite) or an ETag (Table Storage). */
  version: string;
}

/** Approval settings (REQUIRED_APPROVALS, APPROVAL_TTL_MINUTES, VERIFY_TIMEOUT_MINUTES). */
export interface ApprovalPolicy {
  requiredApprovals: number;
  ttlMs: number;
  verifyTimeoutMs: number;
  /** A request `waiting-for-person` expires this long after it started waiting (MANUAL_STEP_TTL_DAYS). Default DEFAULT_MANUAL_STEP_TTL_MS. */
  manualStepTtlMs?: number;
}

/** MANUAL_STEP_TTL_DAYS' default: a week for a person's step. */
export const DEFAULT_MANUAL_STEP_TTL_MS = 7 * 24 * 60 * 60_000;

export const DEFAULT_POLICY: ApprovalPolicy = Object.freeze({
  requiredApprovals: 1,
  ttlMs: 60 * 60_000,
  verifyTimeoutMs: 45 * 60_000,
  manualStepTtlMs: DEFAULT_MANUAL_STEP_TTL_MS,
});

/** The card verbs (Action.Execute `data.verb`); `downloadReport` answers a scan's card with a report link for the admin who clicked. */
export const ACTION_VERBS = ['requestApproval', 'approve', 'reject', 'cancel', 'refresh', 'manualDone', 'downloadReport'] as const;
export type ActionVerb = (typeof ACTION_VERBS)[number];

/** What an actor asks, with the inputs the verb takes (already validated for shape). */
export type ApprovalAction =
  /** `exclude`: on a bulk request, users (sAMAccountName or DN) the requester leaves out. */
  | { verb: 'requestApproval'; justification: string; exclude?: string[] }
  | { verb: 'approve' }
  | { verb: 'reject'; reason: string }
  | { verb: 'cancel' }
  | { verb: 'manualDone'; step: number };

/** Why an action was refused; each is worded for the actor by `toUserText`. */
export const REFUSAL_CODES = [
  'NOT_AN_ADMIN',
  'ADMINS_NOT_CONFIGURED',
  'OWN_REQUEST',
  'ALREADY_APPROVED_BY_YOU',
  'ALREADY_DECIDED',
  'WRONG_STATE',
  'EXPIRED',
  'NOT_REQUESTER',
  'NOT_PARTICIPANT',
  'WRONG_STEP',
  'JUSTIFICATION_INVALID',
  'REASON_INVALID',
  'NOTHING_TO_APPROVE',
  'UNKNOWN_REQUEST',
  'NOTHING_TO_UNDO',
  'REPLAYED',
  'STEP_NOT_DONE',
  'STEP_CHECK_FAILED',
  'EXCLUDE_INVALID',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  /** One sentence for the actor, naming who/what (e.g. "Already approved by Ben Approver at 14:02."). */
  message: string;
}

export const JUSTIFICATION_LIMITS = Object.freeze({ min: 10, max: 500 });
export const REASON_LIMITS = Object.freeze({ min: 1, max: 500 });
