/**
 * The plan actions against the real cloud directory module over the Entra emulator (HTTPS, real
 * Graph client): Graph's own refusals come back as step failures, and a whole fix (purge, set
 * anchor, sync, verify) ends with the user joined.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloudDirectory, CloudWriter } from '../../src/ports/cloud-directory.ts';
import { createCloudDirectory, staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { runStep, undoStep, type StepDeps } from '../../src/execution/index.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { FIXED_NOW, ID, PLUS_ANCHOR, startGraph, type Harness } from '../sandbox/emulator/graph-harness.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';

const BOB_ANCHOR = 'SV+BWQuSnU6tbIK1OqTBAg==';
const bob = { userId: ID.bob, userPrincipalName: 'bsmith@contoso.com' };

let graph: Harness;
let cloud: CloudDirectory & CloudWriter;

beforeEach(async () => {
  graph = await startGraph();
  cloud = createCloudDirectory({
    graphBaseUrl: graph.emulator.url,
    credential: staticTokenCredential('t'),
    logger: createLogger({ level: 'silent' }),
  });
});
afterEach(() => graph.close());

function deps(overrides: Partial<StepDeps> = {}): StepDeps {
  return {
    cloud,
    sync: { triggerSync: () => Promise.reject(new Error('no sync in this test')) },
    now: () => FIXED_NOW.getTime(),
    sleep: () => Promise.resolve(),
    ...overrides,
  };
}

const setBobAnchor: PlanStep = {
  number: 2,
  irreversible: false,
  description: 'Set anchor of bsmith',
  kind: 'SET_ANCHOR',
  subject: bob,
  immutableId: BOB_ANCHOR,
  previous: null,
};
const purgeOldBob: PlanStep = {
  number: 1,
  irreversible: true,
  description: 'Purge the old bsmith',
  kind: 'PURGE_DELETED_USER',
  subject: { userId: ID.bobDeleted, userPrincipalName: 'bsmith@contoso.com' },
  immutableId: BOB_ANCHOR,
};

describe('plan actions over the Entra emulator', () => {
  it('surfaces ObjectConflict while a deleted user holds the anchor, and writes nothing', async () => {
    const result = await runStep(setBobAnchor, deps());
    expect(result).toMatchObject({
      status: 'failed',
      code: 'ObjectConflict',
      detail: expect.stringContaining(`User_${ID.bobDeleted}`) as unknown,
      before: { userId: ID.bob, onPremisesImmutableId: null },
    });
    expect(graph.emulator.state.activeUser(ID.bob)?.onPremisesImmutableId).toBeNull();
  });

  it('purges the holder, sets the anchor, syncs and verifies the join', async () => {
    const sync = {
      triggerSync: () => {
        graph.emulator.state.updateSyncedUser(ID.bob, { onPremisesImmutableId: BOB_ANCHOR, userPrincipalName: 'bsmith@contoso.com' });
        return Promise.resolve({ startedAt: FIXED_NOW.toISOString(), finishedAt: FIXED_NOW.toISOString(), detail: 'simulated' });
      },
    };
    const steps: PlanStep[] = [
      purgeOldBob,
      setBobAnchor,
      { number: 3, irreversible: false, description: 'Sync', kind: 'TRIGGER_DELTA_SYNC' },
      {
        number: 4,
        irreversible: false,
        description: 'Verify',
        kind: 'VERIFY_JOINED',
        subject: bob,
        immutableId: BOB_ANCHOR,
        timeoutSeconds: 60,
      },
    ];
    const statuses: string[] = [];
    for (const step of steps) statuses.push((await runStep(step, deps({ sync }))).status);
    expect(statuses).toEqual(['done', 'done', 'done', 'done']);
    expect(graph.emulator.state.deletedUser(ID.bobDeleted)).toBeUndefined();
    const joined = graph.emulator.state.activeUser(ID.bob);
    expect(joined).toMatchObject({
      onPremisesImmutableId: BOB_ANCHOR,
      onPremisesSyncEnabled: true,
      onPremisesLastSyncDateTime: '2026-03-05T12:00:00Z',
    });
  });

  it('surfaces Graph’s refusal to set an anchor on a synced user', async () => {
    const step: PlanStep = {
      number: 1,
      irreversible: false,
      description: 'Set anchor',
      kind: 'SET_ANCHOR',
      subject: { userId: ID.janeSynced, userPrincipalName: 'jdoe1234@contoso.onmicrosoft.com' },
      immutableId: '3HjiBBIFx02rIhVtmcNDyg==',
      previous: 'g8Pclm4vok+vFWtMERklmg==',
    };
    expect(await runStep(step, deps())).toMatchObject({
      status: 'failed',
      code: 'Request_BadRequest',
      detail: expect.stringContaining('on-premises mastered') as unknown,
    });
  });

  it('surfaces Graph’s refusal to set an anchor on a federated-domain UPN', async () => {
    const step: PlanStep = {
      number: 2,
      irreversible: false,
      description: 'Set anchor',
      kind: 'SET_ANCHOR',
      subject: { userId: ID.alice, userPrincipalName: 'alice@fabrikam.com' },
      immutableId: '3HjiBBIFx02rIhVtmcNDyg==',
      previous: null,
    };
    expect(await runStep(step, deps())).toMatchObject({
      status: 'failed',
      code: 'Request_BadRequest',
      detail: expect.stringContaining("federated domain 'fabrikam.com'") as unknown,
    });
    expect(graph.emulator.state.activeUser(ID.alice)?.onPremisesImmutableId).toBeNull();
  });

  it('clears and restores an anchor with "+" and "/" intact', async () => {
    const step: PlanStep = {
      number: 1,
      irreversible: false,
      description: 'Clear anchor',
      kind: 'CLEAR_ANCHOR',
      subject: { userId: ID.hostile, userPrincipalName: "o'brien@contoso.com" },
      previous: PLUS_ANCHOR,
    };
    const result = await runStep(step, deps());
    expect(result).toMatchObject({ status: 'done', before: { onPremisesImmutableId: PLUS_ANCHOR } });
    expect(graph.emulator.state.activeUser(ID.hostile)?.onPremisesImmutableId).toBeNull();
    expect(await undoStep(step, result, deps())).toMatchObject({ status: 'done' });
    expect(graph.emulator.state.activeUser(ID.hostile)?.onPremisesImmutableId).toBe(PLUS_ANCHOR);
  });

  it('renames a federated UPN to onmicrosoft.com and back', async () => {
    const step: PlanStep = {
      number: 1,
      irreversible: false,
      description: 'Rename',
      kind: 'RENAME_UPN_TEMPORARILY',
      subject: { userId: ID.alice, userPrincipalName: 'alice@fabrikam.com' },
      from: 'alice@fabrikam.com',
      to: 'alice@contoso.onmicrosoft.com',
    };
    const result = await runStep(step, deps());
    expect(result).toMatchObject({ status: 'done', after: { userPrincipalName: 'alice@contoso.onmicrosoft.com' } });
    expect(graph.emulator.state.activeUser(ID.alice)?.userPrincipalName).toBe('alice@contoso.onmicrosoft.com');
    await undoStep(step, result, deps());
    expect(graph.emulator.state.activeUser(ID.alice)?.userPrincipalName).toBe('alice@fabrikam.com');
  });

  it('refuses to purge a user that was restored since the plan (PLAN_DRIFT)', async () => {
    graph.emulator.state.restoreDeletedUser(ID.bobDeleted, { newUserPrincipalName: 'bsmith.old@contoso.com' });
    expect(await runStep(purgeOldBob, deps())).toMatchObject({ status: 'failed', code: 'PLAN_DRIFT' });
  });

  it('times out verifying a user no sync has joined', async () => {
    const step: PlanStep = {
      number: 1,
      irreversible: false,
      description: 'Verify',
      kind: 'VERIFY_JOINED',
      subject: bob,
      immutableId: BOB_ANCHOR,
      timeoutSeconds: 30,
    };
    let t = FIXED_NOW.getTime();
    const result = await runStep(step, deps({ now: () => t, sleep: (ms) => Promise.resolve(void (t += ms)) }));
    expect(result).toMatchObject({
      status: 'failed',
      code: 'VERIFY_TIMEOUT',
      detail: expect.stringContaining('still cloud-only') as unknown,
    });
  });
});
