/**
 * `undo <bulk id>` over the real engine, the bulk executor and an in-memory store: a finished bulk
 * request's users' reversible steps reverted by one bulk undo (each user's own `undo` request,
 * exactly once, under the shared write budget), the purges listed as not undoable, a value changed
 * since left alone and reported; and every refusal (not an admin, not finished, already undone, an
 * undo of an undo, a scan id, nothing to undo), each changing nothing.
 */
import { createStoreQueues } from '../../src/queue/store-queue.ts';
import { describe, expect, it } from 'vitest';
import { createBulkExecutor, type BulkExecutorDeps } from '../../src/bulk/bulk-executor.ts';
import { itemRequestOf } from '../../src/bulk/bulk-undo-item.ts';
import { undoService } from '../support/undo-service.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import { createEngine } from '../../src/execution/engine.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { fakeCloud } from '../execution/fake-cloud.ts';
import { bulkWorld } from '../support/bulk-directory.ts';
import { ADMIN, approvedBulkOver, BEN, logger, rereadFrom } from './executor-world.ts';

const NINA = { aadObjectId: 'n1', name: 'Nina' };
const admins = { configured: true, isAdmin: (id: string) => Promise.resolve(id === ADMIN.aadObjectId || id === BEN.aadObjectId) };
const as = (actor: typeof ADMIN) => ({ actor, tenantId: 't' });

/** A bulk request over bulkWorld(n), approved by Ben for Adele, and what runs it. */
async function setUp(n: number) {
  const world = bulkWorld(n);
  const store = createSqliteStore(':memory:');
  const audit = createAuditTrail(store, logger);
  const cloud = fakeCloud([...world.cloud.users, ...world.cloud.deleted]);
  const { scans, stored } = await approvedBulkOver(store, world);
  await scans.create({ ...stored, requestId: 'bulk01' });
  const reread = rereadFrom(world, cloud);
  /** `r` approved by Ben at Adele's request (the undo requests the tests approve). */
  const approved = (r: ApprovalRequest): ApprovalRequest => ({
    ...r,
    state: 'approved',
    requester: ADMIN,
    justification: 'Ticket 1: migration',
    approvals: [{ actor: BEN, at: 1 }],
  });
  let syncs = 0;
  const deps: BulkExecutorDeps = {
    ...{ store, audit, scans, now: Date.now, reread, owner: 'one', logger, waveSize: 4, concurrency: 3, progressIntervalMs: 0 },
    queues: createStoreQueues({ store }),
    wavePollMs: 5,
    consumer: { pollMs: 5, idleStopMs: 50 },
    engine: createEngine({
      store,
      audit,
      steps: { cloud, sync: { triggerSync: () => Promise.reject(new Error('no sync in items')) } },
      owner: 'one',
      logger,
    }),
    syncWave: () => {
      syncs += 1;
      const result = { status: 'done' as const, before: null, after: null, detail: '' };
      return Promise.resolve({ result, what: 'one delta sync', kind: 'TRIGGER_DELTA_SYNC' as const, failed: new Map() });
    },
    verify: () => Promise.resolve({ status: 'done', before: null, after: null, detail: '' }),
    publish: () => Promise.resolve(),
  };
  const executor = createBulkExecutor(deps);
  const undos = undoService({ store, audit, admins, now: Date.now });
  return { store, cloud, executor, undos, syncs: () => syncs, approved, audit };
}

describe('undo <bulk id>', () => {
  it("reverts every user's reversible steps under one approval, lists the purges as not undoable, and syncs nothing", async () => {
    const { store, cloud, executor, undos, syncs, approved } = await setUp(3);
    await executor.run('bulk01');
    const syncsOfTheFix = syncs();
    const anchorsAfterFix = new Map([...cloud.users.values()].map((u) => [u.id, u.immutableId]));
    const proposed = await undos.propose('BULK01', as(ADMIN));
    if (!proposed.ok) throw new Error(proposed.refusal.message);
    const undo = proposed.request;
    expect(undo).toMatchObject({ kind: 'bulk', state: 'proposed', undoOf: 'bulk01', command: 'undo bulk01' });
    // 3 hard-match users (one SET_ANCHOR each) and 3 purge users (PURGE, then SET_ANCHOR): 6 reversible steps, 3 purges.
    expect(undo.bulk).toMatchObject({ users: 6, undo: { of: 'bulk01', steps: 6, notUndoableCount: 3 } });
    expect(undo.bulk?.undo?.notUndoable.map((s) => s.samAccountName).sort()).toEqual(['purge1', 'purge2', 'purge3']);
    expect((await store.get('bulk01'))?.value.bulk?.undoneBy).toBe(undo.id);
    // Approved by a second admin (the rules are the same as any request's; see bulk-undo-bot.test.ts).
    const stored = await store.get(undo.id);
    if (!stored) throw new Error('the undo is not stored');
    await store.update(approved(stored.value), stored.version);
    cloud.calls.length = 0;
    expect(await executor.run(undo.id)).toBe(true);
    const ended = (await store.get(undo.id))?.value;
    expect(ended?.state).toBe('done');
    expect(ended?.bulk?.progress).toMatchObject({ total: 6, done: 6, skipped: 0, failed: 0, waiting: 0 });
    expect(syncs()).toBe(syncsOfTheFix);
    const reverted = cloud.writes().filter((w) => w.op === 'setImmutableId');
    expect(reverted).toHaveLength(6);
    expect(cloud.writes().filter((w) => w.op === 'purgeDeletedUser')).toEqual([]);
    for (const write of reverted) expect(write.op === 'setImmutableId' && write.immutableId).not.toBe(anchorsAfterFix.get(write.userId));
    const hard1 = [...cloud.users.values()].find((u) => u.userPrincipalName === 'hard1@contoso.com');
    expect(hard1?.immutableId).toBe(bulkWorld(1).cloud.users.find((u) => u.userPrincipalName === 'hard1@contoso.com')?.immutableId);
    // Each user's undo is a request of its own, `undoOf` the user's request and `bulkOf` the bulk undo.
    const first = await itemRequestOf(store, undo.id, 0);
    expect(first).toMatchObject({ kind: 'undo', bulkOf: undo.id, state: 'done', approvals: [{ actor: BEN }] });
    expect(first?.undoOf).toBe((await itemRequestOf(store, 'bulk01', 0))?.id);
    const twice = await undos.propose('bulk01', as(BEN));
    expect(twice).toMatchObject({ ok: false, refusal: { code: 'ALREADY_DECIDED' } });
    if (!twice.ok)
      expect(twice.refusal.message).toBe(`Bulk request bulk01 is already undone by request ${undo.id} (done); type \`status ${undo.id}\`.`);
  });

  it('leaves a user whose value changed since alone, and reports it; run again, nothing is written twice', async () => {
    const { store, cloud, executor, undos, approved } = await setUp(1);
    await executor.run('bulk01');
    const proposed = await undos.propose('bulk01', as(ADMIN));
    if (!proposed.ok) throw new Error(proposed.refusal.message);
    const hard1 = [...cloud.users.values()].find((u) => u.userPrincipalName === 'hard1@contoso.com');
    if (!hard1) throw new Error('no hard1');
    cloud.users.set(hard1.id, { ...hard1, immutableId: 'changedByAnAdmin0000000==' });
    const stored = await store.get(proposed.request.id);
    if (!stored) throw new Error('not stored');
    await store.update(approved(stored.value), stored.version);
    cloud.calls.length = 0;
    await executor.run(proposed.request.id);
    const ended = (await store.get(proposed.request.id))?.value;
    expect(ended?.bulk?.progress).toMatchObject({ total: 2, done: 1, failed: 1 });
    expect(ended?.bulk?.notes?.[0]).toMatchObject({ samAccountName: 'hard1' });
    expect(cloud.users.get(hard1.id)?.immutableId).toBe('changedByAnAdmin0000000==');
    const writes = cloud.writes().length;
    expect(await executor.run(proposed.request.id)).toBe(false);
    expect(cloud.writes()).toHaveLength(writes);
  });
});

describe('undo <bulk id>: refusals change nothing', () => {
  it('refuses a non-admin', async () => {
    const { store, executor, undos } = await setUp(1);
    await executor.run('bulk01');
    const refused = await undos.propose('bulk01', as(NINA));
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'NOT_AN_ADMIN' } });
    if (!refused.ok) expect(refused.refusal.message).toContain('undo a bulk request');
    expect((await store.get('bulk01'))?.value.bulk?.undoneBy).toBeUndefined();
  });

  it('refuses a bulk request that has not finished, naming its state', async () => {
    const { store, undos } = await setUp(1);
    const refused = await undos.propose('bulk01', as(ADMIN));
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'WRONG_STATE' } });
    if (!refused.ok)
      expect(refused.refusal.message).toBe('Bulk request bulk01 is approved and has not finished; undo it once it has ended.');
    expect((await store.get('bulk01'))?.value.state).toBe('approved');
  });

  it('refuses a second undo while the first is open; allows one again once the first was rejected', async () => {
    const { store, executor, undos } = await setUp(1);
    await executor.run('bulk01');
    const first = await undos.propose('bulk01', as(ADMIN));
    if (!first.ok) throw new Error(first.refusal.message);
    const again = await undos.propose('bulk01', as(BEN));
    expect(again).toMatchObject({ ok: false, refusal: { code: 'ALREADY_DECIDED' } });
    if (!again.ok) expect(again.refusal.message).toContain(`already being undone by request ${first.request.id} (proposed)`);
    const stored = await store.get(first.request.id);
    if (!stored) throw new Error('not stored');
    await store.update({ ...stored.value, state: 'rejected' }, stored.version);
    const third = await undos.propose('bulk01', as(BEN));
    expect(third.ok).toBe(true);
  });

  it('refuses an undo of an undo', async () => {
    const { executor, undos } = await setUp(1);
    await executor.run('bulk01');
    const first = await undos.propose('bulk01', as(ADMIN));
    if (!first.ok) throw new Error(first.refusal.message);
    const refused = await undos.propose(first.request.id, as(BEN));
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'NOTHING_TO_UNDO' } });
    if (!refused.ok) expect(refused.refusal.message).toContain(`is itself the undo of bulk request bulk01; an undo is not undone`);
  });

  it("names the bulk request when given its scan's id, and says an unknown id is unknown", async () => {
    const { store, executor, undos } = await setUp(1);
    await executor.run('bulk01');
    const scanId = await undos.propose('scan01', as(ADMIN));
    expect(scanId).toMatchObject({ ok: false, refusal: { code: 'UNKNOWN_REQUEST' } });
    if (!scanId.ok)
      expect(scanId.refusal.message).toBe(
        'There is no request "scan01". "scan01" is a scan; its bulk request is bulk01: type `undo bulk01`.',
      );
    const unknown = await undos.propose('zzzz99', as(ADMIN));
    if (!unknown.ok) expect(unknown.refusal.message).toBe('There is no request "zzzz99". Type "status" to see your open requests.');
    expect((await store.get('bulk01'))?.value.bulk?.undoneBy).toBeUndefined();
  });

  it('says there is nothing to undo when no user wrote anything (all skipped), naming the purges', async () => {
    const { store, cloud, executor, undos } = await setUp(1);
    // Every user drifted before its steps: skipped, nothing written.
    for (const u of cloud.users.values()) if (u.deletedDateTime !== null) cloud.users.delete(u.id);
    for (const u of [...cloud.users.values()])
      if (u.userPrincipalName === 'hard1@contoso.com') cloud.users.set(u.id, { ...u, immutableId: null });
    await executor.run('bulk01');
    const refused = await undos.propose('bulk01', as(ADMIN));
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'NOTHING_TO_UNDO' } });
    expect((await store.get('bulk01'))?.value.bulk?.undoneBy).toBeUndefined();
  });
});
