/**
 * `downloadReport` on a scan's card: answers the card again with a report link made for the admin
 * who clicked (Teams shows an Action.Execute's answer to that user only). Admins only; the link
 * expires (bulk/report-link.ts).
 */
import { bulkCard } from '../../cards/bulk-card.ts';
import { adminsNotConfigured, notAnAdmin } from '../../domain/approval/refusals.ts';
import type { ActionHandler } from './types.ts';

export const downloadReport: ActionHandler = async (action, turn, deps) => {
  const { bulk } = deps;
  const scan = bulk ? await scanOf(action.requestId, turn.tenantId, deps) : null;
  if (!bulk || !scan || scan.tenantId.toLowerCase() !== turn.tenantId.toLowerCase()) {
    const removed = bulk && !scan ? await removedScanOf(action.requestId, turn.tenantId, deps) : null;
    const message = removed
      ? `The report of scan ${removed} is no longer stored: scans are kept SCAN_RETENTION_DAYS days, then removed. Type "scan" to scan again.`
      : `There is no scan "${action.requestId}". Type "scan" to start one.`;
    return deps.views.refusalFor({ code: 'UNKNOWN_REQUEST', message });
  }
  if (!bulk.admins.configured) return deps.views.refusalFor(adminsNotConfigured());
  if (!(await bulk.admins.isAdmin(turn.actor.aadObjectId))) return deps.views.refusalFor(notAnAdmin(turn.actor.name, 'downloadReport'));
  if (scan.state !== 'done') {
    const why = scan.state === 'scanning' ? 'is still running' : 'failed';
    return deps.views.refusalFor({
      code: 'WRONG_STATE',
      message: `Scan ${scan.id} ${why}, so it has no report; its card shows where it stands.`,
    });
  }
  deps.logger.info({ scanId: scan.id, actor: turn.actor.aadObjectId }, 'report link made');
  return bulkCard({ scan, reportLink: await bulk.reportLink(scan, turn.actor.aadObjectId) });
};

/** The scan by its id, or the scan a bulk request covers (their ids differ when the scan's was taken). */
async function scanOf(id: string, tenantId: string, deps: Parameters<ActionHandler>[2]) {
  const scan = await deps.bulk?.scans.get(id);
  if (scan) return scan;
  const found = await deps.approvals.find(id, tenantId);
  const scanId = found.ok ? found.request.bulk?.scanId : undefined;
  return scanId ? ((await deps.bulk?.scans.get(scanId)) ?? null) : null;
}

/** The scan id a bulk request names when that scan is no longer stored (removed past its retention). */
async function removedScanOf(id: string, tenantId: string, deps: Parameters<ActionHandler>[2]): Promise<string | null> {
  const found = await deps.approvals.find(id, tenantId);
  return found.ok ? (found.request.bulk?.scanId ?? null) : null;
}
