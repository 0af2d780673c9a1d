/**
 * The execution engine over a real store (node:sqlite in memory) and a fake cloud that counts
 * writes: exactly once under a race, resumed after a lease runs out, a started purge resolved by
 * reading Graph, MANUAL steps waiting, a failure stopping the plan, every step audited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/audit/chain.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { CloudUser } from '../../src/domain/cloud.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { createEngine, type EngineDeps } from '../../src/execution/engine.ts';
import { RelayUnavailable, SyncError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { BEN, requested } from '../domain/approval/builders.ts';
import { graphError, type FakeCloud } from './fake-cloud.ts';
import { ANCHOR, holder, target, tenantBeforePlan, WRITE_STEPS } from './purge-and-set.ts';

const logger = createLogger({ level: 'silent' });
const STEPS: PlanStep[] = [
  ...WRITE_STEPS,
  { number: 3, irreversible: false, description: 'Delta sync', kind: 'TRIGGER_DELTA_SYNC' },
  { number: 4, irreversible: false, description: 'Verify', kind: 'VERIFY_JOINED', subject: target, immutableId: ANCHOR, timeoutSeconds: 5 },
];

let store: RequestStore;
let cloud: FakeCloud;
let syncs: number;
let clock: number;

beforeEach(() => {
  store = createSqliteStore(':memory:');
  clock = Date.UTC(2026, 11, 1, 15, 0, 0);
  syncs = 0;
  cloud = tenantBeforePlan();
});
afterEach(() => store.close());

/** The sync the fake relay runs: the target becomes synced with the anchor, freshly. */
const sync = {
  triggerSync: () => {
    syncs += 1;
    const user = cloud.users.get(target.userId);
    if (user) cloud.users.set(target.userId, { ...user, synced: true, lastSyncDateTime: new Date(clock).toISOString() });
    return Promise.resolve({ startedAt: new Date(clock).toISOString(), finishedAt: new Date(clock).toISOString(), detail: 'simulated' });
  },
};

function engine(owner: string, over: Partial<EngineDeps> = {}) {
  return createEngine({
    store,
    audit: createAuditTrail(store, logger),
    steps: { cloud, sync, sleep: () => Promise.resolve(), pollIntervalMs: 1 },
    owner,
    logger,
    now: () => clock,
    leaseMs: 1000,
    ...over,
  });
}

async function stored(request: ApprovalRequest): Promise<ApprovalRequest> {
  expect(await store.create(request)).toBe(true);
  return request;
}

function plan(steps = STEPS, over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return requested({
    state: 'approved',
    approvals: [{ actor: BEN, at: clock }],
    steps,
    records: steps.map((s) => ({ number: s.number, status: 'pending' })),
    ...over,
  });
}

const writesOf = (op: string) => cloud.writes().filter((w) => w.op === op).length;
const reads = () => cloud.calls.filter((c) => c.op === 'findUser').map((c) => (c.op === 'findUser' ? c.idOrUpn : ''));
/** The plan without the purge: SET_ANCHOR is the first change. */
const SET_FIRST: PlanStep[] = STEPS.slice(1).map((s, i) => ({ ...s, number: i + 1 }));

describe('execution engine', () => {
  it('runs an approved plan once, recording each step before and after, and ends done with a verifying audit chain', async () => {
    const request = await stored(plan());
    expect(await engine('a').run(request.id)).toBe('done');
    const after = (await store.get(request.id))?.value;
    expect(after?.state).toBe('done');
    expect(after?.lease).toBeUndefined();
    expect(after?.records.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(after?.records[1]).toMatchObject({
      before: { userId: target.userId, onPremisesImmutableId: null },
      after: { userId: target.userId, onPremisesImmutableId: ANCHOR },
    });
    expect([writesOf('purgeDeletedUser'), writesOf('setImmutableId'), syncs]).toEqual([1, 1, 1]);
    const entries = await createAuditTrail(store, logger).entriesOf(request.id);
    expect(verifyChain(entries).ok).toBe(true);
    expect(entries.filter((e) => e.action === 'step-started').map((e) => e.step?.kind)).toEqual(STEPS.map((s) => s.kind));
    expect(entries.filter((e) => e.action === 'step-done')).toHaveLength(4);
  });

  it('executes exactly once when two engines claim the same request at the same moment', async () => {
    const request = await stored(plan());
    const outcomes = await Promise.all([engine('a').run(request.id), engine('b').run(request.id)]);
    expect(outcomes.sort()).toEqual(['done', 'not-claimed']);
    expect([writesOf('purgeDeletedUser'), writesOf('setImmutableId'), syncs]).toEqual([1, 1, 1]);
  });

  it('does not claim a request that is not approved', async () => {
    const request = await stored(plan(STEPS, { state: 'requested' }));
    expect(await engine('a').run(request.id)).toBe('not-claimed');
    expect(cloud.writes()).toEqual([]);
  });

  it('takes over an execution whose lease ran out and never sends a purge Graph shows took effect', async () => {
    // Engine "a" recorded step 1 as started, purged, and died before recording the outcome.
    const records = STEPS.map((s) => ({ number: s.number, status: 'pending' as const }));
    const request = await stored(
      plan(STEPS, {
        state: 'executing',
        lease: { owner: 'a', until: clock + 1000 },
        records: [{ number: 1, status: 'started', startedAt: clock }, ...records.slice(1)],
      }),
    );
    cloud.users.delete(holder.userId);
    expect(await engine('b').resumeAbandoned(request.tenantId)).toBe(0); // lease still held
    clock += 1001;
    // Run out on "a"'s clock, but another instance's clock may differ: it waits the skew margin (half a lease) too.
    expect(await engine('b').resumeAbandoned(request.tenantId)).toBe(0);
    clock += 500;
    expect(await engine('b').resumeAbandoned(request.tenantId)).toBe(1);
    const after = (await store.get(request.id))?.value;
    expect(after?.state).toBe('done');
    expect(after?.records[0]?.detail).toMatch(/not sent again/);
    expect(writesOf('purgeDeletedUser')).toBe(0);
    expect(writesOf('setImmutableId')).toBe(1);
  });

  it('sends a started purge once when Graph shows the object still in the recycle bin (it never reached Graph)', async () => {
    const records = STEPS.map((s) => ({ number: s.number, status: 'pending' as const }));
    const request = await stored(
      plan(STEPS, {
        state: 'executing',
        lease: { owner: 'a', until: clock - 501 },
        records: [{ number: 1, status: 'started', startedAt: clock }, ...records.slice(1)],
      }),
    );
    expect(await engine('b').run(request.id)).toBe('done');
    expect(writesOf('purgeDeletedUser')).toBe(1);
  });

  it('never sends a started clear of the mapping again once a sync has mapped the user to its new object', async () => {
    const OLD = '1d9f6e3b-8a42-4c57-b0e1-6f2a9d84c317';
    const NEW = 'b7e4c2a9-5d13-4f8e-9a26-3c71d0e58f42';
    const clear: PlanStep = {
      number: 2,
      irreversible: true,
      description: 'Clear the mapping',
      kind: 'CLEAR_OBJECT_IDENTIFIER',
      subject: target,
      previous: OLD,
      dn: 'CN=Nora Reyes,OU=Staff,DC=contoso,DC=com',
    };
    const steps = [SET_FIRST[0] as PlanStep, clear, ...SET_FIRST.slice(1).map((s, i) => ({ ...s, number: i + 3 }))];
    // Engine "a" set the anchor, started the clear, cleared, and died; then a sync joined and mapped the user.
    cloud.users.delete(holder.userId);
    cloud.users.set(target.userId, {
      ...(cloud.users.get(target.userId) as CloudUser),
      immutableId: ANCHOR,
      onPremisesObjectIdentifier: NEW,
    });
    const request = await stored(
      plan(steps, {
        state: 'executing',
        lease: { owner: 'a', until: clock - 501 },
        records: [
          { number: 1, status: 'done', startedAt: clock, endedAt: clock },
          { number: 2, status: 'started', startedAt: clock },
          { number: 3, status: 'pending' },
          { number: 4, status: 'pending' },
        ],
      }),
    );
    expect(await engine('b').run(request.id)).toBe('done');
    const after = (await store.get(request.id))?.value;
    expect(after?.records[1]).toMatchObject({ status: 'done', after: { onPremisesObjectIdentifier: NEW } });
    expect(after?.records[1]?.detail).toMatch(/a sync has since mapped it to "b7e4c2a9-.*not sent again/);
    expect(writesOf('clearObjectIdentifier')).toBe(0);
  });

  it('stops at a MANUAL step, waiting for a person, and gives up its lease', async () => {
    const manual: PlanStep = {
      number: 1,
      irreversible: false,
      description: 'Move the AD object',
      kind: 'MANUAL',
      instruction: 'Move jdoe out of sync scope.',
    };
    const steps = [manual, ...STEPS.slice(1).map((s, i) => ({ ...s, number: i + 2 }))];
    const request = await stored(plan(steps));
    expect(await engine('a').run(request.id)).toBe('waiting-for-person');
    const after = (await store.get(request.id))?.value;
    expect(after?.state).toBe('waiting-for-person');
    expect(after?.lease).toBeUndefined();
    expect(after?.records.map((r) => r.status)).toEqual(['waiting-for-person', 'pending', 'pending', 'pending']);
    expect(cloud.writes()).toEqual([]);
  });

  it("stops the plan at a failed step with Graph's code; the steps after it do not run", async () => {
    cloud.failNext(
      'setImmutableId',
      graphError(400, 'ObjectConflict', 'Another object with the same value for property onPremisesImmutableId already exists.'),
    );
    const request = await stored(plan());
    expect(await engine('a').run(request.id)).toBe('failed');
    const after = (await store.get(request.id))?.value;
    expect(after?.state).toBe('failed');
    expect(after?.records[1]).toMatchObject({ status: 'failed', code: 'ObjectConflict' });
    expect(after?.records.slice(2).map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(syncs).toBe(0);
  });

  it('claimed from the re-validated approval, writes the anchor without reading the user again when it is the first change', async () => {
    cloud.users.delete(holder.userId);
    const request = await stored(plan(SET_FIRST));
    const approved = await store.get(request.id);
    if (!approved) throw new Error('not stored');
    expect(await engine('a').run(request.id, { approved })).toBe('done');
    // SET_ANCHOR did not read its subject: only VERIFY_JOINED read the target.
    expect(reads()).toEqual([target.userId]);
    const after = (await store.get(request.id))?.value;
    expect(after?.records[0]).toMatchObject({
      status: 'done',
      before: { userId: target.userId, onPremisesImmutableId: null },
      after: { userId: target.userId, onPremisesImmutableId: ANCHOR },
    });
    expect(writesOf('setImmutableId')).toBe(1);
  });

  it('reads the target again after the purge: the freed anchor may have been given to it by a sync meanwhile', async () => {
    const request = await stored(plan());
    const approved = await store.get(request.id);
    if (!approved) throw new Error('not stored');
    // A sync (Entra Connect's cycle, another request's) soft-matches the target as soon as the purge frees the anchor.
    const purge = cloud.purgeDeletedUser.bind(cloud);
    cloud.purgeDeletedUser = async (userId) => {
      await purge(userId);
      const user = cloud.users.get(target.userId);
      if (user) cloud.users.set(target.userId, { ...user, immutableId: ANCHOR, synced: true });
    };
    expect(await engine('a').run(request.id, { approved })).toBe('done');
    expect(reads()).toEqual([holder.userId, target.userId, target.userId]);
    expect((await store.get(request.id))?.value.records[1]).toMatchObject({ status: 'done', after: { onPremisesImmutableId: ANCHOR } });
    expect(writesOf('setImmutableId')).toBe(0);
  });

  it('goes on from a claim the approval wrote in its own compare-and-swap, after its entries are appended, without another claim', async () => {
    const request = await stored(plan());
    const approved = await store.get(request.id);
    if (!approved) throw new Error('not stored');
    const e = engine('a');
    const audit = createAuditTrail(store, logger);
    const claim = e.claimOnApproval(approved.value);
    expect(claim.request).toMatchObject({ state: 'executing', lease: { owner: 'a' } });
    expect(claim.request.records[0]?.status).toBe('started');
    const claimed = await store.update(claim.request, approved.version);
    if (!claimed) throw new Error('the claim was not written');
    expect(await engine('b').run(request.id, { claimed, audited: Promise.resolve() })).toBe('not-claimed');
    expect(await e.run(request.id, { claimed, audited: audit.appendAll(claim.events) })).toBe('done');
    const actions = (await audit.entriesOf(request.id)).map((x) => `${x.action}${x.step ? ` ${x.step.number}` : ''}`);
    expect(actions).toEqual([
      'execution-claimed',
      'step-started 1',
      'step-done 1',
      'step-started 2',
      'step-done 2',
      'step-started 3',
      'step-done 3',
      'step-started 4',
      'step-done 4',
      'done',
    ]);
    expect([writesOf('purgeDeletedUser'), writesOf('setImmutableId'), syncs]).toEqual([1, 1, 1]);
  });

  it('reads the user before writing when the approved version is no longer the stored one', async () => {
    const request = await stored(plan());
    const approved = await store.get(request.id);
    if (!approved) throw new Error('not stored');
    // A harmless write (a card posted) moves the version on: the claim reads the request again and trusts nothing.
    await store.update({ ...approved.value, cards: [] }, approved.version);
    expect(await engine('a').run(request.id, { approved })).toBe('done');
    expect(cloud.calls.filter((c) => c.op === 'findUser' && c.idOrUpn === target.userId)).toHaveLength(2);
  });

  it('sends card updates in order without waiting for them between steps, the final state last, before run resolves', async () => {
    const request = await stored(plan());
    const shown: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const publish = async (r: ApprovalRequest) => {
      shown.push(r.state === 'executing' ? `executing ${r.records.map((x) => x.status[0] ?? '').join('')}` : r.state);
      await gate; // Teams is slow: the engine goes on meanwhile.
    };
    const run = engine('a', { publish }).run(request.id);
    await new Promise((r) => setTimeout(r, 50));
    expect((await store.get(request.id))?.value.state).toBe('done');
    let resolved = false;
    void run.then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(false);
    release();
    expect(await run).toBe('done');
    // The first update (sent at the claim) and then only the newest state that was waiting.
    expect(shown).toEqual(['executing sppp', 'done']);
  });

  it('waits out a sync that is already running instead of failing', async () => {
    let busy = 2;
    const busySync = {
      triggerSync: () => {
        if (busy-- > 0) return Promise.reject(new SyncError('SYNC_BUSY', 'A delta sync is already running.'));
        return sync.triggerSync();
      },
    };
    const request = await stored(plan());
    const e = createEngine({
      store,
      audit: createAuditTrail(store, logger),
      steps: { cloud, sync: busySync, sleep: () => Promise.resolve(), pollIntervalMs: 1 },
      owner: 'a',
      logger,
      now: () => clock,
      syncBusyRetryMs: 1,
    });
    await expect(e.run(request.id)).resolves.toBe('done');
  });
  it('asks for the delta sync again while the relay is unreachable (restarting) instead of failing', async () => {
    let down = 2;
    const restartingRelay = {
      triggerSync: () => {
        if (down-- > 0) return Promise.reject(new RelayUnavailable('RELAY_UNAVAILABLE', 'The relay could not be reached (ECONNREFUSED).'));
        return sync.triggerSync();
      },
    };
    const request = await stored(plan());
    const e = createEngine({
      store,
      audit: createAuditTrail(store, logger),
      steps: { cloud, sync: restartingRelay, sleep: () => Promise.resolve(), pollIntervalMs: 1 },
      owner: 'a',
      logger,
      now: () => clock,
      syncBusyRetryMs: 1,
    });
    await expect(e.run(request.id)).resolves.toBe('done');
    expect(down).toBe(-1);
  });
});

describe('a write on the value re-validation read', () => {
  it("records that its before value was read by the approval's re-validation, and when", async () => {
    cloud.users.delete(holder.userId);
    const request = await stored(plan(SET_FIRST));
    const approved = await store.get(request.id);
    if (!approved) throw new Error('not stored');
    expect(await engine('a').run(request.id, { approved })).toBe('done');
    const after = (await store.get(request.id))?.value;
    // SET_ANCHOR skipped its read: its record says so; the sync and the check say nothing.
    expect(after?.records[0]?.beforeRead).toEqual({ by: 'approval-revalidation', at: clock });
    expect(after?.records.slice(1).every((r) => r.beforeRead === undefined)).toBe(true);
    const done = (await createAuditTrail(store, logger).entriesOf(request.id)).find(
      (e) => e.action === 'step-done' && e.step?.number === 1,
    );
    expect(done?.summary).toMatch(/the approval's re-validation read, started at 2026-12-01T15:00:00.000Z; it was not read again/);
  });

  it('records nothing of the kind when the step read the value itself', async () => {
    const request = await stored(plan());
    expect(await engine('a').run(request.id)).toBe('done');
    expect((await store.get(request.id))?.value.records.every((r) => r.beforeRead === undefined)).toBe(true);
  });
});
