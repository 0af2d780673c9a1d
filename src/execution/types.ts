/**
 * What the plan's actions need and what they answer. The approval executor (and the scenario tests)
 * pass the cloud directory, the relay's sync trigger and, in tests, a fake clock; each executed
 * step answers the values it replaced and wrote, so the audit trail can show them and a reversible
 * step can be undone from the record alone.
 */
import type { Leftover } from '../domain/approval/types.ts';
import type { CloudDirectory, CloudWriter } from '../ports/cloud-directory.ts';
import type { SyncTrigger } from '../ports/sync-trigger.ts';

export interface StepDeps {
  cloud: CloudDirectory & CloudWriter;
  /** The relay client (or, in tests, the sync simulator); its result is recorded as the step's `after`. */
  sync: SyncTrigger;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Default: a real timer. Tests pass one that advances their fake clock. */
  sleep?: (ms: number) => Promise<void>;
  /** VERIFY_JOINED polls Graph this often. Default DEFAULT_POLL_INTERVAL_MS. */
  pollIntervalMs?: number;
  /**
   * VERIFY_JOINED: an onPremisesLastSyncDateTime at or after this (ms since the epoch) counts as
   * fresh. The executor passes when TRIGGER_DELTA_SYNC started. Default: when VERIFY_JOINED started,
   * less FRESHNESS_SLACK_MS.
   */
  freshSince?: number;
  /**
   * The approval this execution follows re-read the step's subject moments ago, found the value
   * the plan expects, and nothing was written to the request since (the engine claimed that very
   * version). A reversible write then replaces that value without reading it again; the crash-resume
   * path and every other execution still read first.
   */
  revalidated?: boolean;
  /** Aborted when the execution's claim is lost: a loop that waits (VERIFY_JOINED's polling) stops there. */
  signal?: AbortSignal;
}

export type StepResult =
  | { status: 'done'; before: unknown; after: unknown; detail: string; warnings?: Leftover[] }
  /** MANUAL: a person must act on-premises; the approval flow waits for "Done". */
  | { status: 'waiting-for-person'; detail: string }
  /**
   * `code` is one of STEP_FAILURES, Graph's own error code (e.g. ObjectConflict), or ours (e.g.
   * SYNC_BUSY). `throttled`: Graph kept answering 429 until the call's deadline (CLOUD_THROTTLED),
   * so the write was not executed and may succeed later; `retryAfterMs` is its last Retry-After.
   */
  | { status: 'failed'; code: string; detail: string; before?: unknown; throttled?: { retryAfterMs: number | null } };

/** Codes a step fails with that are not Graph's or another module's. */
export const STEP_FAILURES = {
  /** The user is no longer as the plan saw it; nothing was written. */
  drift: 'PLAN_DRIFT',
  /** VERIFY_JOINED's time limit passed before the user was synced with the anchor. */
  verifyTimeout: 'VERIFY_TIMEOUT',
  /** The step cannot be undone (PURGE_DELETED_USER), or its record does not allow it. */
  undoImpossible: 'UNDO_IMPOSSIBLE',
} as const;

/** Recorded by SET_ANCHOR and CLEAR_ANCHOR as `before` and `after`. */
export interface AnchorValue {
  userId: string;
  onPremisesImmutableId: string | null;
}

/** Recorded by RENAME_UPN_TEMPORARILY as `before` and `after`. */
export interface UpnValue {
  userId: string;
  userPrincipalName: string;
}

/** Recorded by PURGE_DELETED_USER as `before` (its `after` is null: the object is gone). */
export interface PurgedUser {
  userId: string;
  userPrincipalName: string;
  onPremisesImmutableId: string | null;
  deletedDateTime: string | null;
}

/** Recorded by VERIFY_JOINED as `after`: the user as last read from Graph. */
export interface JoinedState {
  userId: string;
  userPrincipalName: string;
  synced: boolean;
  onPremisesImmutableId: string | null;
  onPremisesLastSyncDateTime: string | null;
}

/** Entra Connect exports a delta within a minute or two; polling faster only spends Graph quota. */
export const DEFAULT_POLL_INTERVAL_MS = 10_000;

/**
 * Graph reports onPremisesLastSyncDateTime to the second, the sandbox's simulated sync finishes
 * before VERIFY_JOINED starts, and the bot's clock is not Microsoft's: a sync this much older than
 * the check still counts as the one the plan triggered.
 */
export const FRESHNESS_SLACK_MS = 60_000;
