/**
 * A request made in a 1:1 chat travels to the approvers' place (`approvals here`), is approved
 * there, and both copies of its card end showing the same outcome (replaced in place).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { ADELE, BEN, clientFor, flowSandbox, JUSTIFICATION, NINA, requestIdOf, untilState } from './flow-harness.ts';

let connector: RecordingConnector;
let sandbox: RunningSandbox;
const GROUP = { id: '19:identity-admins@thread.v2', type: 'groupChat' as const, name: 'Identity admins' };

beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(() => connector.close());
afterEach(async () => {
  await sandbox.close();
  connector.calls.length = 0;
});

/** The newest card a conversation's message `activityId` shows: the last PUT, else the POST. */
function lastCardOf(conversationId: string, activityId: string): unknown {
  const puts = connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === conversationId && c.activityId === activityId);
  const last = puts.at(-1);
  return (last?.body.attachments as { content: unknown }[] | undefined)?.[0]?.content;
}

describe("the approvers' place", () => {
  it("posts a 1:1 request to the approvers' place, where it is approved, and both copies end the same", async () => {
    sandbox = await flowSandbox();
    const adeleInGroup = clientFor(sandbox, connector, ADELE, GROUP);
    expect(visibleText((await adeleInGroup.say('approvals here')).card)).toMatch(/also posted to/i);
    expect(visibleText((await clientFor(sandbox, connector, ADELE).say('approvals')).card)).toContain('Identity admins');

    const adele = clientFor(sandbox, connector, ADELE);
    const match = await adele.say('match asmith');
    const id = requestIdOf(match.card);
    const before = connector.calls.length;
    await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
    const posted = connector.calls.slice(before).find((c) => c.method === 'POST' && c.conversationId === GROUP.id);
    expect(posted, "the request was posted to the approvers' place").toBeDefined();
    const postedCard = (posted?.body.attachments as { content: unknown }[])[0]?.content;
    expect(visibleText(postedCard)).toContain('State: requested');
    const postedId = `recorded-${connector.calls.indexOf(posted as (typeof connector.calls)[number]) + 1}`;

    const ben = clientFor(sandbox, connector, BEN, GROUP);
    await ben.invoke('approve', { verb: 'approve', requestId: id });
    await untilState(sandbox, id, ['done']);
    await sandbox.approvals.idle();
    const inChat = visibleText(lastCardOf(adele.conversationId, match.activityId));
    const inPlace = visibleText(lastCardOf(GROUP.id, postedId));
    expect(inChat).toContain('State: done');
    expect(inPlace).toContain('State: done');
  });

  it('refuses "approvals here" from a non-admin and in a 1:1 chat', async () => {
    sandbox = await flowSandbox();
    expect(visibleText((await clientFor(sandbox, connector, NINA, GROUP).say('approvals here')).card)).toMatch(/only an admin/i);
    expect(visibleText((await clientFor(sandbox, connector, ADELE).say('approvals here')).card)).toMatch(/not in a 1:1 chat/i);
    expect(await sandbox.approvals.features.store.getSetting(`approvers-place:${sandbox.tenantId}`)).toBeNull();
  });

  it('lets an admin pull a request into their own chat with status <id> and act on it there', async () => {
    sandbox = await flowSandbox();
    const adele = clientFor(sandbox, connector, ADELE);
    const id = requestIdOf((await adele.say('match asmith')).card);
    await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
    const ben = clientFor(sandbox, connector, BEN);
    expect(visibleText((await ben.say('status')).card)).toContain(id);
    const pulled = await ben.say(`status ${id}`);
    expect(visibleText(pulled.card)).toContain('State: requested');
    await ben.invoke('approve', { verb: 'approve', requestId: id });
    await untilState(sandbox, id, ['done']);
    await sandbox.approvals.idle();
    expect(visibleText(lastCardOf(ben.conversationId, pulled.activityId))).toContain('State: done');
    const audit = visibleText((await adele.say(`audit ${id}`)).card);
    expect(audit).toMatch(/hash chain verifies/);
    expect(audit).toMatch(/PURGE\\?_DELETED\\?_USER/);
  });
});
