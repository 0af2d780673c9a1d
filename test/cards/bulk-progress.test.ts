/** The bulk request's progress on its card: a stopped request counts the users that never started as not run. */
import { describe, expect, it } from 'vitest';
import { bulkRequestSections } from '../../src/cards/bulk-request-sections.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import { BULK_OUTCOMES } from '../../src/domain/bulk/outcome.ts';
import type { BulkProgress, BulkRequestInfo } from '../../src/domain/bulk/types.ts';

function info(progress: BulkProgress, stopped: boolean): BulkRequestInfo {
  return {
    ...{ scanId: 'scan01', scope: { kind: 'sync-scope' }, automated: 8, excluded: [], users: 8, purges: 0, itemChunks: 1 },
    counts: Object.fromEntries(BULK_OUTCOMES.map((o) => [o, 0])) as BulkRequestInfo['counts'],
    progress,
    ...(stopped ? { stopRequested: { by: { aadObjectId: 'a1', name: 'Adele' }, at: 1 } } : {}),
  };
}

/** The progress fact set's rows as title → value. */
function rows(bulk: BulkRequestInfo): Record<string, string> {
  const set = bulkRequestSections({} as ApprovalRequest, bulk).find((e) => 'id' in e && e.id === 'bulk-request-progress');
  const facts = set && 'facts' in set ? (set.facts as { title: string; value: string }[]) : [];
  return Object.fromEntries(facts.map((f) => [f.title, f.value]));
}

describe('bulk request progress on the card', () => {
  it('a stopped request shows done, waiting and not run, which add up to N with the rest', () => {
    const shown = rows(info({ total: 8, done: 3, skipped: 0, failed: 0, waiting: 0, notRun: 5, waves: 1 }, true));
    expect(shown).toMatchObject({ Done: '3 of 8', Waiting: '0', 'Not run (stopped before they started)': '5' });
  });

  it('a running request that was not stopped has no not-run line', () => {
    const shown = rows(info({ total: 8, done: 3, skipped: 0, failed: 0, waiting: 5, waves: 1 }, false));
    expect(shown).toMatchObject({ Done: '3 of 8', Waiting: '5' });
    expect(Object.keys(shown)).not.toContain('Not run (stopped before they started)');
  });
});
