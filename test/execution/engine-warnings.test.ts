/**
 * The engine's end of a request whose join works but breaks the plan's promise (issue 19): the
 * VERIFY_JOINED that finds leftovers (an address quarantined, a provisioning error) ends the whole
 * request `done-with-warnings`, its record and the final audit entry listing each leftover with its
 * fix; the same plan with nothing left over ends plain `done`. Real store (node:sqlite in memory),
 * fake cloud and relay, no Samba.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/audit/chain.ts';
import type { CloudUser } from '../../src/domain/cloud.ts';
import type { JoinPromise, PlanStep } from '../../src/domain/diagnosis/types.ts';
import { createEngine } from '../../src/execution/engine.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { BEN, requested } from '../domain/approval/builders.ts';
import { cloudUser, fakeCloud, type FakeCloud } from './fake-cloud.ts';

const logger = createLogger({ level: 'silent' });
const ANCHOR = 'g8Pclm4vok+vFWtMERklmg==';
const target = { userId: '11111111-1111-4111-8111-111111111111', userPrincipalName: 'jdoe@contoso.com' };
const PROMISE: JoinPromise = {
  userPrincipalName: 'jdoe@contoso.com',
  addresses: ['john.doe@contoso.com', 'jdoe@contoso.com'],
  recheck: 'match jdoe',
};
const STEPS: PlanStep[] = [
  { number: 1, irreversible: false, description: 'Delta sync', kind: 'TRIGGER_DELTA_SYNC' },
  {
    number: 2,
    irreversible: false,
    description: 'Verify',
    kind: 'VERIFY_JOINED',
    subject: target,
    immutableId: ANCHOR,
    timeoutSeconds: 5,
    promise: PROMISE,
  },
];
const ALL_ADDRESSES = ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'];

let store: RequestStore;
let cloud: FakeCloud;
let clock: number;

beforeEach(() => {
  store = createSqliteStore(':memory:');
  clock = Date.UTC(2026, 11, 1, 15, 0, 0);
  cloud = fakeCloud([cloudUser({ id: target.userId, userPrincipalName: target.userPrincipalName, immutableId: ANCHOR })]);
});
afterEach(() => store.close());

/** The relay's sync: Entra joins the target freshly, and leaves it as `joined` says (addresses, errors, UPN). */
function syncLeaving(joined: Partial<CloudUser>) {
  return {
    triggerSync: () => {
      const user = cloud.users.get(target.userId);
      const at = new Date(clock).toISOString();
      if (user) cloud.users.set(target.userId, { ...user, synced: true, lastSyncDateTime: at, ...joined });
      return Promise.resolve({ startedAt: at, finishedAt: at, detail: 'simulated' });
    },
  };
}

async function runPlan(joined: Partial<CloudUser>) {
  const request = requested({
    state: 'approved',
    approvals: [{ actor: BEN, at: clock }],
    steps: STEPS,
    records: STEPS.map((s) => ({ number: s.number, status: 'pending' })),
  });
  expect(await store.create(request)).toBe(true);
  const audit = createAuditTrail(store, logger);
  const engine = createEngine({
    store,
    audit,
    steps: { cloud, sync: syncLeaving(joined), sleep: () => Promise.resolve(), pollIntervalMs: 1 },
    owner: 'a',
    logger,
    now: () => clock,
    leaseMs: 1000,
  });
  const outcome = await engine.run(request.id);
  const after = (await store.get(request.id))?.value;
  const entries = await audit.entriesOf(request.id);
  return { outcome, after, entries };
}

describe('the engine ends a join with leftovers done-with-warnings', () => {
  it('lists each leftover, with its fix, on the verify record and in the final audit entry', async () => {
    const { outcome, after, entries } = await runPlan({
      userPrincipalName: 'jdoe+4821@contoso.onmicrosoft.com',
      proxyAddresses: ['smtp:jdoe@contoso.com'],
      provisioningErrors: [
        { category: 'PropertyConflict', property: 'ProxyAddress', value: 'SMTP:john.doe@contoso.com', occurredDateTime: null },
        { category: 'PropertyConflict', property: 'UserPrincipalName', value: 'jdoe@contoso.com', occurredDateTime: null },
      ],
    });
    expect(outcome).toBe('done-with-warnings');
    expect(after?.state).toBe('done-with-warnings');
    expect(after?.lease).toBeUndefined();
    expect(after?.records.map((r) => r.status)).toEqual(['done', 'done']);
    const warnings = after?.records[1]?.warnings ?? [];
    expect(warnings.map((w) => w.what)).toEqual([
      'jdoe+4821@contoso.onmicrosoft.com did not get the UPN jdoe@contoso.com the plan predicted',
      // The quarantine and its provisioning error are one leftover.
      'john.doe@contoso.com is not on jdoe+4821@contoso.onmicrosoft.com: Entra quarantined it (another object holds it)',
      'Entra records PropertyConflict on UserPrincipalName jdoe@contoso.com for jdoe+4821@contoso.onmicrosoft.com',
    ]);
    for (const w of warnings) expect(w.fix).toContain('`match jdoe`');
    const final = entries.at(-1);
    expect(final?.action).toBe('done');
    expect(final?.summary).toContain('left 3 things to fix');
    for (const w of warnings) expect(final?.summary).toContain(w.what);
    expect(verifyChain(entries).ok).toBe(true);
  });

  it('ends plain done when the join keeps every promise', async () => {
    const { outcome, after, entries } = await runPlan({ proxyAddresses: ALL_ADDRESSES });
    expect(outcome).toBe('done');
    expect(after?.state).toBe('done');
    expect(after?.records.flatMap((r) => r.warnings ?? [])).toEqual([]);
    expect(entries.at(-1)?.summary).not.toMatch(/to fix/);
  });
});
