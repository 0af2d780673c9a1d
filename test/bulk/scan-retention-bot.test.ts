/**
 * The bot's own sweeper removes scans past SCAN_RETENTION_DAYS (here run as at start-up, through
 * `resumeAbandoned`), and Download report on the bulk request of a removed scan says why there is
 * no report any more.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allElements, visibleText } from '../support/card-query.ts';
import { createScanStore } from '../../src/bulk/scan-store.ts';
import { bulkWorld, fakeOnPremSnapshot } from '../support/bulk-directory.ts';
import { ADMIN, startBulkBot, TENANT, type BulkBot } from './bulk-bot.ts';

const bots: BulkBot[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) await b.close();
});

describe('stored scans expire', () => {
  it('the sweeper removes a scan past SCAN_RETENTION_DAYS whose bulk request ended; its report link answer says so', async () => {
    const world = bulkWorld(1);
    const b = await startBulkBot(world, fakeOnPremSnapshot(world.ad));
    bots.push(b);
    const { card } = await b.client(ADMIN).say('scan');
    const ask = allElements(card).find((e) => e.id === 'action-request-approval-submit') as { data: { requestId: string } };
    const bulkId = ask.data.requestId;
    const { store } = b.bot.approvals.features;
    const bulk = await store.get(bulkId);
    if (!bulk?.value.bulk) throw new Error('no bulk request');
    const scanId = bulk.value.bulk.scanId;
    await store.update({ ...bulk.value, state: 'cancelled' }, bulk.version);
    // 31 days old (the default retention is 30).
    const scans = createScanStore(store);
    await scans.remember(TENANT, { id: scanId, at: Date.now() - 31 * 86_400_000 });
    await b.bot.approvals.resumeAbandoned();
    for (let i = 0; i < 100 && (await scans.get(scanId)); i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await scans.get(scanId)).toBeNull();
    expect(await store.getSetting(`bulk:${scanId}:rows:0`)).toBeNull();
    const answer = await b.client(ADMIN).invoke('downloadReport', { verb: 'downloadReport', requestId: bulkId });
    expect(visibleText(answer.card).replace(/\\/g, '')).toContain(
      `The report of scan ${scanId} is no longer stored: scans are kept SCAN_RETENTION_DAYS days, then removed. Type "scan" to scan again.`,
    );
    // The bulk request and its trail stay.
    expect((await store.get(bulkId))?.value.state).toBe('cancelled');
  });
});
