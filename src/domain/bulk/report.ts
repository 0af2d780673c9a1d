/**
 * A scan's result as data: one report row per user (what the CSV holds) and the summary the bulk
 * card shows (counts by outcome, the most common findings, the first rows of each group). The
 * summary is built row by row while the scan runs, so it costs nothing extra at 50,000 users.
 */
import type { Diagnosis, FindingCode } from '../diagnosis/types.ts';
import { originalUpn } from '../diagnosis/describe.ts';
import { BULK_OUTCOMES, isAutomated, outcomeOf, type BulkOutcome } from './outcome.ts';

export interface ReportRow {
  /** The list line this row answers (1-based), for a scan of a list. */
  line?: number;
  /** What the line said, for a scan of a list. */
  input?: string;
  samAccountName: string | null;
  onPremUpn: string | null;
  dn: string | null;
  cloudUpn: string | null;
  cloudId: string | null;
  outcome: BulkOutcome;
  /** Finding codes, blockers first. */
  findings: FindingCode[];
  /** The plan's steps in words, numbered; or why there is none. */
  plan: string[];
}

export function rowOf(diagnosis: Diagnosis, list?: { line: number; input: string }): ReportRow {
  const { onPrem, plan } = diagnosis;
  const target = plan.target ?? (diagnosis.candidates.length === 1 ? (diagnosis.candidates[0]?.user ?? null) : null);
  const steps = plan.steps.map((s) => `${s.number}. ${s.irreversible ? '[IRREVERSIBLE] ' : ''}${s.description}`);
  return {
    ...(list ? { line: list.line, input: list.input } : {}),
    samAccountName: onPrem?.samAccountName ?? null,
    onPremUpn: onPrem?.userPrincipalName ?? null,
    dn: onPrem?.dn ?? null,
    cloudUpn: target ? originalUpn(target) : null,
    cloudId: target?.id ?? null,
    outcome: outcomeOf(diagnosis),
    findings: diagnosis.findings.filter((f) => f.severity !== 'info' || f.code === 'ALREADY_MATCHED').map((f) => f.code),
    plan: steps.length > 0 ? steps : [plan.blockedReason ?? plan.note ?? (plan.nothingToDo ? 'Nothing to do.' : 'No plan.')],
  };
}

/** A row for a list line that names no AD user the relay knows. */
export function unknownRow(line: number, input: string, why: string): ReportRow {
  return {
    line,
    input,
    samAccountName: null,
    onPremUpn: null,
    dn: null,
    cloudUpn: null,
    cloudId: null,
    outcome: 'not-found',
    findings: ['ONPREM_NOT_FOUND'],
    plan: [why],
  };
}

export interface BulkSummary {
  total: number;
  counts: Record<BulkOutcome, number>;
  /** Finding code → users it was found for, most common first. */
  findings: { code: FindingCode; users: number }[];
  /** The first rows of each outcome (SAMPLE_ROWS at most), in scan order. */
  samples: Partial<Record<BulkOutcome, ReportRow[]>>;
  /** Users whose plan the bot can run alone (needs a hard match, needs a purge first). */
  automated: number;
  /** PURGE_DELETED_USER steps among the automated plans: what cannot be undone. */
  purges: number;
  /** CLEAR_OBJECT_IDENTIFIER steps among them (IRREVERSIBLE too); absent in summaries stored before it was counted. */
  clears?: number;
  /** List lines that named no AD user (first UNKNOWN_SHOWN of them), and how many there were. */
  unknown: { line: number; input: string; why: string }[];
  unknownCount: number;
}

export const SAMPLE_ROWS = 5;
export const UNKNOWN_SHOWN = 20;

export class SummaryBuilder {
  readonly #counts = Object.fromEntries(BULK_OUTCOMES.map((o) => [o, 0])) as Record<BulkOutcome, number>;
  readonly #findings = new Map<FindingCode, number>();
  readonly #samples: Partial<Record<BulkOutcome, ReportRow[]>> = {};
  readonly #unknown: BulkSummary['unknown'] = [];
  #unknownCount = 0;
  #total = 0;
  #purges = 0;
  #clears = 0;

  add(row: ReportRow, irreversible: { purges: number; clears: number } = { purges: 0, clears: 0 }): void {
    this.#total += 1;
    this.#counts[row.outcome] += 1;
    if (isAutomated(row.outcome)) {
      this.#purges += irreversible.purges;
      this.#clears += irreversible.clears;
    }
    for (const code of new Set(row.findings)) this.#findings.set(code, (this.#findings.get(code) ?? 0) + 1);
    const sample = (this.#samples[row.outcome] ??= []);
    if (sample.length < SAMPLE_ROWS) sample.push(row);
    if (row.samAccountName === null && row.line !== undefined) {
      this.#unknownCount += 1;
      if (this.#unknown.length < UNKNOWN_SHOWN) this.#unknown.push({ line: row.line, input: row.input ?? '', why: row.plan[0] ?? '' });
    }
  }

  summary(): BulkSummary {
    const findings = [...this.#findings.entries()]
      .map(([code, users]) => ({ code, users }))
      .sort((a, b) => b.users - a.users || (a.code < b.code ? -1 : 1));
    return {
      total: this.#total,
      counts: { ...this.#counts },
      findings,
      samples: structuredClone(this.#samples),
      automated: this.#counts['needs-hard-match'] + this.#counts['needs-purge'],
      purges: this.#purges,
      clears: this.#clears,
      unknown: [...this.#unknown],
      unknownCount: this.#unknownCount,
    };
  }
}

/** Outcomes with users, largest first (ties in the card's fixed order). */
export function largestGroups(summary: BulkSummary): BulkOutcome[] {
  return BULK_OUTCOMES.filter((o) => summary.counts[o] > 0).sort(
    (a, b) => summary.counts[b] - summary.counts[a] || BULK_OUTCOMES.indexOf(a) - BULK_OUTCOMES.indexOf(b),
  );
}
