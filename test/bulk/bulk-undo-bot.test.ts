/**
 * `undo <bulk id>` through /api/messages: refused to a non-admin and for a bulk request that has not
 * finished; for a finished one, the bulk undo's card (what it reverts, what it cannot), Request
 * approval without a list of users to leave out, the two-person rules (no self-approval, admins
 * only), and its execution through the bulk executor once a second admin approves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { itemRequestId } from '../../src/bulk/bulk-item.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { allElements, visibleText } from '../support/card-query.ts';
import { bulkWorld, fakeOnPremSnapshot } from '../support/bulk-directory.ts';
import { ADMIN, SECOND, startBulkBot, VIEWER, type BulkBot } from './bulk-bot.ts';

const bots: BulkBot[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) await b.close();
});

const JUSTIFICATION = 'Ticket 4712: the migration went to the wrong tenant.';
const text = (card: unknown): string => visibleText(card).replace(/\\/g, '');
const user = { userId: '0000000c-0000-4000-8000-000000000001', userPrincipalName: 'hard1@contoso.com' };

async function scanned() {
  const world = bulkWorld(1);
  const b = await startBulkBot(world, fakeOnPremSnapshot(world.ad));
  bots.push(b);
  const { card } = await b.client(ADMIN).say('scan');
  const ask = allElements(card).find((e) => e.id === 'action-request-approval-submit') as { data: { requestId: string } } | undefined;
  if (!ask) throw new Error('the scan card has no Request approval');
  return { b, bulkId: ask.data.requestId, store: b.bot.approvals.features.store };
}

/** The bulk request as if it had run: done, its first user's request with one SET_ANCHOR done. */
async function ran(store: BulkBot['bot']['approvals']['features']['store'], bulkId: string): Promise<void> {
  const stored = await store.get(bulkId);
  if (!stored) throw new Error('no bulk request');
  await store.update({ ...stored.value, state: 'done' }, stored.version);
  const set: PlanStep = {
    number: 1,
    irreversible: false,
    description: 'Set the anchor',
    kind: 'SET_ANCHOR',
    subject: user,
    immutableId: 'NEW',
    previous: 'OLD',
  };
  const purge: PlanStep = {
    number: 2,
    irreversible: true,
    description: 'Purge hard1.old',
    kind: 'PURGE_DELETED_USER',
    subject: user,
    immutableId: null,
  };
  const child: ApprovalRequest = {
    ...stored.value,
    id: itemRequestId(bulkId, 0),
    kind: 'match',
    state: 'done',
    command: 'match hard1',
    who: 'CN=hard1,OU=Migrated,DC=contoso,DC=com',
    steps: [set, purge],
    records: [
      {
        number: 1,
        status: 'done',
        before: { userId: user.userId, onPremisesImmutableId: 'OLD' },
        after: { userId: user.userId, onPremisesImmutableId: 'NEW' },
      },
      { number: 2, status: 'done' },
    ],
    bulkOf: bulkId,
  };
  delete child.bulk;
  await store.create(child);
}

describe('undo <bulk id> through /api/messages', () => {
  it('refuses a non-admin and a bulk request that has not finished; nothing is proposed', async () => {
    const { b, bulkId, store } = await scanned();
    const nina = await b.client(VIEWER).say(`undo ${bulkId}`);
    expect(text(nina.card)).toContain('NOT_AN_ADMIN');
    expect(text(nina.card)).toContain('can undo a bulk request');
    const early = await b.client(ADMIN).say(`undo ${bulkId}`);
    expect(text(early.card)).toContain(`Bulk request ${bulkId} is proposed and has not finished; undo it once it has ended.`);
    expect((await store.get(bulkId))?.value.bulk?.undoneBy).toBeUndefined();
  });

  it('proposes one bulk undo, approved under the two-person rules, run by the bulk executor', async () => {
    const { b, bulkId, store } = await scanned();
    await ran(store, bulkId);
    const proposed = await b.client(ADMIN).say(`undo ${bulkId}`);
    const words = text(proposed.card);
    expect(words).toContain(`Undo of bulk request ${bulkId}`);
    expect(words).toContain('This approval reverts **1 reversible step** of **1 user**');
    expect(words).toContain('Not undoable: 1 IRREVERSIBLE step, left as they are:');
    expect(words).toContain(`hard1 (request ${itemRequestId(bulkId, 0)}): Purge hard1.old`);
    const submit = allElements(proposed.card).find((e) => e.id === 'action-request-approval-submit') as { data: { requestId: string } };
    const undoId = submit.data.requestId;
    expect(
      allElements(proposed.card)
        .filter((e) => e.type === 'Input.Text')
        .map((e) => e.id),
    ).toEqual(['justification']);
    await b.client(ADMIN).invoke('requestApproval', { verb: 'requestApproval', requestId: undoId, justification: JUSTIFICATION });
    expect(text((await b.client(ADMIN).invoke('approve', { verb: 'approve', requestId: undoId })).card)).toContain('OWN_REQUEST');
    expect(text((await b.client(VIEWER).invoke('approve', { verb: 'approve', requestId: undoId })).card)).toContain('NOT_AN_ADMIN');
    await b.client(SECOND).invoke('approve', { verb: 'approve', requestId: undoId });
    await b.bot.approvals.idle();
    const ended = (await store.get(undoId))?.value;
    expect(ended).toMatchObject({ kind: 'bulk', undoOf: bulkId, state: 'done' });
    // This bot's Graph is unreachable: the user's undo fails at its read, is tried again until its
    // work item is poisoned (Graph may come back), nothing is written, and it is reported.
    expect(ended?.bulk?.progress).toMatchObject({ total: 1, done: 0, failed: 1, waiting: 0 });
    expect(ended?.bulk?.notes?.[0]?.why).toMatch(/^Microsoft Graph did not answer in time \(CLOUD_UNAVAILABLE\), 5 times$/);
    const again = await b.client(SECOND).say(`undo ${bulkId}`);
    expect(text(again.card)).toContain(`is already undone by request ${undoId} (done)`);
  }, 30_000);
});
