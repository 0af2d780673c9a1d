/**
 * The Cloud Sync tenant of the catalog (ENGINE_VARIANTS): `match asmith` plans PROVISION_ON_DEMAND
 * instead of a Connect delta sync, and carried out (through the cloud module, then through
 * /api/messages with request, approval and execution) it ends joined through Graph's
 * provisionOnDemand: the provisioning agent ran the simulator for that one AD object, the run is in
 * the provisioning logs, and no Entra Connect sync ran (the sandbox's relay has none to run).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildSandboxSeed, engineVariantById } from '../../../src/sandbox/scenarios/index.ts';
import { createProvisioningAgent } from '../../../src/sandbox/sync-simulator/index.ts';
import { ADELE, BEN, clientFor, executeActions, flowSandbox, JUSTIFICATION, untilState } from '../../approvals/flow-harness.ts';
import { diagnoseMatch, expectDiagnosis, playPlan, startScenarioWorld, type ScenarioWorld } from '../../scenarios/harness.ts';
import { startRecordingConnector, type RecordingConnector } from '../../support/recording-connector.ts';

const variant = engineVariantById('cloud-sync-tenant');
const match = variant.match;

let world: ScenarioWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe(`${variant.id}: ${variant.title}`, () => {
  it(`match ${match.who} → ${match.end}, played through the cloud module`, async () => {
    world = await startScenarioWorld(buildSandboxSeed({ syncEngine: variant.syncEngine }));
    const w = world;
    const cloudSync = w.emulator.state.cloudSync;
    cloudSync?.connectAgent(createProvisioningAgent({ state: w.emulator.state, listUsers: () => Promise.resolve(w.directory.users()) }));
    const diagnosis = await diagnoseMatch(w, match);
    expectDiagnosis(diagnosis, match);
    await playPlan(w, diagnosis, match);
    const anchor = diagnosis.onPrem?.anchor.immutableId ?? '';
    const holders = await w.cloud.holdersOfAnchor(anchor);
    expect(holders.map((u) => ({ id: u.id, synced: u.synced, deleted: u.deletedDateTime !== null }))).toEqual([
      { id: match.targetUserId, synced: true, deleted: false },
    ]);
    expect(w.emulator.state.activeUser(match.targetUserId ?? '')?.onPremisesObjectIdentifier).toBe(w.directory.user('asmith').objectGuid);
    expect(w.reports).toEqual([]);
    const [run] = cloudSync?.provisioningLogs() ?? [];
    expect(run).toMatchObject({ provisioningStatusInfo: { status: 'success' }, targetIdentity: { id: match.targetUserId } });
  });
});

describe(`${variant.id} through /api/messages`, () => {
  let connector: RecordingConnector;
  beforeAll(async () => {
    connector = await startRecordingConnector();
  });
  afterAll(() => connector.close());

  it('request, approval and execution end joined through PROVISION_ON_DEMAND', async () => {
    const sandbox = await flowSandbox({ SANDBOX_SYNC_ENGINE: variant.syncEngine });
    try {
      expect(sandbox.emulatorState.syncEngine).toBe('cloud-sync');
      const adele = clientFor(sandbox, connector, ADELE);
      const { card } = await adele.say(`match ${match.who}`);
      const id = String(executeActions(card).find((a) => a.verb === 'requestApproval')?.data.requestId);
      await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
      await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId: id });
      const request = await untilState(sandbox, id, ['done', 'failed', 'stale']);
      await sandbox.approvals.idle();
      const final = (await sandbox.approvals.features.store.get(id))?.value;
      expect(final?.state, JSON.stringify(final?.records.filter((r) => r.status === 'failed'))).toBe('done');
      expect(request.state).toBe('done');
      expect(final?.steps.map((s) => s.kind)).toEqual(match.steps);
      const verifyAt = final?.steps.findIndex((s) => s.kind === 'VERIFY_JOINED') ?? -1;
      expect(final?.records[verifyAt]?.after).toMatchObject({ userId: match.targetUserId, synced: true });
      expect(sandbox.emulatorState.cloudSync?.provisioningLogs().map((e) => e.provisioningStatusInfo?.status)).toEqual(['success']);
    } finally {
      await sandbox.close();
    }
  });
});
