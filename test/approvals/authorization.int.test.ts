/**
 * Who may do what, enforced on the server at every action, through the bot's HTTP endpoint over
 * the sandbox (emulator over HTTPS, signed relay, request store). Each refusal is answered with a
 * clear card and the emulator records no Graph write.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IDS } from '../../src/sandbox/scenarios/index.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { ADELE, BEN, CLEO, clientFor, flowSandbox, JUSTIFICATION, NINA, requestIdOf, untilState } from './flow-harness.ts';

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

async function start(env: Record<string, string> = {}): Promise<void> {
  sandbox = await flowSandbox(env);
}

/** Adele runs `match asmith` in her chat and requests approval; answers the request id. */
async function requested(): Promise<string> {
  const adele = clientFor(sandbox, connector, ADELE);
  const { card } = await adele.say('match asmith');
  const id = requestIdOf(card);
  const answer = await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
  expect(visibleText(answer.card)).toContain('State: requested');
  return id;
}

const writes = () => sandbox.emulatorState.graphWrites().length;

function refusedText(answer: { status: number; card: Record<string, unknown> | undefined }): string {
  expect(answer.status).toBe(200);
  return visibleText(answer.card);
}

describe('approval authorization over /api/messages', () => {
  it('refuses a non-admin who requests approval', async () => {
    await start();
    const nina = clientFor(sandbox, connector, NINA);
    const id = requestIdOf((await nina.say('match asmith')).card);
    const text = refusedText(
      await nina.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION }),
    );
    expect(text).toMatch(/not an admin|admin group|ADMIN_IDS/i);
    expect((await sandbox.approvals.features.store.get(id))?.value.state).toBe('proposed');
    expect(writes()).toBe(0);
  });

  it('refuses a justification shorter than 10 characters', async () => {
    await start();
    const adele = clientFor(sandbox, connector, ADELE);
    const id = requestIdOf((await adele.say('match asmith')).card);
    const text = refusedText(await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: 'too short' }));
    expect(text).toMatch(/10/);
    expect((await sandbox.approvals.features.store.get(id))?.value.state).toBe('proposed');
  });

  it('refuses the requester approving their own request, and a non-admin approving', async () => {
    await start();
    const id = await requested();
    expect(refusedText(await clientFor(sandbox, connector, ADELE).invoke('approve', { verb: 'approve', requestId: id }))).toMatch(
      /requested .* yourself/i,
    );
    expect(refusedText(await clientFor(sandbox, connector, NINA).invoke('approve', { verb: 'approve', requestId: id }))).toMatch(
      /not an admin/i,
    );
    expect((await sandbox.approvals.features.store.get(id))?.value.state).toBe('requested');
    expect(writes()).toBe(0);
  });

  it('refuses the same approver twice when two approvals are required', async () => {
    await start({ REQUIRED_APPROVALS: '2', ADMIN_IDS: [ADELE, BEN, CLEO].map((p) => p.aadObjectId).join(',') });
    const id = await requested();
    const ben = clientFor(sandbox, connector, BEN);
    expect(visibleText((await ben.invoke('approve', { verb: 'approve', requestId: id })).card)).toContain('State: requested');
    expect(refusedText(await ben.invoke('approve', { verb: 'approve', requestId: id }))).toMatch(/already approved/i);
    expect(writes()).toBe(0);
    await clientFor(sandbox, connector, CLEO).invoke('approve', { verb: 'approve', requestId: id });
    await untilState(sandbox, id, ['done']);
    expect(writes()).toBeGreaterThan(0);
  });

  it('refuses an approval after the request expired', async () => {
    await start();
    const id = await requested();
    const { store } = sandbox.approvals.features;
    const stored = await store.get(id);
    if (!stored) throw new Error('no request');
    await store.update({ ...stored.value, expiresAt: Date.now() - 1000 }, stored.version);
    expect(refusedText(await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId: id }))).toMatch(/expired/i);
    expect((await store.get(id))?.value.state).toBe('expired');
    expect(writes()).toBe(0);
  });

  it('expires a proposal nobody requested approval for once APPROVAL_TTL_MINUTES passed: status shows it, requesting is refused', async () => {
    await start();
    const adele = clientFor(sandbox, connector, ADELE);
    const id = requestIdOf((await adele.say('match asmith')).card);
    const { store } = sandbox.approvals.features;
    const stored = await store.get(id);
    if (!stored) throw new Error('no request');
    expect(stored.value.expiresAt).toBe(stored.value.createdAt + 60 * 60_000);
    await store.update({ ...stored.value, expiresAt: Date.now() - 1000 }, stored.version);
    expect(visibleText((await adele.say(`status ${id}`)).card)).toContain('State: expired');
    expect((await store.get(id))?.value.state).toBe('expired');
    const answer = await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
    expect(refusedText(answer)).toMatch(/expired/i);
    expect(writes()).toBe(0);
  });

  it('marks the request stale, writes nothing and says what changed when the cloud changed before approval', async () => {
    await start();
    const id = await requested();
    // Somebody restores the deleted holder of the anchor in the meantime: the plan no longer fits.
    sandbox.emulatorState.restoreDeletedUser(IDS.asmithDeleted);
    const before = writes();
    const answer = await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId: id });
    expect(visibleText(answer.card)).toContain('State: stale');
    expect(writes()).toBe(before);
    expect((await sandbox.approvals.features.store.get(id))?.value.changes?.length).toBeGreaterThan(0);
  });

  it('refuses to run a plan onto a user who gained an admin role since the cached read', async () => {
    await start();
    const id = await requested();
    sandbox.emulatorState.setDirectoryRoleMember('Global Administrator', IDS.asmith, true);
    const answer = await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId: id });
    expect(visibleText(answer.card)).toContain('State: stale');
    expect(writes()).toBe(0);
  });

  it('refuses approving a cancelled, a rejected and an executing request', async () => {
    await start();
    const ben = clientFor(sandbox, connector, BEN);
    const cancelled = await requested();
    await clientFor(sandbox, connector, ADELE).invoke('cancel', { verb: 'cancel', requestId: cancelled });
    expect(refusedText(await ben.invoke('approve', { verb: 'approve', requestId: cancelled }))).toMatch(/cancelled/i);
    const rejected = await requested();
    await ben.invoke('reject', { verb: 'reject', requestId: rejected, reason: 'Wrong user.' });
    expect(refusedText(await clientFor(sandbox, connector, CLEO).invoke('approve', { verb: 'approve', requestId: rejected }))).toMatch(
      /rejected/i,
    );
    const { store } = sandbox.approvals.features;
    const executing = await requested();
    const stored = await store.get(executing);
    if (!stored) throw new Error('no request');
    await store.update(
      { ...stored.value, state: 'executing', lease: { owner: 'someone-else', until: Date.now() + 60_000 } },
      stored.version,
    );
    expect(refusedText(await ben.invoke('approve', { verb: 'approve', requestId: executing }))).toMatch(/already|executing/i);
    expect(writes()).toBe(0);
  });

  it('refuses a replayed approve (the same activity again), never answering it from a cache', async () => {
    await start({ REQUIRED_APPROVALS: '2', ADMIN_IDS: [ADELE, BEN, CLEO].map((p) => p.aadObjectId).join(',') });
    const id = await requested();
    const ben = clientFor(sandbox, connector, BEN);
    const activity = {
      ...ben.base('invoke'),
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'approve', data: { verb: 'approve', requestId: id } } },
    };
    expect(visibleText((await ben.raw(activity)).card)).toContain('State: requested');
    expect(refusedText(await ben.raw(activity))).toMatch(/already received|replay/i);
    expect((await sandbox.approvals.features.store.get(id))?.value.approvals).toHaveLength(1);
  });

  it('refuses a forged verb and an unknown id, and ignores extra fields in data', async () => {
    await start();
    const id = await requested();
    const ben = clientFor(sandbox, connector, BEN);
    expect(refusedText(await ben.invoke('execute', { verb: 'execute', requestId: id }))).toMatch(/not a Hardmatch card action/);
    expect(refusedText(await ben.invoke('approve', { verb: 'approve', requestId: 'zz9zz9' }))).toMatch(/no request/i);
    const forged = {
      verb: 'approve',
      requestId: id,
      targetId: IDS.jdoe,
      immutableId: 'AAAAAAAAAAAAAAAAAAAAAA==',
      actor: ADELE.aadObjectId,
    };
    await ben.invoke('approve', forged);
    const done = await untilState(sandbox, id, ['done', 'failed']);
    expect(done.state).toBe('done');
    const anchorWrites = sandbox.emulatorState.graphWrites().filter((w) => w.method === 'PATCH');
    expect(anchorWrites.every((w) => w.path.includes(IDS.asmith))).toBe(true);
    expect(done.approvals.map((a) => a.actor.aadObjectId)).toEqual([BEN.aadObjectId]);
  });

  it('refuses activities from another tenant: no reply, no state change', async () => {
    await start();
    const id = await requested();
    const stranger = clientFor({ ...sandbox, tenantId: '99999999-9999-4999-8999-999999999999' }, connector, BEN);
    const answer = await stranger.invoke('approve', { verb: 'approve', requestId: id });
    expect(JSON.stringify(answer.body ?? '')).not.toContain('State:');
    expect((await sandbox.approvals.features.store.get(id))?.value.state).toBe('requested');
    expect(writes()).toBe(0);
  });
});
