/** The scan card and the approver's card count every irreversible step: purges and clears of onPremisesObjectIdentifier. */
import { describe, expect, it } from 'vitest';
import { bulkCard } from '../../src/cards/bulk-card.ts';
import { bulkRequestSections } from '../../src/cards/bulk-request-sections.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import { BULK_OUTCOMES, type BulkOutcome } from '../../src/domain/bulk/outcome.ts';
import type { BulkRequestInfo, BulkScan } from '../../src/domain/bulk/types.ts';
import { SummaryBuilder } from '../../src/domain/bulk/report.ts';

const counts = (over: Partial<Record<BulkOutcome, number>>): Record<BulkOutcome, number> =>
  ({ ...Object.fromEntries(BULK_OUTCOMES.map((o) => [o, 0])), ...over }) as Record<BulkOutcome, number>;

function info(purges: number, clears?: number): BulkRequestInfo {
  return {
    scanId: 'scan01',
    scope: { kind: 'sync-scope' },
    automated: 3,
    excluded: [],
    users: 3,
    purges,
    ...(clears === undefined ? {} : { clears }),
    counts: counts({ 'needs-hard-match': 2, 'needs-purge': 1 }),
    itemChunks: 1,
  };
}

const words = (value: unknown): string => JSON.stringify(value);

describe('irreversible steps on the bulk cards', () => {
  it("the approver's card names the clears and why they cannot be taken back", () => {
    const text = words(bulkRequestSections({} as ApprovalRequest, info(1, 2)));
    expect(text).toContain(
      '1 purge and 2 clears of onPremisesObjectIdentifier (IRREVERSIBLE: a purged user cannot be brought back; a cleared onPremisesObjectIdentifier cannot be set again)',
    );
  });

  it('a request stored before clears were counted reads as before', () => {
    expect(words(bulkRequestSections({} as ApprovalRequest, info(2)))).toContain(
      '2 purges (IRREVERSIBLE: a purged user cannot be brought back)',
    );
    expect(words(bulkRequestSections({} as ApprovalRequest, info(0)))).toContain('no purge');
  });

  it('the scan card counts a clear-only fix as irreversible, not "no purge"', () => {
    const summary = new SummaryBuilder().summary();
    const scan: BulkScan = {
      id: 'scan01',
      tenantId: 't',
      scope: { kind: 'sync-scope' },
      scopeKey: 'sync-scope',
      state: 'done',
      startedBy: { aadObjectId: 'a1', name: 'Adele' },
      startedAt: 0,
      updatedAt: 0,
      counters: { adRead: 1, adPages: 1, cloudRead: 1, cloudPages: 1, diagnosed: 1 },
      summary: { ...summary, total: 1, counts: counts({ 'needs-hard-match': 1 }), automated: 1, purges: 0, clears: 1 },
    };
    const text = words(bulkCard({ scan }));
    expect(text).toContain('1 user can be fixed by the bot alone: 0 purges and 1 clear of onPremisesObjectIdentifier (IRREVERSIBLE).');
  });
});
