/**
 * No step after the claim is gone: the keep-alive runs from the moment of the claim, a take-over
 * (even by the same process) changes the fencing token so the old run is refused at its next
 * write, a lost claim stops a loop that waits, and one failed renewal does not stop a healthy run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { createEngine, type EngineDeps } from '../../src/execution/engine.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { BEN, requested } from '../domain/approval/builders.ts';
import { cloudUser, fakeCloud, type FakeCloud } from './fake-cloud.ts';

const logger = createLogger({ level: 'silent' });
const ANCHOR = 'g8Pclm4vok+vFWtMERklmg==';
const target = { userId: '11111111-1111-4111-8111-111111111111', userPrincipalName: 'jdoe@contoso.com' };
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SET: PlanStep = {
  number: 1,
  irreversible: false,
  description: 'Set the anchor',
  kind: 'SET_ANCHOR',
  subject: target,
  immutableId: ANCHOR,
  previous: null,
};
const SYNC: PlanStep = { number: 2, irreversible: false, description: 'Delta sync', kind: 'TRIGGER_DELTA_SYNC' };
const verify = (number: number, timeoutSeconds = 5): PlanStep => ({
  number,
  irreversible: false,
  description: 'Verify',
  kind: 'VERIFY_JOINED',
  subject: target,
  immutableId: ANCHOR,
  timeoutSeconds,
});

let store: RequestStore;
let cloud: FakeCloud;
let syncs: number;
beforeEach(() => {
  store = createSqliteStore(':memory:');
  syncs = 0;
  cloud = fakeCloud([cloudUser({ id: target.userId, userPrincipalName: target.userPrincipalName, immutableId: null })]);
});
afterEach(() => store.close());

const sync = (ms = 0) => ({
  triggerSync: async () => {
    syncs += 1;
    await tick(ms);
    return { startedAt: '', finishedAt: '', detail: 'ran' };
  },
});

function engine(owner: string, over: Partial<EngineDeps> = {}) {
  return createEngine({
    store,
    audit: createAuditTrail(store, logger),
    steps: { cloud, sync: sync(), pollIntervalMs: 20 },
    owner,
    logger,
    leaseMs: 300,
    ...over,
  });
}

async function approved(steps: PlanStep[]): Promise<ApprovalRequest> {
  const request = requested({
    state: 'approved',
    approvals: [{ actor: BEN, at: Date.now() }],
    steps,
    records: steps.map((s) => ({ number: s.number, status: 'pending' })),
  });
  await store.create(request);
  return request;
}

describe('fencing', () => {
  it('refuses the old run of a request its own process took over: the sync is asked for once', async () => {
    const request = await approved([SET, SYNC, verify(3)]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let clock = Date.now();
    // The first run pauses after recording the sync's start (a long GC pause, a frozen VM) for longer than its lease.
    const paused = engine('bot-1', {
      now: () => clock,
      onBoundary: async (_id, step, phase) => {
        if (step === 2 && phase === 'step-started') await gate;
      },
    }).run(request.id);
    await tick(50);
    clock += 10_000;
    cloud.users.set(target.userId, {
      ...(cloud.users.get(target.userId) ?? cloudUser(target && { id: target.userId, userPrincipalName: target.userPrincipalName })),
      synced: true,
      immutableId: ANCHOR,
      lastSyncDateTime: new Date(clock).toISOString(),
    });
    expect(await engine('bot-1', { now: () => clock }).run(request.id)).toBe('done');
    release();
    expect(await paused).toBe('claim-lost');
    expect(syncs).toBe(1);
  });

  it('keeps the lease from the moment of the claim: a slow wait before the first step does not let another instance in', async () => {
    const request = await approved([SET]);
    const a = engine('bot-a');
    const stored = await store.get(request.id);
    if (!stored) throw new Error('not stored');
    const claim = a.claimOnApproval(stored.value);
    const claimed = await store.update(claim.request, stored.version);
    if (!claimed) throw new Error('not claimed');
    const slowAppend = tick(900); // three leases
    const run = a.run(request.id, { claimed, audited: slowAppend });
    await tick(700);
    expect(await engine('bot-b').resumeAbandoned(request.tenantId)).toBe(0);
    expect(await run).toBe('done');
    expect(cloud.writes().filter((w) => w.op === 'setImmutableId')).toHaveLength(1);
  });

  it('stops VERIFY_JOINED polling once the claim is lost, instead of polling to its timeout', async () => {
    const request = await approved([verify(1, 10)]);
    const run = engine('bot-a').run(request.id);
    await tick(100);
    // Another instance takes over (its claim wrote a new owner and token).
    const stored = await store.get(request.id);
    if (!stored) throw new Error('not stored');
    await store.update({ ...stored.value, lease: { owner: 'bot-b', until: Date.now() + 60_000, fence: 99 } }, stored.version);
    const started = Date.now();
    expect(await run).toBe('claim-lost');
    expect(Date.now() - started).toBeLessThan(2000);
  }, 15_000);

  it('goes on after one failed renewal of the lease', async () => {
    const request = await approved([SET, { ...SYNC, number: 2 }, verify(3)]);
    let failOnce = true;
    const flaky: RequestStore = {
      ...store,
      update: (next, version) => {
        // A heartbeat (nothing but the lease moves) that times out once.
        if (failOnce && syncs === 1 && next.state === 'executing') {
          failOnce = false;
          return Promise.reject(new Error('the store did not answer in time'));
        }
        return store.update(next, version);
      },
    };
    cloud.onFind = () => {
      const user = cloud.users.get(target.userId);
      if (user && syncs > 0) cloud.users.set(target.userId, { ...user, synced: true, lastSyncDateTime: new Date().toISOString() });
    };
    const e = createEngine({
      store: flaky,
      audit: createAuditTrail(store, logger),
      steps: { cloud, sync: sync(250), pollIntervalMs: 20 },
      owner: 'bot-a',
      logger,
      leaseMs: 300,
    });
    expect(await e.run(request.id)).toBe('done');
    expect(failOnce).toBe(false);
  });
});
