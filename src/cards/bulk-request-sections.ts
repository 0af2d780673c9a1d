/**
 * What a bulk request's card shows in place of one diagnosis: the scan it covers, how many users
 * the approval covers and how many purges (IRREVERSIBLE) that takes, who is left out, what stays
 * for a person, and once it runs, done / skipped / failed / waiting of N, with the first users that
 * did not end done. The report (every user, with the person's steps) is one click away.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';
import { OUTCOME_LABELS } from '../domain/bulk/outcome.ts';
import { irreversibleWords, scopeWords, type BulkRequestInfo, type BulkUndoInfo } from '../domain/bulk/types.ts';
import { executeAction } from './approval-actions.ts';
import { BULK_IDS } from './bulk-card.ts';
import { buttonRow, escapeMarkdown, facts, heading, plural, text, type BodyElement } from './card-parts.ts';

export const BULK_REQUEST_IDS = {
  covered: 'bulk-request-covered',
  progress: 'bulk-request-progress',
  notes: 'bulk-request-notes',
  excluded: 'bulk-request-excluded',
  notUndoable: 'bulk-request-not-undoable',
} as const;

const n = (value: number): string => value.toLocaleString('en-US');

export function bulkRequestSections(request: ApprovalRequest, bulk: BulkRequestInfo): BodyElement[] {
  if (bulk.undo) return [...bulkUndoSections(bulk, bulk.undo), ...(bulk.progress ? progressSection(bulk) : [])];
  const out: BodyElement[] = [heading(`Scan ${escapeMarkdown(bulk.scanId)}: ${escapeMarkdown(scopeWords(bulk.scope))}`)];
  const purges = irreversibleLine(bulk.purges, bulk.clears ?? 0);
  out.push(
    text(
      `This approval covers **${plural(bulk.users, 'user')}** whose plan the bot runs alone: ${purges}. Each user is read again just before its own steps; a user whose facts changed is skipped and reported, never forced.`,
      { id: BULK_REQUEST_IDS.covered },
    ),
  );
  const person = bulk.counts['needs-person'] + bulk.counts.blocked;
  if (person > 0)
    out.push(
      text(
        `${plural(person, 'user')} need a person (${n(bulk.counts['needs-person'])} ${OUTCOME_LABELS['needs-person'].toLowerCase()}, ${n(bulk.counts.blocked)} blocked): not covered; their steps are in the report.`,
        { subtle: true },
      ),
    );
  if (bulk.excluded.length > 0) {
    const shown = bulk.excluded.slice(0, 10).map(escapeMarkdown).join(', ');
    out.push(
      text(`Left out by the requester (${n(bulk.excluded.length)}): ${shown}${bulk.excluded.length > 10 ? ', …' : ''}`, {
        id: BULK_REQUEST_IDS.excluded,
      }),
    );
  }
  if (bulk.progress) out.push(...progressSection(bulk));
  out.push(
    buttonRow([
      executeAction({ verb: 'downloadReport', requestId: request.id }, { id: BULK_IDS.download, title: 'Download report (CSV)' }),
    ]),
  );
  return out;
}

function progressSection(bulk: BulkRequestInfo): BodyElement[] {
  const p = bulk.progress;
  if (!p) return [];
  const out: BodyElement[] = [heading('Progress')];
  out.push({
    ...facts([
      ['Done', `${n(p.done)} of ${n(p.total)}`],
      ['Skipped (facts changed)', n(p.skipped)],
      ['Failed', n(p.failed)],
      ['Waiting', n(p.waiting)],
      ...(bulk.stopRequested || p.notRun ? [['Not run (stopped before they started)', n(p.notRun ?? 0)] as [string, string]] : []),
      [bulk.undo ? 'Waves (an undo syncs nothing)' : 'Delta syncs (waves)', n(p.waves)],
    ]),
    id: BULK_REQUEST_IDS.progress,
  });
  if (bulk.stopRequested)
    out.push(
      text(`Stopped by ${escapeMarkdown(bulk.stopRequested.by.name)}: no new user starts; running ones finish.`, { tone: 'warning' }),
    );
  const notes = bulk.notes ?? [];
  if (notes.length > 0) {
    out.push({ ...text('Not done:', { weight: 'bolder' }), id: BULK_REQUEST_IDS.notes });
    out.push(
      ...notes
        .slice(0, 10)
        .map((note) =>
          text(
            `• ${escapeMarkdown(note.samAccountName)}${note.requestId ? ` (request ${escapeMarkdown(note.requestId)})` : ''}: ${escapeMarkdown(note.why)}`,
          ),
        ),
    );
  }
  return out;
}

/** A bulk undo: what it reverts, of which bulk request, and what it cannot revert. */
function bulkUndoSections(bulk: BulkRequestInfo, undo: BulkUndoInfo): BodyElement[] {
  const out: BodyElement[] = [heading(`Undo of bulk request ${escapeMarkdown(undo.of)}: ${escapeMarkdown(scopeWords(bulk.scope))}`)];
  out.push(
    text(
      `This approval reverts **${plural(undo.steps, 'reversible step')}** of **${plural(bulk.users, 'user')}**, newest first. Each value is put back only where it is still the one the step wrote; a user whose value changed since is reported, never forced. A user the sync has joined since is synced, and Graph refuses to rewrite a synced user's ImmutableID: that user is reported too, with Graph's words. Nothing is synced: the next delta sync applies AD again.`,
      { id: BULK_REQUEST_IDS.covered },
    ),
  );
  if (undo.notUndoableCount === 0) return out;
  out.push({
    ...text(`Not undoable: ${plural(undo.notUndoableCount, 'IRREVERSIBLE step')}, left as they are:`, { weight: 'bolder' }),
    id: BULK_REQUEST_IDS.notUndoable,
  });
  out.push(
    ...undo.notUndoable
      .slice(0, 10)
      .map((s) => text(`• ${escapeMarkdown(s.samAccountName)} (request ${escapeMarkdown(s.requestId)}): ${escapeMarkdown(s.description)}`)),
  );
  if (undo.notUndoableCount > 10) out.push(text(`…and ${n(undo.notUndoableCount - 10)} more.`, { subtle: true }));
  return out;
}

/** The approver's line on what cannot be taken back: a purged user, a cleared mapping (Graph takes only null). */
function irreversibleLine(purges: number, clears: number): string {
  if (purges === 0 && clears === 0) return 'no purge';
  const why = [
    purges > 0 ? 'a purged user cannot be brought back' : null,
    clears > 0 ? 'a cleared onPremisesObjectIdentifier cannot be set again' : null,
  ].filter(Boolean);
  return `${irreversibleWords(purges, clears)} (IRREVERSIBLE: ${why.join('; ')})`;
}
