import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Command, type CommandRegistry } from '../../src/bot/commands/index.ts';
import type { CreateBotOptions } from '../../src/compose-teams-bot.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { findById, visibleText } from '../support/card-query.ts';
import { cloudUser, fakeCloud, fakeRelay } from '../support/fakes.ts';
import { onPremUser } from '../support/users.ts';
import { startRecordingConnector, type RecordedCall, type RecordingConnector } from '../support/recording-connector.ts';
import { messageActivity, post, startBot, type Running } from './helpers.ts';

function attachedCard(call: { body: Record<string, unknown> } | undefined): unknown {
  const attachments = call?.body.attachments as { contentType: string; content: unknown }[] | undefined;
  expect(attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachments?.[0]?.content;
}

/** The bot's reply: the first message it posts (a typing indicator may come before it). */
async function replyCall(): Promise<RecordedCall | undefined> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const call = connector.calls.find((c) => c.body.type === 'message');
    if (call) return call;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

let connector: RecordingConnector;
const running: Running[] = [];

beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(async () => {
  await connector.close();
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.server.close();
  connector.calls.length = 0;
});

async function sandboxBot(
  registry?: CommandRegistry,
  env: Record<string, string> = {},
  ports: Pick<CreateBotOptions, 'relay' | 'cloud'> = {},
): Promise<Running> {
  const r = await startBot(loadConfig(env, { sandbox: true }), { ...(registry ? { registry } : {}), ports });
  running.push(r);
  return r;
}

describe('bot HTTP server (sandbox)', () => {
  it('answers guid <GUID> with an Adaptive Card carrying the ImmutableID, as a reply', async () => {
    const { url } = await sandboxBot();
    const activity = messageActivity(connector.url, 'guid 96dcc383-2f6e-4fa2-af15-6b4c1119259a');
    const res = await post(url, activity);
    expect(res.status).toBe(200);
    const call = await replyCall();
    expect(call?.path).toBe(`/v3/conversations/conversation-1/activities/${String(activity.id)}`);
    expect(call?.replyToId).toBe(activity.id);
    const card = attachedCard(call);
    expect(JSON.stringify(card)).toContain('g8Pclm4vok+vFWtMERklmg==');
    expect(visibleText(card)).toContain('SANDBOX');
  });

  it('strips the @mention in a channel message before routing', async () => {
    const { url } = await sandboxBot();
    await post(
      url,
      messageActivity(connector.url, '<at>Hardmatch</at> help', {
        conversation: { id: 'channel-conv', conversationType: 'channel' },
        entities: [{ type: 'mention', text: '<at>Hardmatch</at>', mentioned: { id: 'bot-1', name: 'Hardmatch' } }],
      }),
    );
    const call = await replyCall();
    expect(visibleText(attachedCard(call))).toContain('**guid \\<who\\>**');
  });

  it('answers match <who> with the diagnosis card, reading AD through the relay and the cloud given to createBot', async () => {
    const relay = fakeRelay({ users: [onPremUser()], truncated: false });
    const holder = cloudUser({ immutableId: 'g8Pclm4vok+vFWtMERklmg==', synced: true, userPrincipalName: 'jdoe@contoso.com' });
    const cloud = fakeCloud({
      evidenceFor: async (_onPrem, context) => ({
        candidates: [{ user: holder, reasons: ['anchor'] }],
        otherObjects: [],
        tenant: await context.tenant,
      }),
    });
    const { url } = await sandboxBot(undefined, {}, { relay, cloud });
    await post(url, messageActivity(connector.url, 'MATCH jdoe'));
    const call = await replyCall();
    const card = attachedCard(call);
    expect(findById(card, 'finding-ALREADY_MATCHED')).toBeDefined();
    expect(visibleText(card)).toContain('Nothing has been changed.');
    expect(relay.calls.map((c) => c.who)).toEqual(['jdoe']);
    expect(cloud.calls.map((c) => c.method)).toEqual(['tenantFacts', 'evidenceFor']);
  });

  it('serves /healthz', async () => {
    const { url } = await sandboxBot();
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: '9.9.9-test', sandbox: true });
  });

  it('turns an unexpected error inside a command into a user-facing reply, never a stack trace', async () => {
    const boom: Command = {
      name: 'boom',
      help: { usage: 'boom', summary: 'fails', examples: [] },
      run: () => Promise.reject(new Error('secret detail /srv/hardmatch/internal.ts')),
    };
    const { url, logs } = await sandboxBot(createRegistry([boom]));
    await post(url, messageActivity(connector.url, 'boom'));
    const [call] = await connector.waitForCalls(1);
    const card = attachedCard(call);
    const text = visibleText(card);
    expect(text).toContain('Something went wrong inside Hardmatch');
    expect(text).toContain('INTERNAL');
    expect(JSON.stringify(call?.body)).not.toMatch(/secret detail|internal\.ts|at .*\(/);
    const logged = logs.find((l) => l.msg === 'turn failed');
    expect(logged?.level).toBe(50);
    expect(JSON.stringify(logged?.err)).toContain('secret detail');
  });
});

describe('tenant guard', () => {
  const env = { MicrosoftAppTenantId: '11111111-1111-1111-1111-111111111111' };

  it('ignores an activity from another tenant with a warning', async () => {
    const { url, logs } = await sandboxBot(undefined, env);
    const res = await post(
      url,
      messageActivity(connector.url, 'help', {
        conversation: { id: 'c', tenantId: '22222222-2222-2222-2222-222222222222' },
        channelData: { tenant: { id: '22222222-2222-2222-2222-222222222222' } },
      }),
    );
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(connector.calls).toHaveLength(0);
    expect(logs.find((l) => l.msg === 'ignored an activity from another tenant')).toMatchObject({
      level: 40,
      tenant: '22222222-2222-2222-2222-222222222222',
    });
  });

  it('serves its own tenant (from channelData)', async () => {
    const { url } = await sandboxBot(undefined, env);
    await post(url, messageActivity(connector.url, 'help', { channelData: { tenant: { id: env.MicrosoftAppTenantId } } }));
    expect(await connector.waitForCalls(1)).toHaveLength(1);
  });
});

describe('bot HTTP server (production identity)', () => {
  it('answers an anonymous request with 401 and sends nothing', async () => {
    const config = loadConfig({
      MicrosoftAppId: '33333333-3333-3333-3333-333333333333',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: '11111111-1111-1111-1111-111111111111',
      MicrosoftAppPassword: 'not-a-real-secret',
    });
    const r = await startBot(config);
    running.push(r);
    const res = await post(r.url, messageActivity(connector.url, 'guid 96dcc383-2f6e-4fa2-af15-6b4c1119259a'));
    expect(res.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(connector.calls).toHaveLength(0);
    const health = (await (await fetch(`${r.url}/healthz`)).json()) as { sandbox: boolean };
    expect(health.sandbox).toBe(false);
  });
});
