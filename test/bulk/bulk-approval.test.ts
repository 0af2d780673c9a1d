/**
 * One approval for many fixes, through /api/messages: Request approval on the scan card (with
 * users left out), the two-person rules (no self-approval, admins only, a justification), and the
 * approver's card with the counts and the purges.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allElements } from '../support/card-query.ts';
import { bulkWorld, fakeOnPremSnapshot } from '../support/bulk-directory.ts';
import { ADMIN, SECOND, startBulkBot, VIEWER, type BulkBot } from './bulk-bot.ts';

const bots: BulkBot[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) await b.close();
});

const texts = (card: unknown): string =>
  allElements(card)
    .map(
      (e) =>
        (typeof e.text === 'string' ? e.text : '') +
        (Array.isArray(e.facts) ? (e.facts as { title: string; value: string }[]).map((f) => `${f.title}=${f.value}`).join(';') : ''),
    )
    .join('\n')
    .replace(/\\/g, '');
const JUSTIFICATION = 'Ticket 4711: the migrated OU lost its anchors.';

async function scanned(n = 3) {
  const world = bulkWorld(n);
  const b = await startBulkBot(world, fakeOnPremSnapshot(world.ad), { execute: false });
  bots.push(b);
  const { card } = await b.client(ADMIN).say('scan');
  const ask = allElements(card).find((e) => e.id === 'action-request-approval-submit') as
    { data: { verb: string; requestId: string } } | undefined;
  if (!ask) throw new Error('the scan card has no Request approval');
  return { b, card, requestId: ask.data.requestId };
}

describe('bulk approval through /api/messages', () => {
  it('the scan card offers Request approval with a justification and an optional list of users to leave out; it carries only verb and request id', async () => {
    const { card, requestId } = await scanned();
    const inputs = allElements(card)
      .filter((e) => e.type === 'Input.Text')
      .map((e) => e.id);
    expect(inputs).toEqual(['justification', 'exclude']);
    const submit = allElements(card).find((e) => e.id === 'action-request-approval-submit') as { data: Record<string, unknown> };
    expect(submit.data).toEqual({ verb: 'requestApproval', requestId });
  });

  it('refuses an unknown user to leave out and a short justification, requesting nothing', async () => {
    const { b, requestId } = await scanned();
    const unknown = await b
      .client(ADMIN)
      .invoke('requestApproval', { verb: 'requestApproval', requestId, justification: JUSTIFICATION, exclude: 'hard1\nghost\nhealthy1' });
    expect(texts(unknown.card)).toMatch(/"ghost", "healthy1" are not among the users bulk request/);
    const short = await b.client(ADMIN).invoke('requestApproval', { verb: 'requestApproval', requestId, justification: 'too short' });
    expect(texts(short.card)).toContain('JUSTIFICATION_INVALID');
    expect((await b.bot.approvals.features.store.get(requestId))?.value.state).toBe('proposed');
  });

  it('requests approval for the covered users; the approver sees the counts, the purges and who is left out; self-approval and non-admins are refused', async () => {
    const { b, requestId } = await scanned();
    const asked = await b.client(ADMIN).invoke('requestApproval', {
      verb: 'requestApproval',
      requestId,
      justification: JUSTIFICATION,
      exclude: 'HARD1\nCN=purge2,OU=Recycled,DC=contoso,DC=com',
    });
    const words = texts(asked.card);
    expect(words).toContain('This approval covers **4 users**');
    expect(words).toContain('2 purges (IRREVERSIBLE');
    expect(words).toContain('Left out by the requester (2): hard1, purge2');
    const stored = (await b.bot.approvals.features.store.get(requestId))?.value;
    expect(stored?.state).toBe('requested');
    expect(stored?.bulk).toMatchObject({ users: 4, purges: 2, excluded: ['hard1', 'purge2'], automated: 6 });
    const self = await b.client(ADMIN).invoke('approve', { verb: 'approve', requestId });
    expect(texts(self.card)).toContain('OWN_REQUEST');
    const nina = await b.client(VIEWER).invoke('approve', { verb: 'approve', requestId });
    expect(texts(nina.card)).toContain('NOT_AN_ADMIN');
    const approverView = await b.client(SECOND).invoke('refresh', { verb: 'refresh', requestId });
    expect(allElements(approverView.card).map((e) => e.id)).toEqual(
      expect.arrayContaining(['action-approve', 'action-reject', 'action-download-report']),
    );
    const approved = await b.client(SECOND).invoke('approve', { verb: 'approve', requestId });
    expect(texts(approved.card)).not.toContain('Not done');
    expect(['approved', 'executing', 'done']).toContain((await b.bot.approvals.features.store.get(requestId))?.value.state);
    const trail = await b.client(ADMIN).say(`audit ${requestId}`);
    expect(texts(trail.card)).toMatch(/requested approval/);
    // This bot has no relay: each user fails its re-read until its work item is poisoned, nothing is written, and the request still ends with each one reported.
    await b.bot.approvals.idle();
    const ended = (await b.bot.approvals.features.store.get(requestId))?.value;
    expect(ended?.state).toBe('done');
    expect(ended?.bulk?.progress).toMatchObject({ total: 4, done: 0, failed: 4, waiting: 0 });
    expect(ended?.bulk?.notes?.[0]?.why).toMatch(/could not be read again \(no relay configured\), 5 times; nothing was written/);
    const status = await b.client(SECOND).say(`status ${requestId}`);
    expect(texts(status.card)).toMatch(/Done=0 of 4/);
  });
});
