/**
 * A Cloud Sync tenant (SANDBOX_SYNC_ENGINE=cloud-sync: no Start-ADSyncSyncCycle, the relay's
 * delta sync refuses) through the bot: `match asmith` plans PROVISION_ON_DEMAND where a Connect
 * tenant plans TRIGGER_DELTA_SYNC; Adele requests, Ben approves, the bot purges, sets the anchor,
 * provisions asmith's DN on demand through the Cloud Sync job (the emulator runs the provisioning
 * agent over the sandbox AD), records each step Graph reports, and VERIFY_JOINED confirms the
 * join through Graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvisionOnDemandResult } from '../../src/ports/cloud-directory.ts';
import { SCENARIOS } from '../../src/sandbox/scenarios/index.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { ADELE, BEN, clientFor, executeActions, flowSandbox, JUSTIFICATION, untilState } from './flow-harness.ts';

let connector: RecordingConnector;
beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(() => connector.close());

const asmith = SCENARIOS.flatMap((s) => s.matches).find((m) => m.who === 'asmith');

describe('a Cloud Sync tenant through request, approval, execution and verification', () => {
  it('match asmith ends joined through PROVISION_ON_DEMAND', async () => {
    if (!asmith) throw new Error('the catalog has no match asmith');
    const sandbox = await flowSandbox({ SANDBOX_SYNC_ENGINE: 'cloud-sync' });
    try {
      const adele = clientFor(sandbox, connector, ADELE);
      const { card } = await adele.say('match asmith');
      expect(JSON.stringify(card)).toContain('Sync the AD user now through Cloud Sync (provision on demand)');
      const id = String(executeActions(card).find((a) => a.verb === 'requestApproval')?.data.requestId);
      await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
      await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId: id });
      await untilState(sandbox, id, ['done', 'failed', 'stale', 'waiting-for-person']);
      await sandbox.approvals.idle();
      const final = (await sandbox.approvals.features.store.get(id))?.value;
      expect(final?.state, JSON.stringify(final?.records.filter((r) => r.status === 'failed'))).toBe('done');
      const expected = asmith.steps.map((k) => (k === 'TRIGGER_DELTA_SYNC' ? 'PROVISION_ON_DEMAND' : k));
      expect(final?.steps.map((s) => s.kind)).toEqual(expected);
      const at = (kind: string): number => final?.steps.findIndex((s) => s.kind === kind) ?? -1;
      const provisioned = final?.records[at('PROVISION_ON_DEMAND')]?.after as ProvisionOnDemandResult | undefined;
      expect(provisioned?.result).toBe('Success');
      expect(provisioned?.targetId).toBe(asmith.targetUserId);
      expect(provisioned?.steps.map((s) => s.type)).toContain('Export');
      const verified = final?.records[at('VERIFY_JOINED')]?.after as { userId?: string; synced?: boolean } | undefined;
      expect(verified).toMatchObject({ userId: asmith.targetUserId, synced: true });
    } finally {
      await sandbox.close();
    }
  });
});
