/**
 * A bulk request's progress as its coordinator counts it: done / skipped / failed / waiting of N
 * (and, once stopped, not run) and the waves started, and a note (who, and why, short enough for a card line) for each of the
 * first NOTES_KEPT users that did not end done or were not seen joined after their wave's sync.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { BulkItemNote, BulkProgress } from '../domain/bulk/types.ts';
import type { ItemEnd } from './bulk-item.ts';
import type { WaveEnd } from './wave-queue.ts';

const NOTES_KEPT = 20;
const NOTE_DETAIL_CHARS = 300;

export class Tally {
  done = 0;
  skipped = 0;
  failed = 0;
  /** Never started: the request was stopped first. */
  notRun = 0;
  waves = 0;
  readonly notes: BulkItemNote[] = [];
  readonly #total: number;
  constructor(total: number) {
    this.#total = total;
  }
  add({ item, request, end }: WaveEnd): void {
    if (end === 'not-run') {
      this.notRun += 1;
      return;
    }
    if (end === 'done') this.done += 1;
    else if (end === 'skipped') this.skipped += 1;
    else this.failed += 1;
    if (end !== 'done' && this.notes.length < NOTES_KEPT)
      this.notes.push({
        samAccountName: item.samAccountName,
        requestId: request?.id ?? '',
        why: request ? whyOf(request, end) : 'not run',
      });
  }
  unverified(child: ApprovalRequest): void {
    if (this.notes.length < NOTES_KEPT)
      this.notes.push({
        samAccountName: child.command.replace(/^match /, ''),
        requestId: child.id,
        why: "written, but not seen joined after the wave's sync (see its audit)",
      });
  }
  /** A stopped request at its end: every user that did not end was never started (their waves were never sent). */
  stopped(): void {
    this.notRun = this.#total - (this.done + this.skipped + this.failed);
  }
  progress(): BulkProgress {
    const ended = this.done + this.skipped + this.failed;
    return {
      total: this.#total,
      done: this.done,
      skipped: this.skipped,
      failed: this.failed,
      waiting: this.#total - ended - this.notRun,
      waves: this.waves,
      ...(this.notRun > 0 ? { notRun: this.notRun } : {}),
    };
  }
}

/** The request with the tally's progress and notes on its bulk part. */
export function withProgress(request: ApprovalRequest, tally: Tally): ApprovalRequest {
  return request.bulk ? { ...request, bulk: { ...request.bulk, progress: tally.progress(), notes: tally.notes } } : request;
}

/** A step's detail, short enough for a card line (the user's own request has it whole). */
function clipped(detail: string): string {
  return detail.length <= NOTE_DETAIL_CHARS ? detail : `${detail.slice(0, NOTE_DETAIL_CHARS - 1)}…`;
}

function whyOf(request: ApprovalRequest, end: ItemEnd): string {
  if (end === 'skipped') return `facts changed: ${(request.changes ?? []).map((c) => c.label).join('; ') || 'plan no longer automated'}`;
  if (request.failure) return request.failure;
  const failed = request.records.find((r) => r.status === 'failed');
  if (failed) return `step ${failed.number} failed (${failed.code ?? 'error'})${failed.detail ? `: ${clipped(failed.detail)}` : ''}`;
  const person = request.records.find((r) => r.status === 'waiting-for-person');
  return person
    ? `step ${person.number} needs a person (Graph refused the bot the write): ${person.detail ?? ''}`
    : `ended ${request.state}`;
}
