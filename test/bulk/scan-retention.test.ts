/**
 * Stored scans expire after SCAN_RETENTION_DAYS: the sweep removes a scan's record, report and
 * users (and the index entry), and a bulk undo's stored items, once older than the retention and
 * no longer in use; it keeps what is younger, a scan still running, a scan whose bulk request has
 * not ended, and a bulk undo's items while it may still run. A request left waiting past its
 * expiry holds nothing.
 */
import { describe, expect, it } from 'vitest';
import { sweepScans } from '../../src/bulk/scan-retention.ts';
import { createScanStore } from '../../src/bulk/scan-store.ts';
import type { BulkItem } from '../../src/bulk/scan.ts';
import type { ApprovalRequest, RequestState } from '../../src/domain/approval/types.ts';
import type { ReportRow } from '../../src/domain/bulk/report.ts';
import type { BulkScan } from '../../src/domain/bulk/types.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 12);
const ADMIN = { aadObjectId: 'a1', name: 'Adele' };
const logger = createLogger({ level: 'silent' });

function scan(id: string, daysAgo: number, over: Partial<BulkScan> = {}): BulkScan {
  const at = NOW - daysAgo * DAY;
  return {
    ...{ id, tenantId: 'T', scope: { kind: 'sync-scope' }, scopeKey: `k-${id}`, state: 'done', startedBy: ADMIN },
    ...{ startedAt: at, updatedAt: at, counters: { adRead: 0, adPages: 0, cloudRead: 0, cloudPages: 0, diagnosed: 0 } },
    ...over,
  };
}

function request(id: string, state: RequestState, over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    ...{ id, kind: 'bulk', state, tenantId: 'T', command: 'scan', who: 'the whole sync scope', steps: [], records: [], fingerprint: [] },
    ...{ proposedBy: ADMIN, approvals: [], cards: [], createdAt: 0, updatedAt: 0 },
    diagnosis: { who: '', onPrem: null, candidates: [], findings: [], plan: { target: null, steps: [], nothingToDo: false } },
    ...over,
  };
}

const row = { outcome: 'needs-hard-match' } as unknown as ReportRow;
const item = { samAccountName: 'hard1' } as unknown as BulkItem;

function world() {
  const store = createSqliteStore(':memory:');
  const scans = createScanStore(store);
  const stored = async (s: BulkScan, bulkState?: RequestState, over: Partial<ApprovalRequest> = {}) => {
    const reportChunks = await scans.saveChunks(s.id, 'rows', [row, row]);
    const itemChunks = await scans.saveChunks(s.id, 'items', [item]);
    await scans.create({ ...s, reportChunks, itemChunks, ...(bulkState ? { requestId: `b${s.id}` } : {}) });
    if (bulkState) await store.create(request(`b${s.id}`, bulkState, over));
  };
  const sweep = () => sweepScans({ store, scans, tenantId: 't', retentionMs: 30 * DAY, now: () => NOW, logger });
  const left = async (id: string) => ({
    scan: (await scans.get(id)) !== null,
    rows: (await store.getSetting(`bulk:${id}:rows:0`)) !== null,
    items: (await store.getSetting(`bulk:${id}:items:0`)) !== null,
  });
  return { store, scans, stored, sweep, left };
}

describe('the sweep of stored scans (SCAN_RETENTION_DAYS)', () => {
  it('removes a scan older than the retention whose bulk request has ended: record, report, users and index entry', async () => {
    const { scans, stored, sweep, left } = world();
    await stored(scan('old001', 31), 'done');
    await stored(scan('new001', 29), 'done');
    await stored(scan('nob001', 40));
    expect(await sweep()).toEqual(['nob001', 'old001']);
    expect(await left('old001')).toEqual({ scan: false, rows: false, items: false });
    expect(await left('nob001')).toEqual({ scan: false, rows: false, items: false });
    expect(await left('new001')).toEqual({ scan: true, rows: true, items: true });
    expect((await scans.index('T')).map((e) => e.id)).toEqual(['new001']);
    expect(await sweep()).toEqual([]);
  });

  it('keeps an old scan still running, or whose bulk request may still run; frees one whose request expired waiting', async () => {
    const { stored, sweep, left } = world();
    await stored(scan('run001', 40, { state: 'scanning', updatedAt: NOW - 1000 }));
    await stored(scan('exe001', 40), 'executing');
    await stored(scan('req001', 40), 'requested', { expiresAt: NOW + DAY });
    await stored(scan('lap001', 40), 'requested', { expiresAt: NOW - DAY });
    await stored(scan('dead01', 40, { state: 'scanning', updatedAt: NOW - 10 * 60_000 }));
    expect(await sweep()).toEqual(['lap001', 'dead01']);
    for (const id of ['run001', 'exe001', 'req001']) expect((await left(id)).scan, id).toBe(true);
  });

  it("removes a bulk undo's stored items once the undo has ended and is past the retention", async () => {
    const { store, scans, sweep } = world();
    for (const [id, state] of [
      ['und001', 'done'],
      ['und002', 'executing'],
    ] as const) {
      const items = await scans.saveChunks(id, 'items', [item]);
      await scans.remember('T', { id, at: NOW - 31 * DAY, items });
      await store.create(request(id, state, { undoOf: 'bulk01' }));
    }
    expect(await sweep()).toEqual(['und001']);
    expect(await store.getSetting('bulk:und001:items:0')).toBeNull();
    expect(await store.getSetting('bulk:und002:items:0')).not.toBeNull();
    // The undo request itself (its state, its trail) stays.
    expect((await store.get('und001'))?.value.state).toBe('done');
  });

  it('removes the chunks a scan left without counting them (it died between saving and recording them)', async () => {
    const { scans, store, sweep } = world();
    await scans.saveChunks('orph01', 'rows', [row]);
    await scans.create(scan('orph01', 60, { state: 'failed' }));
    expect(await sweep()).toEqual(['orph01']);
    expect(await store.getSetting('bulk:orph01:rows:0')).toBeNull();
  });
});
