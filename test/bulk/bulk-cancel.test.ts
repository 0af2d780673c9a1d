/**
 * `cancel` racing a user's start, with the interleaving injected (no sleeps decide it): a user
 * whose consumer found it free just before the stop landed, a user that had started, and a user
 * whose own claim wins against the coordinator's "not run" claim. In every case the final counts
 * are the store's truth: a started user finishes and is counted by how it ended, a user never
 * started is counted not run (never waiting), and nothing is written for it.
 */
import { describe, expect, it } from 'vitest';
import { createBulkExecutor } from '../../src/bulk/bulk-executor.ts';
import { itemRequestId, runBulkItem } from '../../src/bulk/bulk-item.ts';
import { encodeItem } from '../../src/bulk/item-consumer.ts';
import { casUpdate } from '../../src/concurrency/cas-update.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { bulkWorld } from '../support/bulk-directory.ts';
import { ADMIN, setUp } from './executor-world.ts';

interface Gate {
  promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** The requester's `cancel` as the action writes it on an executing bulk request. */
async function landStop(store: RequestStore): Promise<void> {
  await casUpdate(
    store,
    'bulk01',
    ({ value }) => (value.bulk ? { ...value, bulk: { ...value.bulk, stopRequested: { by: ADMIN, at: Date.now() } } } : null),
    10,
  );
}

/** Resolves once `count` more bulk cards were published (one after every look at the wave's users). */
function looks() {
  let seen = 0;
  const waiting: { at: number; open: () => void }[] = [];
  return {
    publish: () => {
      seen += 1;
      for (const w of waiting.filter((x) => x.at <= seen)) w.open();
      return Promise.resolve();
    },
    after: (count: number) => new Promise<void>((open) => waiting.push({ at: seen + count, open })),
  };
}

/** Every user's request as stored, and whether anything was written for it. */
async function truth(store: RequestStore, count: number) {
  const children: ApprovalRequest[] = [];
  for (let index = 0; index < count; index += 1) {
    const child = (await store.get(itemRequestId('bulk01', index)))?.value;
    if (child) children.push(child);
  }
  const ended = (state: string) => children.filter((c) => c.state === state).length;
  return { children, done: ended('done'), stale: ended('stale'), failed: ended('failed') };
}

async function run(options: Parameters<typeof setUp>[1]) {
  const world = setUp(bulkWorld(2), { waveSize: 4, ...options });
  const { store, cloud, deps, items } = await world;
  const executor = createBulkExecutor(deps('one'));
  await executor.run('bulk01');
  // The consumer's items that were running when the coordination ended finish before the checks.
  await executor.stop();
  const bulk = (await store.get('bulk01'))?.value;
  if (!bulk) throw new Error('no bulk request');
  return { bulk, cloud, store, items, trail: await store.auditOf('bulk01'), world: await truth(store, items.length) };
}

describe('cancel racing a user of the running wave', () => {
  it('a user found free just before the stop landed is not run, counted not run, and nothing is written for it', async () => {
    const held = gate();
    const tick = looks();
    let target: string | undefined;
    let store: RequestStore | undefined;
    const { bulk, cloud, world, trail } = await run({
      storeSeen: (s) => (store = s),
      publish: tick.publish,
      beforeReread: async (item) => {
        target ??= item.samAccountName;
        if (item.samAccountName !== target || !store) return;
        // Its consumer found the user free and the request running; now the stop lands,
        await landStop(store);
        // and the coordinator looks at the wave twice (the second look surely after the stop).
        await tick.after(2);
        held.open();
      },
    });
    const p = bulk.bulk?.progress;
    expect(bulk.state).toBe('cancelled');
    const user = world.children.find((c) => c.command === `match ${target ?? ''}`);
    expect(user, 'the user has a record saying it did not run').toMatchObject({ state: 'cancelled' });
    expect(user?.records.every((r) => r.status === 'pending')).toBe(true);
    const userId = user?.diagnosis.plan.target?.id;
    expect(cloud.writes().some((w) => 'userId' in w && w.userId === userId)).toBe(false);
    // The counts are the store's truth: nothing is left waiting once the request ended.
    expect(p).toMatchObject({ total: 4, done: world.done, skipped: world.stale, failed: world.failed, waiting: 0 });
    expect(p?.notRun).toBe(4 - world.done - world.stale - world.failed);
    expect(p?.notRun).toBeGreaterThanOrEqual(1);
    expect(trail.at(-1)?.summary).toContain(`${p?.notRun ?? -1} not run`);
  });

  it('a user that had started when the stop landed finishes and is counted done', async () => {
    const held = gate();
    const tick = looks();
    let target: number | undefined;
    let store: RequestStore | undefined;
    const { bulk, cloud, world, items } = await run({
      storeSeen: (s) => (store = s),
      publish: tick.publish,
      beforeReserve: async () => {
        if (target !== undefined || !store) return;
        target = 1;
        // Its request exists (it started); the stop lands and the coordinator looks twice.
        await landStop(store);
        await tick.after(2);
        held.open();
      },
    });
    expect(target).toBe(1);
    const p = bulk.bulk?.progress;
    expect(bulk.state).toBe('cancelled');
    expect(world.done).toBeGreaterThanOrEqual(1);
    expect(p).toMatchObject({ total: items.length, done: world.done, skipped: world.stale, failed: world.failed, waiting: 0 });
    expect(p?.notRun).toBe(items.length - world.done - world.stale - world.failed);
    const writes = cloud.writes().map((w) => `${w.op}:${'userId' in w ? w.userId : ''}`);
    expect(writes.length).toBe(new Set(writes).size);
  });

  it("a user whose own claim wins against the stop's not-run claim is waited for, finishes, and is counted done", async () => {
    const reread = gate();
    const userCreated = gate();
    const tick = looks();
    let target: string | undefined;
    let stopClaims = 0;
    let store: RequestStore | undefined;
    const { bulk, world, items } = await run({
      storeSeen: (s) => {
        store = {
          ...s,
          create: async (record) => {
            if (target === undefined || record.command !== `match ${target}`) return s.create(record);
            if (record.state === 'cancelled') {
              // The coordinator claims the free user as not run; the user's own claim lands first.
              stopClaims += 1;
              reread.open();
              await userCreated.promise;
              return s.create(record);
            }
            const created = await s.create(record);
            userCreated.open();
            return created;
          },
        };
        return store;
      },
      beforeReread: async (item) => {
        if (target !== undefined || !store) return;
        target = item.samAccountName;
        await landStop(store);
        // Opened by the coordinator's not-run claim; failing that, once it looked three times.
        await Promise.race([reread.promise, tick.after(3)]);
      },
      publish: tick.publish,
    });
    expect(stopClaims).toBe(1);
    const user = world.children.find((c) => c.command === `match ${target ?? ''}`);
    expect(user?.state).toBe('done');
    const p = bulk.bulk?.progress;
    expect(p).toMatchObject({ total: items.length, done: world.done, skipped: world.stale, failed: world.failed, waiting: 0 });
    expect(p?.notRun).toBe(items.length - world.done - world.stale - world.failed);
  });
});

describe('cancel, then the coordinator dies', () => {
  it('the instance that resumes the stopped request watches the users its predecessor started to their end', async () => {
    const { store, deps, queues, items } = await setUp(bulkWorld(2), { waveSize: 4 });
    const first = items[0];
    const approved = (await store.get('bulk01'))?.value;
    if (!first || !approved) throw new Error('no bulk request');
    // The dead coordinator's wave 1 went out; user 1 started (its request created), then the stop landed.
    await runBulkItem({ ...approved, state: 'executing' }, 0, first, {
      ...deps('dead'),
      engine: { run: () => Promise.resolve('not-claimed') },
    });
    await casUpdate(
      store,
      'bulk01',
      ({ value }) =>
        value.bulk
          ? {
              ...value,
              state: 'executing',
              lease: { owner: 'dead', until: 0 },
              bulk: {
                ...value.bulk,
                progress: { total: 4, done: 0, skipped: 0, failed: 0, waiting: 4, waves: 1 },
                stopRequested: { by: ADMIN, at: 1 },
              },
            }
          : null,
      10,
    );
    // Its message reappears once the dead instance's visibility timeout ends.
    await queues.items.send(encodeItem({ bulkId: 'bulk01', index: 0 }));
    const executor = createBulkExecutor(deps('two'));
    expect(await executor.run('bulk01')).toBe(true);
    await executor.stop();
    const bulk = (await store.get('bulk01'))?.value;
    expect(bulk?.state).toBe('cancelled');
    expect(bulk?.bulk?.progress).toMatchObject({ total: 4, done: 1, skipped: 0, failed: 0, waiting: 0, notRun: 3, waves: 1 });
    const world = await truth(store, items.length);
    expect(world.done).toBe(1);
    expect(world.children.filter((c) => c.state === 'cancelled')).toHaveLength(3);
  });
});
