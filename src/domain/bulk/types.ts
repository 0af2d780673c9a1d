/**
 * A scan as stored and shown: who started it, over which users, how far it got, and what it found.
 * Pure data; src/bulk runs and stores it, the bulk card renders it.
 */
import type { Actor, PostedCard } from '../approval/types.ts';
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
