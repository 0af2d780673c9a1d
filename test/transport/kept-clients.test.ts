/**
 * The Bot Framework clients a turn sends with are made once per (bot identity, audience,
 * serviceUrl), not on every turn; a token for the bot still gets clients with the bot's identity.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { CLIENTS_KEPT, createBotAuthentication } from '../../src/transport/bot-auth.ts';
import { startFakeOpenId, type FakeOpenId } from '../support/fake-openid.ts';

const APP_ID = '33333333-3333-3333-3333-333333333333';
const TENANT = '11111111-1111-1111-1111-111111111111';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const AUDIENCE = 'https://api.botframework.com';

function activity(serviceUrl: string): Activity {
  return {
    type: 'message',
    id: 'a-1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: 'user-1', name: 'Alex Admin' },
    recipient: { id: 'bot-1', name: 'Hardmatch' },
    conversation: { id: 'c-1', tenantId: TENANT },
    text: 'help',
  } as Activity;
}

describe('kept Bot Framework clients (sandbox, anonymous)', () => {
  const auth = createBotAuthentication(loadConfig({}, { sandbox: true }).botAuth);

  async function connectorFor(serviceUrl: string): Promise<unknown> {
    const result = await auth.authenticateRequest(activity(serviceUrl), '');
    return result.connectorFactory?.create(serviceUrl, result.audience);
  }

  it('gives every turn to the same serviceUrl the same connector client, another serviceUrl its own', async () => {
    const first = await connectorFor('http://127.0.0.1:3979/');
    expect(first).toBeDefined();
    expect(await connectorFor('http://127.0.0.1:3979/')).toBe(first);
    expect(await connectorFor('http://127.0.0.1:3980/')).not.toBe(first);
  });

  it(`keeps at most ${CLIENTS_KEPT} connector clients, dropping the oldest`, async () => {
    const oldest = await connectorFor('http://127.0.0.1:4000/');
    for (let i = 1; i <= CLIENTS_KEPT; i++) await connectorFor(`http://127.0.0.1:${4000 + i}/`);
    expect(await connectorFor(`http://127.0.0.1:${4000 + CLIENTS_KEPT}/`)).toBe(
      await connectorFor(`http://127.0.0.1:${4000 + CLIENTS_KEPT}/`),
    );
    expect(await connectorFor('http://127.0.0.1:4000/')).not.toBe(oldest);
  });

  it('sends a reply with accept */* through a native policy instead of the compat one', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: 'reply-1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const connector = (await connectorFor(serviceUrl)) as {
        client: { pipeline: { getOrderedPolicies(): { name: string }[] } };
        conversations: {
          replyToActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
        };
      };
      const names = connector.client.pipeline.getOrderedPolicies().map((p) => p.name);
      expect(names).toContain('hardmatchAcceptHeader');
      expect(names).not.toContain('ServiceClientContext_RequestPolicyFactories');
      const sent = await connector.conversations.replyToActivity('c-1', 'a-1', {
        type: 'message',
        text: 'hi',
        conversation: { id: 'c-1' } as Activity['conversation'],
      });
      expect(sent.id).toBe('reply-1');
      expect(seen[0]?.accept).toBe('*/*');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('gives every turn the same user-token client', async () => {
    const { claimsIdentity } = await auth.authenticateRequest(activity('http://127.0.0.1:3979/'), '');
    const first = await auth.createUserTokenClient(claimsIdentity);
    expect(await auth.createUserTokenClient(claimsIdentity)).toBe(first);
  });
});

describe('kept Bot Framework clients (production token)', () => {
  let issuer: FakeOpenId;
  beforeAll(async () => {
    issuer = await startFakeOpenId();
  });
  afterAll(() => issuer.close());

  it('keeps one connector client with the bot identity across turns', async () => {
    const config = loadConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppPassword: 'not-a-real-secret',
    });
    const auth = createBotAuthentication(config.botAuth, issuer.metadataUrl);
    const clients = [];
    for (let turn = 0; turn < 2; turn++) {
      const header = `Bearer ${issuer.token({ appId: APP_ID, serviceUrl: SERVICE_URL })}`;
      const result = await auth.authenticateRequest(activity(SERVICE_URL), header);
      clients.push(await result.connectorFactory?.create(SERVICE_URL, AUDIENCE));
    }
    expect(clients[1]).toBe(clients[0]);
    expect((clients[0]?.credentials as { appId?: string } | undefined)?.appId).toBe(APP_ID);
  });
});
