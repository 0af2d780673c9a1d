/**
 * An undo step records the value it replaces (the one the original step wrote), so after a crash
 * between its write and its record the resumed undo still knows what it changed: its record says
 * before = what the original wrote, after = what it put back, and an undo of the undo is possible.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { undoService } from '../support/undo-service.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { createEngine } from '../../src/execution/engine.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { BEN, DAN, requested } from '../domain/approval/builders.ts';
import { cloudUser, fakeCloud, type FakeCloud } from './fake-cloud.ts';

const logger = createLogger({ level: 'silent' });
const ANCHOR = 'g8Pclm4vok+vFWtMERklmg==';
const target = { userId: '11111111-1111-4111-8111-111111111111', userPrincipalName: 'jdoe@contoso.com' };
const SET: PlanStep = {
  number: 1,
  irreversible: false,
  description: 'Set the anchor',
  kind: 'SET_ANCHOR',
  subject: target,
  immutableId: ANCHOR,
  previous: null,
};
const value = (anchor: string | null) => ({ userId: target.userId, onPremisesImmutableId: anchor });

let store: RequestStore;
let cloud: FakeCloud;
let clock: number;
beforeEach(() => {
  store = createSqliteStore(':memory:');
  clock = Date.UTC(2026, 11, 1, 15, 0, 0);
  // The original request set the anchor: the cloud user now carries it.
  cloud = fakeCloud([cloudUser({ id: target.userId, userPrincipalName: target.userPrincipalName, immutableId: ANCHOR })]);
});
afterEach(() => store.close());

const engine = (owner: string, crashAfterWrite = false) =>
  createEngine({
    store,
    audit: createAuditTrail(store, logger),
    steps: {
      cloud,
      sync: { triggerSync: () => Promise.resolve({ startedAt: '', finishedAt: '', detail: '' }) },
      sleep: () => Promise.resolve(),
      pollIntervalMs: 1,
    },
    owner,
    logger,
    now: () => clock,
    leaseMs: 1000,
    ...(crashAfterWrite
      ? {
          onBoundary: (_id: string, _step: number, phase: string) => {
            if (phase === 'step-ran') throw new Error('killed');
          },
        }
      : {}),
  });

describe('undo records the values it really replaced', () => {
  it("after a crash between the undo's write and its record, records before = what the original wrote, and can itself be undone", async () => {
    const original = requested({
      id: 'orig22',
      state: 'done',
      steps: [SET],
      records: [{ number: 1, status: 'done', before: value(null), after: value(ANCHOR) }],
    });
    await store.create(original);
    const undos = undoService({ store, audit: createAuditTrail(store, logger), now: () => clock });
    const proposed = await undos.propose(original.id, { actor: DAN, tenantId: original.tenantId });
    if (!proposed.ok) throw new Error(proposed.refusal.message);
    const stored = await store.get(proposed.request.id);
    if (!stored) throw new Error('not stored');
    await store.update({ ...stored.value, state: 'approved', approvals: [{ actor: BEN, at: clock }] }, stored.version);

    await expect(engine('a', true).run(proposed.request.id)).rejects.toThrow('killed');
    const started = (await store.get(proposed.request.id))?.value as ApprovalRequest;
    expect(started.records[0]).toMatchObject({ status: 'started', before: value(ANCHOR) });
    expect(cloud.users.get(target.userId)?.immutableId).toBeNull();

    clock += 1501; // the lease (1000 ms) and the skew margin (half of it)
    expect(await engine('b').run(proposed.request.id)).toBe('done');
    const undone = (await store.get(proposed.request.id))?.value as ApprovalRequest;
    expect(undone.records[0]).toMatchObject({ status: 'done', before: value(ANCHOR), after: value(null) });
    const startedEntry = (await store.auditOf(undone.id)).find((e) => e.action === 'step-started');
    expect(startedEntry?.before).toEqual(value(ANCHOR));

    const again = await undos.propose(undone.id, { actor: DAN, tenantId: undone.tenantId });
    expect(again.ok).toBe(true);
    if (again.ok) expect(again.request.reverts).toEqual([{ before: value(ANCHOR), after: value(null) }]);
  });
});
