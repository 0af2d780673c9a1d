/**
 * Stored scans expire: a scan (its record, its report and its users) older than SCAN_RETENTION_DAYS
 * is removed by the sweeper, and so are a bulk undo's stored items. Kept past that while still in
 * use: a scan still running, or whose bulk request has not ended (it reads the scan's users as it
 * runs); a bulk undo's items until the undo has ended. A request left `proposed` or `requested`
 * past its expiry no longer holds anything (it is `expired` the next time anyone reads it). Bulk
 * requests and their trails stay: `status`, `audit` and `undo <bulk id>` do not need the scan.
 */
import { FINAL_STATES, type ApprovalRequest } from '../domain/approval/types.ts';
import { isLive } from '../domain/bulk/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { ScanStore, StoredScanEntry } from './scan-store.ts';

export const DEFAULT_SCAN_RETENTION_DAYS = 30;

export interface ScanRetentionDeps {
  store: RequestStore;
  scans: ScanStore;
  tenantId: string;
  /** SCAN_RETENTION_DAYS in ms. */
  retentionMs: number;
  now: () => number;
  logger: Logger;
}

/** Removes what has expired; answers the ids removed. */
export async function sweepScans(deps: ScanRetentionDeps): Promise<string[]> {
  const cutoff = deps.now() - deps.retentionMs;
  const removed: string[] = [];
  for (const entry of await deps.scans.index(deps.tenantId)) {
    if (entry.at > cutoff) break; // oldest first: the rest are younger
    if (await inUse(deps, entry)) continue;
    await deps.scans.remove(deps.tenantId, entry.id);
    removed.push(entry.id);
  }
  if (removed.length > 0)
    deps.logger.info({ removed, retentionDays: deps.retentionMs / 86_400_000 }, 'stored scans past SCAN_RETENTION_DAYS removed');
  return removed;
}

async function inUse(deps: ScanRetentionDeps, entry: StoredScanEntry): Promise<boolean> {
  // A bulk undo's items: its own request reads them while it runs.
  if (entry.items !== undefined) return running(deps, (await deps.store.get(entry.id))?.value);
  const scan = await deps.scans.get(entry.id);
  if (!scan) return false;
  if (isLive(scan, deps.now())) return true;
  return scan.requestId !== undefined && running(deps, (await deps.store.get(scan.requestId))?.value);
}

/** Whether the request may still run (and so read what is stored for it). */
function running(deps: ScanRetentionDeps, request: ApprovalRequest | undefined): boolean {
  if (!request || FINAL_STATES.includes(request.state)) return false;
  const waiting = request.state === 'proposed' || request.state === 'requested';
  return !(waiting && request.expiresAt !== undefined && request.expiresAt <= deps.now());
}
