/**
 * Replies go out as ready-made JSON through the turn's kept connector client: through
 * /api/messages with a Bot Framework token, the reply carries the bot's own outgoing token and
 * the fields botbuilder fills in, at botbuilder's URL and with botbuilder's body; a connector
 * error is an error of the turn, logged.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { AppCredentials } from 'botframework-connector';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { createBotAuthentication } from '../../src/transport/bot-auth.ts';
import { readyJson, replyUrl } from '../../src/transport/ready-reply.ts';
import { startFakeOpenId, type FakeOpenId } from '../support/fake-openid.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { messageActivity, post, startBot, type Running } from './helpers.ts';

const APP_ID = '33333333-3333-3333-3333-333333333333';
const TENANT = '11111111-1111-1111-1111-111111111111';
const OUTGOING_TOKEN = 'outgoing-token-of-the-bot';
const TEAMS_CONVERSATION = 'a:1Xy-Z_ab;messageid=1700000000000@thread.skype';

const production = loadConfig({
  MicrosoftAppId: APP_ID,
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: TENANT,
  MicrosoftAppPassword: 'not-a-real-secret',
});

let issuer: FakeOpenId;
let connector: RecordingConnector;
const running: Running[] = [];
beforeAll(async () => {
  issuer = await startFakeOpenId();
  connector = await startRecordingConnector();
  // The bot's token for the connector comes from Entra ID; here from its credentials' getToken.
  vi.spyOn(AppCredentials.prototype, 'getToken').mockResolvedValue(OUTGOING_TOKEN);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await connector.close();
  await issuer.close();
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.server.close();
  connector.calls.length = 0;
});

function incoming(serviceUrl: string, text: string): Record<string, unknown> {
  return messageActivity(serviceUrl, text, {
    locale: 'de-DE',
    conversation: { id: TEAMS_CONVERSATION, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
  });
}

async function send(r: Running, serviceUrl: string, activity: Record<string, unknown>): Promise<Response> {
  return post(r.url, activity, { authorization: `Bearer ${issuer.token({ appId: APP_ID, serviceUrl })}` });
}

describe('ready-made replies through /api/messages (production token)', () => {
  it('posts the reply with the bot token and the fields botbuilder fills in, to botbuilder URL', async () => {
    const r = await startBot(production, { openIdMetadataUrl: issuer.metadataUrl });
    running.push(r);
    const activity = incoming(connector.url, 'help');
    expect((await send(r, connector.url, activity)).status).toBe(200);
    const [call] = await connector.waitForCalls(1);
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe(new URL(replyUrl(connector.url, TEAMS_CONVERSATION, String(activity['id']))).pathname);
    expect(call?.conversationId).toBe(TEAMS_CONVERSATION);
    expect(call?.replyToId).toBe(activity['id']);
    expect(call?.authorization).toBe(`Bearer ${OUTGOING_TOKEN}`);
    expect(call?.body).toMatchObject({
      type: 'message',
      from: activity['recipient'],
      recipient: activity['from'],
      conversation: activity['conversation'],
      replyToId: activity['id'],
      serviceUrl: connector.url,
      channelId: 'msteams',
      locale: 'de-DE',
    });
    expect(call?.body['id']).toBeUndefined();
    expect((call?.body['attachments'] as { contentType?: string }[] | undefined)?.[0]?.contentType).toBe(
      'application/vnd.microsoft.card.adaptive',
    );
  });

  it('turns a connector error into a failed turn, logged with its status', async () => {
    const refusing = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = 400;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: { code: 'BadArgument', message: 'refused' } }));
      });
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const serviceUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/`;
      const r = await startBot(production, { openIdMetadataUrl: issuer.metadataUrl });
      running.push(r);
      await send(r, serviceUrl, incoming(serviceUrl, 'help'));
      const failed = r.logs.find((l) => l['msg'] === 'turn failed') as
        { err?: { statusCode?: number; code?: string; message?: string } } | undefined;
      expect(failed?.err?.statusCode).toBe(400);
      expect(failed?.err?.code).toBe('BadArgument');
      expect(failed?.err?.message).toContain('HTTP 400');
      expect(r.logs.some((l) => l['msg'] === 'could not send the error reply')).toBe(true);
    } finally {
      refusing.closeAllConnections();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});

describe('readyJson: the body botbuilder would send', () => {
  const reply = {
    type: 'message',
    text: 'Hardmatch',
    inputHint: 'acceptingInput',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'ä <b>', wrap: true }] },
      },
    ],
    channelId: 'msteams',
    locale: 'en-US',
    serviceUrl: 'http://127.0.0.1:1/',
    conversation: { id: TEAMS_CONVERSATION, conversationType: 'personal', tenantId: TENANT },
    from: { id: '28:bot', name: 'Hardmatch' },
    recipient: { id: '29:user', name: 'Alex Admin', aadObjectId: '00000000-0000-0000-0000-0000000000a1' },
    replyToId: 'activity-1',
  } as unknown as Partial<Activity>;

  it('is the body (key order aside) and URL of botbuilder replyToActivity', async () => {
    const auth = createBotAuthentication(loadConfig({}, { sandbox: true }).botAuth);
    const { connectorFactory } = await auth.authenticateRequest({ ...reply, serviceUrl: connector.url } as Activity, '');
    const client = await connectorFactory!.create(connector.url, 'https://api.botframework.com');
    await client.conversations.replyToActivity(TEAMS_CONVERSATION, 'activity-1', { ...reply, serviceUrl: connector.url });
    const [call] = await connector.waitForCalls(1);
    expect(call?.path).toBe(new URL(replyUrl(connector.url, TEAMS_CONVERSATION, 'activity-1')).pathname);
    expect(call?.body).toStrictEqual(JSON.parse(readyJson({ ...reply, serviceUrl: connector.url }) ?? 'null'));
  });

  it('leaves to botbuilder what its serializer would change', () => {
    expect(readyJson({ ...reply, entities: [{ type: 'mention', text: '<at>x</at>' }] })).toBeUndefined();
    expect(readyJson({ ...reply, timestamp: new Date(0) })).toBeUndefined();
    expect(
      readyJson({ ...reply, conversation: { ...reply.conversation, extra: 1 } as unknown as Activity['conversation'] }),
    ).toBeUndefined();
    expect(readyJson({ ...reply, unknownField: 'x' } as unknown as Partial<Activity>)).toBeUndefined();
    expect(readyJson({ ...reply, text: 5 } as unknown as Partial<Activity>)).toBeUndefined();
  });

  it('keeps a serviceUrl path, as botbuilder appends to it', () => {
    expect(replyUrl('https://smba.trafficmanager.net/emea/', 'a:1;x@y', 'r 1')).toBe(
      'https://smba.trafficmanager.net/emea/v3/conversations/a%3A1%3Bx%40y/activities/r%201',
    );
    expect(replyUrl('https://smba.trafficmanager.net/emea', 'c', 'r')).toBe(
      'https://smba.trafficmanager.net/emea/v3/conversations/c/activities/r',
    );
  });
});
