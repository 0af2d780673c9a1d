/**
 * The whole sandbox scenario catalog through the approval flow: for every `match` of the catalog,
 * Adele requests, Ben approves, MANUAL steps are answered "Done" (the sandbox carries out the
 * person's part on its stand-ins), the bot executes, syncs and verifies, and the request ends where
 * the diagnosis predicted: joined (done, the target synced with the anchor), or no request at all
 * when only a person can fix it or nothing needs doing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/sandbox/scenarios/index.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { ADELE, BEN, clientFor, executeActions, flowSandbox, JUSTIFICATION, untilState } from './flow-harness.ts';

let connector: RecordingConnector;
beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(() => connector.close());

const MATCHES = SCENARIOS.flatMap((scenario) => scenario.matches.map((match) => ({ scenario, match })));

describe('the scenario catalog through request, approval, execution, sync and verification', () => {
  it.each(MATCHES.map((m) => [m.scenario.id, m.match.who, m] as const))('%s: match %s', async (_id, _who, { match }) => {
    const sandbox = await flowSandbox();
    try {
      const adele = clientFor(sandbox, connector, ADELE);
      const command = match.to ? `match ${match.who} to ${match.to}` : `match ${match.who}`;
      const { card } = await adele.say(command);
      const requestId = executeActions(card).find((a) => a.verb === 'requestApproval')?.data.requestId;
      const automated = match.steps.some((k) => k !== 'MANUAL' && k !== 'VERIFY_JOINED');
      if (!automated) {
        // Nothing to approve: the plan is empty or only a person can act.
        expect(requestId, `${command}: no automated steps, no request`).toBeUndefined();
        expect(await sandbox.approvals.features.store.listByState(sandbox.tenantId, ['proposed'])).toEqual([]);
        return;
      }
      expect(typeof requestId, `${command} proposes a request`).toBe('string');
      const id = String(requestId);
      await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
      await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId: id });
      for (let rounds = 0; rounds < 10; rounds += 1) {
        const request = await untilState(sandbox, id, ['done', 'failed', 'waiting-for-person', 'stale']);
        if (request.state !== 'waiting-for-person') break;
        const waiting = request.records.find((r) => r.status === 'waiting-for-person');
        const answer = await adele.invoke('manualDone', { verb: 'manualDone', requestId: id, step: waiting?.number });
        expect(answer.status).toBe(200);
        await untilState(sandbox, id, ['approved', 'executing', 'done', 'failed', 'waiting-for-person']);
      }
      await sandbox.approvals.idle();
      const final = (await sandbox.approvals.features.store.get(id))?.value;
      expect(final?.state, `${command}: ${JSON.stringify(final?.records.filter((r) => r.status === 'failed'))}`).toBe('done');
      expect(final?.steps.map((st) => st.kind)).toEqual(match.steps);
      if (match.end !== 'joined') return; // the plan ends with a person's step, as the diagnosis said
      const verifyAt = final?.steps.findIndex((st) => st.kind === 'VERIFY_JOINED') ?? -1;
      const verified = final?.records[verifyAt]?.after as { userId?: string; synced?: boolean } | undefined;
      expect(verified?.synced).toBe(true);
      if (match.targetUserId) expect(verified?.userId).toBe(match.targetUserId);
    } finally {
      await sandbox.close();
    }
  });
});
