/**
 * The full report as CSV (RFC 4180): one row per user. Values come from AD and Entra, so a value
 * a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at its start) is prefixed with
 * an apostrophe (OWASP "CSV injection"), and every field is quoted when it holds a comma, a quote
 * or a line break. Starts with a UTF-8 byte order mark so Excel reads accented names right.
 */
import { OUTCOME_LABELS } from './outcome.ts';
import type { ReportRow } from './report.ts';

export const REPORT_COLUMNS = [
  'line',
  'input',
  'sAMAccountName',
  'onPremisesUserPrincipalName',
  'distinguishedName',
  'cloudUserPrincipalName',
  'cloudObjectId',
  'outcome',
  'outcomeText',
  'findings',
  'plan',
] as const;

const BOM = '\uFEFF';

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(row: ReportRow): string {
  const fields = [
    row.line ?? null,
    row.input ?? null,
    row.samAccountName,
    row.onPremUpn,
    row.dn,
    row.cloudUpn,
    row.cloudId,
    row.outcome,
    OUTCOME_LABELS[row.outcome],
    row.findings.join(' '),
    row.plan.join(' | '),
  ];
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function csvHeader(): string {
  return `${BOM}${REPORT_COLUMNS.join(',')}\r\n`;
}
