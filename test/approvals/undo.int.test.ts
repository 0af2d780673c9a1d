/**
 * `undo <id>` and `cancel <id>` as typed commands: an undo is a request of its own (its own
 * justification and approval) whose steps revert the reversible steps done, newest first, and that
 * refuses at run time where the value changed since; a purge is never offered for undo.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { ADELE, BEN, clientFor, executeActions, flowSandbox, JUSTIFICATION, requestIdOf, untilState } from './flow-harness.ts';

let connector: RecordingConnector;
let sandbox: RunningSandbox;
beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(() => connector.close());
afterEach(async () => {
  await sandbox.close();
  connector.calls.length = 0;
});

async function approvedAndDone(who: string): Promise<string> {
  const adele = clientFor(sandbox, connector, ADELE);
  const id = requestIdOf((await adele.say(`match ${who}`)).card);
  await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
  await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId: id });
  await untilState(sandbox, id, ['done']);
  await sandbox.approvals.idle();
  return id;
}

describe('undo and cancel', () => {
  it('proposes an undo of the reversible steps only, which needs its own approval and refuses where Graph no longer allows the old value', async () => {
    sandbox = await flowSandbox();
    const original = await approvedAndDone('cmigrated');
    const adele = clientFor(sandbox, connector, ADELE);
    const { card } = await adele.say(`undo ${original}`);
    const undoId = requestIdOf(card);
    expect(undoId).not.toBe(original);
    const undo = (await sandbox.approvals.features.store.get(undoId))?.value;
    expect(undo?.kind).toBe('undo');
    expect(undo?.state).toBe('proposed');
    expect(undo?.steps.map((s) => s.kind)).toEqual(['SET_ANCHOR']);
    expect(executeActions(card).map((a) => a.verb)).toContain('requestApproval');
    const writes = sandbox.emulatorState.graphWrites().length;
    await adele.invoke('requestApproval', {
      verb: 'requestApproval',
      requestId: undoId,
      justification: 'Undo: the migration is rolled back.',
    });
    await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId: undoId });
    const ended = await untilState(sandbox, undoId, ['done', 'failed']);
    // The user is synced now (the join worked): Graph refuses to change a synced user's anchor.
    expect(ended.state).toBe('failed');
    expect(ended.records[0]?.code).toBe('Request_BadRequest');
    expect(sandbox.emulatorState.graphWrites().length).toBe(writes);
  });

  it('says a purge cannot be undone when nothing reversible changed, and refuses an unknown id', async () => {
    sandbox = await flowSandbox();
    const original = await approvedAndDone('asmith');
    const adele = clientFor(sandbox, connector, ADELE);
    // asmith's plan purged the holder (irreversible) and set the anchor (reversible).
    const text = visibleText((await adele.say(`undo ${original}`)).card);
    expect(text).toContain('State: proposed');
    expect(visibleText((await adele.say('undo zz9zz9')).card)).toMatch(/no request/i);
    expect(visibleText((await adele.say('undo not-an-id')).card)).toMatch(/not a request id/i);
  });

  it('cancels by the typed command, only for the requester', async () => {
    sandbox = await flowSandbox();
    const adele = clientFor(sandbox, connector, ADELE);
    const id = requestIdOf((await adele.say('match asmith')).card);
    await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
    expect(visibleText((await clientFor(sandbox, connector, BEN).say(`cancel ${id}`)).card)).toMatch(/only|requester/i);
    expect(visibleText((await adele.say(`cancel ${id}`)).card)).toContain('State: cancelled');
    expect(visibleText((await adele.say(`status ${id}`)).card)).toContain('State: cancelled');
  });
});
