/**
 * The bulk executor over the real engine and an in-memory store: every covered user runs once
 * (also with two bot instances at it), one sync per wave, a user whose facts changed is skipped
 * with nothing written, and a stop lets no new user start.
 */
import { describe, expect, it } from 'vitest';
import { createBulkExecutor, type BulkExecutorDeps } from '../../src/bulk/bulk-executor.ts';
import type { BulkItem } from '../../src/bulk/scan.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import { graphError, type FakeCloud } from '../execution/fake-cloud.ts';
import { BASE_DN, bulkWorld, type BulkWorld } from '../support/bulk-directory.ts';
import { adUser, cloudUser } from '../domain/diagnosis/builders.ts';
import { parseAnchor, toImmutableId } from '../../src/domain/anchors.ts';
import { createItemConsumer, encodeItem } from '../../src/bulk/item-consumer.ts';
import { createQueuedItems } from '../../src/bulk/queued-item.ts';
import { itemRequest, itemRequestId } from '../../src/bulk/bulk-item.ts';
import { logger, setUp } from './executor-world.ts';

type Verify = BulkExecutorDeps['verify'];

describe('bulk executor', () => {
  it('runs every covered user once, in waves with one sync each, and ends done with its progress', async () => {
    const world = bulkWorld(5);
    const { store, cloud, deps, syncs, items } = await setUp(world);
    expect(await createBulkExecutor(deps('one')).run('bulk01')).toBe(true);
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.state).toBe('done');
    expect(bulk?.bulk?.progress).toEqual({ total: 10, done: 10, skipped: 0, failed: 0, waiting: 0, waves: 3 });
    expect(syncs).toHaveLength(3);
    const sets = cloud.writes().filter((w) => w.op === 'setImmutableId');
    expect(sets).toHaveLength(items.length);
    expect(new Set(sets.map((w) => (w.op === 'setImmutableId' ? w.userId : ''))).size).toBe(items.length);
    expect(cloud.writes().filter((w) => w.op === 'purgeDeletedUser')).toHaveLength(5);
  });

  it('two instances at once: each user still runs exactly once', async () => {
    const world = bulkWorld(6);
    const { cloud, deps, store } = await setUp(world, { waveSize: 12 });
    const a = createBulkExecutor(deps('instance-a'));
    const b = createBulkExecutor(deps('instance-b'));
    await Promise.all([
      a.run('bulk01'),
      b.run('bulk01'),
      (async () => {
        // The second instance joins the wave once the first one has started it.
        for (let i = 0; i < 50 && (await store.get('bulk01'))?.value.state !== 'executing'; i += 1)
          await new Promise((r) => setTimeout(r, 5));
        await b.sweep('t');
      })(),
    ]);
    const writes = cloud.writes().map((w) => `${w.op}:${'userId' in w ? w.userId : ''}`);
    expect(writes.length).toBe(new Set(writes).size);
    expect((await store.get('bulk01'))?.value.bulk?.progress?.done).toBe(12);
  });

  it('skips a user whose facts changed since the scan, writing nothing for it, and reports it', async () => {
    const world = bulkWorld(2);
    const { cloud, deps, store } = await setUp(world);
    const hard1 = [...cloud.users.values()].find((u) => u.userPrincipalName === 'hard1@contoso.com');
    if (!hard1) throw new Error('no hard1');
    cloud.users.set(hard1.id, { ...hard1, immutableId: 'AAAAAAAAAAAAAAAAAAAAAA==' });
    await createBulkExecutor(deps('one')).run('bulk01');
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.bulk?.progress).toMatchObject({ total: 4, done: 3, skipped: 1 });
    expect(bulk?.bulk?.notes?.[0]).toMatchObject({ samAccountName: 'hard1' });
    expect(cloud.writes().some((w) => 'userId' in w && w.userId === hard1.id)).toBe(false);
  });

  it("a user whose own sync failed in the wave (Cloud Sync's on-demand run) is reported unverified without being waited for", async () => {
    const world = bulkWorld(2);
    const verified: string[] = [];
    const { deps, store, audit } = await setUp(world, {
      failInWave: (child) => child.diagnosis.onPrem?.samAccountName === 'hard1',
      verify: () => (_step, child) => {
        verified.push(child.diagnosis.onPrem?.samAccountName ?? '?');
        return Promise.resolve({ status: 'done', before: null, after: null, detail: '' });
      },
    });
    await createBulkExecutor(deps('one')).run('bulk01');
    expect(verified).not.toContain('hard1');
    expect(verified).toHaveLength(3);
    const bulk = (await store.get('bulk01'))?.value;
    const note = bulk?.bulk?.notes?.find((n) => n.samAccountName === 'hard1');
    expect(note?.why).toContain('not seen joined');
    const trail = await audit.entriesOf(note?.requestId ?? '');
    expect(trail.some((e) => e.action === 'step-failed' && e.summary.includes('HardMatchBlocked'))).toBe(true);
  });

  it('a stop lets no new user start; the request ends cancelled', async () => {
    const world = bulkWorld(4);
    const { deps, store } = await setUp(world, { waveSize: 3, stopAfterWave: 1 });
    await createBulkExecutor(deps('one')).run('bulk01');
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.state).toBe('cancelled');
    expect(bulk?.bulk?.progress).toMatchObject({ total: 8, done: 3, waiting: 0, notRun: 5, waves: 1 });
  });

  it('a message delivered again for a user who ended does nothing', async () => {
    const world = bulkWorld(2);
    const { cloud, deps, queues, store } = await setUp(world);
    await createBulkExecutor(deps('one')).run('bulk01');
    const before = cloud.writes().length;
    const trail = await store.auditOf('bulk01');
    for (let i = 0; i < 4; i += 1) await queues.items.send(encodeItem({ bulkId: 'bulk01', index: i }));
    const items = createQueuedItems(deps('two'));
    let handled = 0;
    const consumer = createItemConsumer({
      queues,
      run: async (item) => {
        await items.run(item);
        handled += 1;
      },
      poison: (item, why) => items.poison(item, why),
      active: () => Promise.resolve(true),
      logger,
      pollMs: 5,
    });
    consumer.wake();
    for (let i = 0; i < 400 && handled < 4; i += 1) await new Promise((r) => setTimeout(r, 10));
    await consumer.stop();
    expect(handled).toBe(4);
    expect(cloud.writes()).toHaveLength(before);
    expect(await store.auditOf('bulk01')).toHaveLength(trail.length);
  });

  it("a user whose item keeps failing is poisoned: it ends failed with why, on its trail and the bulk request's", async () => {
    const world = bulkWorld(2);
    const { deps, queues, store } = await setUp(world, { unreadable: 'hard1' });
    await createBulkExecutor(deps('one')).run('bulk01');
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.state).toBe('done');
    expect(bulk?.bulk?.progress).toMatchObject({ total: 4, done: 3, failed: 1, waiting: 0 });
    const note = bulk?.bulk?.notes?.find((n) => n.samAccountName === 'hard1');
    expect(note?.why).toBe('could not be read again (RELAY_UNAVAILABLE), 2 times; nothing was written');
    const child = (await store.get(note?.requestId ?? ''))?.value;
    expect(child).toMatchObject({ state: 'failed', bulkOf: 'bulk01' });
    expect((await store.auditOf(child?.id ?? '')).map((e) => e.code)).toContain('BULK_ITEM_POISONED');
    expect((await store.auditOf('bulk01')).some((e) => e.code === 'BULK_ITEM_POISONED' && e.summary.includes('hard1'))).toBe(true);
    expect(JSON.parse((await queues.poison.receive(30))?.text ?? '{}')).toMatchObject({ why: note?.why });
  });
});

/** A user re-created in AD (new objectGUID) whose cloud user keeps the old object's anchor and mapping. */
function withRecreated(world: BulkWorld): { world: BulkWorld; userId: string } {
  const oldGuid = '0000abcd-0000-4000-8000-000000000001';
  const onPrem = adUser({
    samAccountName: 'recreated',
    objectGuid: '0000abcd-0000-4000-8000-000000000002',
    dn: `CN=recreated,OU=New,${BASE_DN}`,
  });
  const user = cloudUser({
    id: '0000abcd-0000-4000-8000-0000000000ff',
    userPrincipalName: 'recreated@contoso.com',
    mail: 'recreated@contoso.com',
    proxyAddresses: ['SMTP:recreated@contoso.com'],
    immutableId: toImmutableId(parseAnchor(oldGuid)),
    onPremisesObjectIdentifier: oldGuid,
  });
  return {
    world: { ...world, ad: [...world.ad, onPrem], cloud: { ...world.cloud, users: [...world.cloud.users, user] } },
    userId: user.id,
  };
}

/** The sync as Entra runs it since July 2026: a user still mapped to another object is not joined (the export is refused). */
const syncRefusesMapped =
  (cloud: FakeCloud): Verify =>
  (step, child) => {
    const user = step.kind === 'VERIFY_JOINED' ? cloud.users.get(step.subject.userId) : undefined;
    const joined = user && step.kind === 'VERIFY_JOINED' && user.immutableId === step.immutableId && !user.onPremisesObjectIdentifier;
    return Promise.resolve(
      joined
        ? { status: 'done', before: null, after: { userId: child.diagnosis.plan.target?.id }, detail: '' }
        : { status: 'failed', code: 'VERIFY_TIMEOUT', detail: 'still mapped to another on-premises object' },
    );
  };

describe('bulk executor: a user mapped to another on-premises object (CLEAR_OBJECT_IDENTIFIER)', () => {
  it("clears the mapping in the user's own item, before the wave's sync, so the wave verifies it joined", async () => {
    const { world, userId } = withRecreated(bulkWorld(1));
    const { store, cloud, deps, items } = await setUp(world, { verify: syncRefusesMapped });
    expect(items.map((i) => i.samAccountName)).toContain('recreated');
    await createBulkExecutor(deps('one')).run('bulk01');
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.bulk?.notes ?? []).toEqual([]);
    expect(bulk?.bulk?.progress).toMatchObject({ total: 3, done: 3, skipped: 0, failed: 0 });
    const ops = cloud
      .writes()
      .filter((w) => 'userId' in w && w.userId === userId)
      .map((w) => w.op);
    expect(ops).toEqual(['setImmutableId', 'clearObjectIdentifier']);
  });

  it('a clear Graph refuses (403) ends the item failed with what a person must do, not waiting forever', async () => {
    const { world, userId } = withRecreated(bulkWorld(1));
    const { store, cloud, deps } = await setUp(world, { verify: syncRefusesMapped });
    cloud.failNext('clearObjectIdentifier', graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges'));
    await createBulkExecutor(deps('one')).run('bulk01');
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.state).toBe('done');
    expect(bulk?.bulk?.progress).toMatchObject({ total: 3, done: 2, failed: 1, waiting: 0 });
    expect(bulk?.bulk?.notes?.[0]?.samAccountName).toBe('recreated');
    expect(bulk?.bulk?.notes?.[0]?.why).toMatch(/^step 2 needs a person .*onPremisesObjectIdentifier/);
    expect(cloud.writes().some((w) => w.op === 'setImmutableId' && w.userId === userId)).toBe(true);
  });

  it('poisoning an item that exists: ended stays, a live claim is left running, an abandoned one ends failed', async () => {
    const world = bulkWorld(2);
    const { deps, store } = await setUp(world);
    const bulk = (await store.get('bulk01'))?.value;
    if (!bulk) throw new Error('no bulk');
    const items = createQueuedItems(deps('one'));
    const covered = await items.covered(bulk);
    const [first, second, third] = [...covered.entries()];
    if (!first || !second || !third) throw new Error('too few users');
    const make = async (index: number, item: BulkItem, fields: Partial<ApprovalRequest>) => {
      const request = { ...itemRequest(bulk, item, itemRequestId('bulk01', index), 0, null), ...fields };
      await store.create(request);
      return request.id;
    };
    await make(first[0], first[1], { state: 'done' });
    const live = await make(second[0], second[1], { state: 'executing', lease: { owner: 'other', until: Date.now() + 60_000 } });
    const abandoned = await make(third[0], third[1], { state: 'executing', lease: { owner: 'dead', until: Date.now() - 1 } });
    expect(await items.poison({ bulkId: 'bulk01', index: first[0] }, 'why')).toBe('ended');
    expect(await items.poison({ bulkId: 'bulk01', index: second[0] }, 'why')).toBe('running');
    expect((await store.get(live))?.value.state).toBe('executing');
    expect(await items.poison({ bulkId: 'bulk01', index: third[0] }, 'received 6 times')).toBe('poisoned');
    expect((await store.get(abandoned))?.value).toMatchObject({ state: 'failed', failure: 'received 6 times' });
    expect(await items.poison({ bulkId: 'nobulk', index: 0 }, 'why')).toBe('ended');
  });
});
