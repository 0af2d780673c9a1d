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
  const scan = bulk ? await bulk.scans.get(action.requestId) : null;
  if (!bulk || !scan || scan.tenantId.toLowerCase() !== turn.tenantId.toLowerCase()) {
    return deps.views.refusalFor({ code: 'UNKNOWN_REQUEST', message: `There is no scan "${action.requestId}". Type "scan" to start one.` });
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
