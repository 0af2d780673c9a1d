/**
 * `GET /bulk/<scan id>/report.csv?exp&u&sig`: a scan's full report as CSV, for the admin a signed
 * link was made for (bulk/report-link.ts), until it expires. Streamed chunk by chunk from the
 * store, so a 50,000-user report never sits whole in memory. Refusals are plain words with their
 * status: 404 unknown scan, 403 a link that was not made by this bot, 410 an expired link.
 */
import type restify from 'restify';
import { checkReportLink } from '../bulk/report-link.ts';
import type { ScanStore } from '../bulk/scan-store.ts';
import { csvHeader, csvLine } from '../domain/bulk/report-csv.ts';
import { isRequestId } from '../domain/approval/request-id.ts';
import type { Logger } from '../logging/logger.ts';

export const REPORT_ROUTE = '/bulk/:scanId/report.csv';

export interface ReportRouteDeps {
  scans: ScanStore;
  /** The shared signing key (made once, kept in the store). */
  key(): Promise<Buffer>;
  logger: Logger;
  now?: () => number;
}

export function createReportRoute(deps: ReportRouteDeps): restify.RequestHandler {
  const now = deps.now ?? Date.now;
  return async (req: restify.Request, res: restify.Response) => {
    const param: unknown = (req.params as Record<string, unknown>)['scanId'];
    const scanId = typeof param === 'string' ? param : '';
    const scan = isRequestId(scanId) ? await deps.scans.get(scanId.toLowerCase()) : null;
    if (!scan || scan.state !== 'done')
      return refuse(res, 404, 'There is no report for this scan. Click "Download report" on the scan card again.');
    const check = checkReportLink(
      await deps.key(),
      { scanId: scan.id, tenantId: scan.tenantId, query: Object.fromEntries(new URL(req.url ?? '', 'http://report.invalid').searchParams) },
      now(),
    );
    if (!check.ok) {
      deps.logger.warn({ scanId: scan.id, reason: check.reason }, 'refused a report link');
      if (check.reason === 'expired')
        return refuse(res, 410, 'This report link has expired. Click "Download report" on the scan card for a new one.');
      return refuse(res, 403, 'This report link is not valid. Click "Download report" on the scan card for a new one.');
    }
    deps.logger.info({ scanId: scan.id, admin: check.params.user }, 'report downloaded');
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="hardmatch-scan-${scan.id}.csv"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.write(csvHeader());
    for await (const rows of deps.scans.readRows(scan.id, scan.reportChunks ?? 0)) res.write(rows.map(csvLine).join(''));
    res.end();
  };
}

function refuse(res: restify.Response, status: number, words: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(words);
}
