/**
 * One line of plain words for a simulated sync run (the relay's sync `detail`, the card, the
 * audit trail): how many users, what happened to them, and each export error by user.
 */
import type { SyncTriggerResult } from '../../ports/sync-trigger.ts';
import type { SyncRunReport } from './run-delta-sync.ts';

/** Successful outcomes in the order the summary lists them. */
const WORDS: Record<string, string> = {
  UPDATE: 'updated',
  HARD_MATCH: 'hard-matched',
  SOFT_MATCH: 'soft-matched',
  RESTORE: 'restored',
  CREATE: 'created',
  DELETE: 'deleted',
  NOTHING: 'out of scope',
};

export function summarizeRun(report: SyncRunReport): string {
  const done = report.results.filter((r) => !r.error && !r.skipped);
  const parts = Object.entries(WORDS)
    .map(([kind, word]) => [done.filter((r) => r.outcome === kind).length, word] as const)
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}`);
  const skipped = report.results.filter((r) => r.skipped);
  if (skipped.length > 0)
    parts.push(`${skipped.length} skipped (source of authority in the cloud: ${skipped.map((r) => r.samAccountName).join(', ')})`);
  const errors = report.results.filter((r) => r.error);
  if (errors.length > 0) {
    parts.push(
      `${errors.length} export error${errors.length === 1 ? '' : 's'} (${errors.map((r) => `${r.samAccountName}: ${r.error?.code ?? ''}`).join(', ')})`,
    );
  }
  const users = `${report.results.length} user${report.results.length === 1 ? '' : 's'}`;
  return `Simulated delta sync: ${users}${parts.length > 0 ? `; ${parts.join(', ')}` : ''}.`;
}

/** A simulated run as the SyncTrigger port answers it (what the relay's POST /v1/sync returns). */
export function syncResultOf(report: SyncRunReport): SyncTriggerResult {
  return { startedAt: report.startedAt, finishedAt: report.finishedAt, detail: summarizeRun(report), report };
}
