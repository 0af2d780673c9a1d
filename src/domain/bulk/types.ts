/**
 * A scan as stored and shown: who started it, over which users, how far it got, and what it found.
 * Pure data; src/bulk runs and stores it, the bulk card renders it.
 */
import type { Actor, PostedCard } from '../approval/types.ts';
import type { BulkOutcome } from './outcome.ts';
import type { BulkSummary } from './report.ts';

export type BulkScope =
  { kind: 'ou'; dn: string } | { kind: 'sync-scope' } | { kind: 'list'; entries: number; source: 'pasted' | 'file'; fileName?: string };

export type BulkScanState = 'scanning' | 'done' | 'failed';

export interface BulkCounters {
  adRead: number;
  adPages: number;
  cloudRead: number;
  cloudPages: number;
  diagnosed: number;
}

export interface BulkScan {
  /** Same shape as a request id (`status`, `audit` and `cancel` take either). */
  id: string;
  tenantId: string;
  scope: BulkScope;
  /** Two scans with the same key may not run at once. */
  scopeKey: string;
  state: BulkScanState;
  startedBy: Actor;
  startedAt: number;
  /** Renewed with every progress update: a `scanning` scan not updated for long has died. */
  updatedAt: number;
  endedAt?: number;
  counters: BulkCounters;
  summary?: BulkSummary;
  /** Why the scan stopped, in the error's words (code, title, text). */
  failure?: { code: string; title: string; text: string };
  /** How many report chunks are stored (rows in order). */
  reportChunks?: number;
  /** How many users the bot could fix alone (item chunks stored). */
  itemChunks?: number;
  /** Where the scan's card was posted, so it is replaced in place. */
  card?: PostedCard;
  /** The bulk request proposed for its fully automated plans (absent when there are none). */
  requestId?: string;
}

/** A scan that has not reported for this long is taken as dead (its instance stopped). */
export const SCAN_HEARTBEAT_MS = 2 * 60_000;

export function isLive(scan: BulkScan, now: number): boolean {
  return scan.state === 'scanning' && now - scan.updatedAt < SCAN_HEARTBEAT_MS;
}

export function scopeWords(scope: BulkScope): string {
  switch (scope.kind) {
    case 'ou':
      return scope.dn;
    case 'sync-scope':
      return 'the whole sync scope';
    case 'list':
      return `a list of ${scope.entries.toLocaleString('en-US')} user${scope.entries === 1 ? '' : 's'}${scope.fileName ? ` (${scope.fileName})` : ''}`;
  }
}

/** How far a bulk request's execution got (N = the users it covers). */
export interface BulkProgress {
  total: number;
  done: number;
  /** Re-read just before its steps, the user's facts had changed: nothing written, reported. */
  skipped: number;
  failed: number;
  /** Not started yet (or running). */
  waiting: number;
  /**
   * Never started because the requester stopped the request (`cancel`): nothing was written for
   * them. Once a stopped request has ended, every user is done, skipped, failed or not run.
   * Absent on requests stored before it was counted.
   */
  notRun?: number;
  /** Waves started so far (one delta sync each). */
  waves: number;
}

/** One user that did not end done, for the card (the first few). */
export interface BulkItemNote {
  samAccountName: string;
  /** The child request that ran (or refused) its plan. */
  requestId: string;
  why: string;
}

export interface BulkRequestInfo {
  scanId: string;
  scope: BulkScope;
  /** Users whose plan the bot can run alone, before exclusions. */
  automated: number;
  /** sAMAccountNames the requester left out. */
  excluded: string[];
  /** Users covered: automated less excluded. */
  users: number;
  /** PURGE_DELETED_USER steps among the covered users' plans (IRREVERSIBLE). */
  purges: number;
  /** CLEAR_OBJECT_IDENTIFIER steps among them (IRREVERSIBLE); absent on requests stored before it was counted. */
  clears?: number;
  /** The scan's counts by outcome (the users a person must fix stay in the report). */
  counts: Record<BulkOutcome, number>;
  itemChunks: number;
  progress?: BulkProgress;
  notes?: BulkItemNote[];
  /** The requester asked to stop: no new item starts; running ones finish. */
  stopRequested?: { by: Actor; at: number };
  /** Set on a bulk request once `undo <its id>` proposed the bulk undo with this id. */
  undoneBy?: string;
  /** Set on a bulk undo (`undo <bulk id>`): what it reverts; its items are stored under its own id. */
  undo?: BulkUndoInfo;
}

/** A step a bulk undo cannot revert (a purge, a clear of onPremisesObjectIdentifier), for the card. */
export interface NotUndoableStep {
  samAccountName: string;
  /** The user's own request that ran it. */
  requestId: string;
  description: string;
}

export interface BulkUndoInfo {
  /** The bulk request whose users' reversible steps it reverts. */
  of: string;
  /** Reversible steps it reverts, over all its users (`users`). */
  steps: number;
  /** The irreversible steps the users' requests did (the first NOT_UNDOABLE_SHOWN), and how many. */
  notUndoable: NotUndoableStep[];
  notUndoableCount: number;
}

export const NOT_UNDOABLE_SHOWN = 20;

/** "3 purges and 1 clear of onPremisesObjectIdentifier": a bulk request's irreversible steps, in words. */
export function irreversibleWords(purges: number, clears: number): string {
  const p = `${purges} purge${purges === 1 ? '' : 's'}`;
  return clears === 0 ? p : `${p} and ${clears} clear${clears === 1 ? '' : 's'} of onPremisesObjectIdentifier`;
}
