/**
 * The bulk card: a scan while it runs (one progress line, replaced in place), then what it found:
 * counts by outcome, the most common findings, the first users of the largest groups, the list
 * lines that named nobody, and the report to download. Pure: a function of the stored scan.
 */
import type { IAdaptiveCard, IOpenUrlAction } from 'adaptivecards/lib/schema.js';
import { BULK_OUTCOMES, OUTCOME_LABELS, type BulkOutcome } from '../domain/bulk/outcome.ts';
import { largestGroups, type BulkSummary, type ReportRow } from '../domain/bulk/report.ts';
import { irreversibleWords, scopeWords, type BulkScan } from '../domain/bulk/types.ts';
import { executeAction, requestApprovalAction, type CardAction } from './approval-actions.ts';
import { buttonRow, card, escapeMarkdown, facts, heading, notice, plural, text, type BodyElement } from './card-parts.ts';

export const BULK_IDS = {
  progress: 'bulk-progress',
  counts: 'bulk-counts',
  findings: 'bulk-findings',
  unknown: 'bulk-unknown',
  buttons: 'bulk-buttons',
  download: 'action-download-report',
  openReport: 'action-open-report',
  group: (outcome: BulkOutcome) => `bulk-group-${outcome}`,
} as const;

/** How many groups show their first rows, and how many findings are listed. */
export const GROUPS_SHOWN = 3;
export const FINDINGS_SHOWN = 8;

export interface BulkCardInput {
  scan: BulkScan;
  /** A report link made for the admin who asked for it (downloadReport), and how long it works. */
  reportLink?: { url: string; minutes: number };
}

const OUTCOME_TONE: Readonly<Record<BulkOutcome, 'good' | 'info' | 'warning' | 'error' | 'neutral'>> = {
  'already-matched': 'good',
  'sync-will-join': 'good',
  'needs-hard-match': 'info',
  'needs-purge': 'warning',
  'needs-person': 'warning',
  blocked: 'error',
  'not-found': 'neutral',
};

const n = (value: number): string => value.toLocaleString('en-US');

export function bulkCard(input: BulkCardInput): IAdaptiveCard {
  const { scan } = input;
  const body: BodyElement[] = [
    text(`Scan ${scan.id}: ${escapeMarkdown(scopeWords(scan.scope))}`, { size: 'medium', weight: 'bolder' }),
    text(`Started by ${escapeMarkdown(scan.startedBy.name)} at ${new Date(scan.startedAt).toISOString().replace(/\.\d+Z$/, 'Z')}`, {
      subtle: true,
    }),
  ];
  if (scan.state === 'scanning') body.push(text(progressLine(scan), { id: BULK_IDS.progress, tone: 'info' }));
  if (scan.state === 'failed' && scan.failure)
    body.push(notice({ tone: 'error', title: scan.failure.title, text: scan.failure.text, code: scan.failure.code }));
  if (scan.state === 'done' && scan.summary) body.push(...resultSections(scan.id, scan.summary, input));
  return card(body, { summary: summaryLine(scan) });
}

function progressLine(scan: BulkScan): string {
  const c = scan.counters;
  return `Scanning… AD: ${n(c.adRead)} users read (${plural(c.adPages, 'page')}); cloud: ${n(c.cloudRead)} users read (${plural(c.cloudPages, 'page')}); ${n(c.diagnosed)} diagnosed. This card updates itself.`;
}

function summaryLine(scan: BulkScan): string {
  if (scan.state === 'scanning') return `Scan ${scan.id}: scanning ${scopeWords(scan.scope)}`;
  if (scan.state === 'failed') return `Scan ${scan.id} failed: ${scan.failure?.title ?? 'error'}`;
  const s = scan.summary;
  return s ? `Scan ${scan.id}: ${n(s.total)} users, ${n(s.automated)} the bot can fix` : `Scan ${scan.id} done`;
}

function resultSections(id: string, summary: BulkSummary, input: BulkCardInput): BodyElement[] {
  const out: BodyElement[] = [heading(`${plural(summary.total, 'user')} scanned`)];
  out.push({ ...facts(BULK_OUTCOMES.map((o) => [OUTCOME_LABELS[o], n(summary.counts[o])] as const)), id: BULK_IDS.counts });
  out.push(text(automatedLine(summary), { tone: summary.automated > 0 ? 'info' : 'neutral' }));
  if (summary.findings.length > 0) {
    out.push(heading('Most common findings'));
    out.push({
      ...facts(summary.findings.slice(0, FINDINGS_SHOWN).map((f) => [f.code, plural(f.users, 'user')] as const)),
      id: BULK_IDS.findings,
    });
  }
  for (const outcome of largestGroups(summary).slice(0, GROUPS_SHOWN)) {
    const rows = summary.samples[outcome] ?? [];
    out.push({
      ...heading(`${OUTCOME_LABELS[outcome]} (${n(summary.counts[outcome])})`, OUTCOME_TONE[outcome]),
      id: BULK_IDS.group(outcome),
    });
    out.push(...rows.map((row) => text(`• ${escapeMarkdown(rowWords(row))}`)));
    if (summary.counts[outcome] > rows.length)
      out.push(text(`… and ${n(summary.counts[outcome] - rows.length)} more in the report.`, { subtle: true }));
  }
  if (summary.unknownCount > 0) out.push(...unknownSection(summary));
  const buttons: CardAction[] = [
    executeAction({ verb: 'downloadReport', requestId: id }, { id: BULK_IDS.download, title: 'Download report (CSV)' }),
  ];
  // One approval for every fully automated plan; the others stay in the report with their person's steps.
  if (input.scan.requestId && summary.automated > 0) buttons.unshift(requestApprovalAction(input.scan.requestId, { exclude: true }));
  out.push(buttonRow(buttons, { id: BULK_IDS.buttons }));
  if (input.reportLink) out.push(reportLinkRow(input.reportLink));
  return out;
}

function automatedLine(summary: BulkSummary): string {
  if (summary.automated === 0) return 'No user can be fixed by the bot alone.';
  const clears = summary.clears ?? 0;
  const purges = summary.purges === 0 && clears === 0 ? 'no purge' : `${irreversibleWords(summary.purges, clears)} (IRREVERSIBLE)`;
  return `${plural(summary.automated, 'user')} can be fixed by the bot alone: ${purges}.`;
}

function rowWords(row: ReportRow): string {
  const who = row.samAccountName ?? row.input ?? '(unknown)';
  const cloud = row.cloudUpn ? ` → ${row.cloudUpn}` : '';
  const codes = row.findings.length > 0 ? `: ${row.findings.slice(0, 3).join(', ')}${row.findings.length > 3 ? ', …' : ''}` : '';
  return `${who}${cloud}${codes}`;
}

function unknownSection(summary: BulkSummary): BodyElement[] {
  const out: BodyElement[] = [{ ...heading(`Lines that name no AD user (${n(summary.unknownCount)})`, 'warning'), id: BULK_IDS.unknown }];
  out.push(...summary.unknown.map((u) => text(`• Line ${u.line}: ${escapeMarkdown(u.why)}`)));
  if (summary.unknownCount > summary.unknown.length)
    out.push(text(`… and ${n(summary.unknownCount - summary.unknown.length)} more in the report.`, { subtle: true }));
  return out;
}

function reportLinkRow(link: { url: string; minutes: number }): BodyElement {
  const open: IOpenUrlAction = { type: 'Action.OpenUrl', id: BULK_IDS.openReport, title: 'Open the report (CSV)', url: link.url };
  return {
    type: 'Container',
    items: [
      text(`Your report link works for ${plural(link.minutes, 'minute')} and only for this scan; do not forward it.`, { subtle: true }),
      { type: 'ActionSet', actions: [open] },
    ],
  };
}
