/**
 * The bot in production mode (a bot identity, a tenant), over HTTP with real Bot Framework token
 * checks against a fake issuer: what a caller without a valid token learns, and the tenant guard.
 */
import type { ActivityHandler, TurnContext } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { foreignKey, startFakeOpenId, unreachableUrl, type FakeOpenId } from '../support/fake-openid.ts';
import { INTERNAL_TEXT, messageActivity, post, startBot, type Running } from './helpers.ts';

const APP_ID = '33333333-3333-3333-3333-333333333333';
const TENANT = '11111111-1111-1111-1111-111111111111';
const OTHER_TENANT = '22222222-2222-2222-2222-222222222222';
/** Replies are never posted here: the recording bot below sends nothing. */
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

const production = loadConfig({
  MicrosoftAppId: APP_ID,
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: TENANT,
  MicrosoftAppPassword: 'not-a-real-secret',
});

/** Records the activities it is given, sends nothing (no outbound call to Microsoft). */
function recordingBot(): Pick<ActivityHandler, 'run'> & { seen: string[] } {
  const seen: string[] = [];
  return { seen, run: (context: TurnContext) => Promise.resolve(void seen.push(context.activity.text ?? '')) };
}

let issuer: FakeOpenId;
const running: Running[] = [];
beforeAll(async () => {
  issuer = await startFakeOpenId();
});
afterAll(() => issuer.close());
afterEach(async () => {
  for (const r of running.splice(0)) await r.server.close();
});

async function productionBot(openIdMetadataUrl: string, bot = recordingBot()): Promise<Running & { bot: ReturnType<typeof recordingBot> }> {
  const r = await startBot(production, { bot, openIdMetadataUrl });
  running.push(r);
  return { ...r, bot };
}

const inTenant = (text: string, tenant = TENANT): Record<string, unknown> =>
  messageActivity(SERVICE_URL, text, { conversation: { id: 'c-1', tenantId: tenant }, channelData: { tenant: { id: tenant } } });

async function expectFixedRefusal(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status);
  const body = await res.text();
  expect(body).not.toMatch(INTERNAL_TEXT);
  expect(body.length).toBeLessThan(120);
  return body;
}

describe('production bot: callers without a valid token', () => {
  const bogus: [string, () => string][] = [
    ['not a JWT', () => 'Bearer not-a-token'],
    [
      'signed with a key the issuer does not have',
      () => `Bearer ${issuer.token({ appId: APP_ID, serviceUrl: SERVICE_URL, key: foreignKey() })}`,
    ],
    ['for another app', () => `Bearer ${issuer.token({ appId: '44444444-4444-4444-4444-444444444444', serviceUrl: SERVICE_URL })}`],
    ['expired', () => `Bearer ${issuer.token({ appId: APP_ID, serviceUrl: SERVICE_URL, expiresInSeconds: -3600 })}`],
    ['no token at all', () => ''],
  ];

  it.each(bogus)('answers a token that is %s with 401 and fixed words, and runs nothing', async (_name, header) => {
    const r = await productionBot(issuer.metadataUrl);
    const authorization = header();
    const res = await post(r.url, inTenant('help'), authorization ? { authorization } : {});
    expect(await expectFixedRefusal(res, 401)).toBe('Unauthorized: the request does not carry a valid Bot Framework token.');
    expect(r.bot.seen).toEqual([]);
    const logged = r.logs.find((l) => l.msg === 'refused a request with an invalid Bot Framework token');
    expect(logged).toMatchObject({ level: 40, err: { message: expect.any(String) as unknown } });
  });

  it('answers 503 when the OpenID metadata is unreachable, never naming its URL, and logs the cause', async () => {
    const metadataUrl = await unreachableUrl('/v1/.well-known/openidconfiguration');
    const r = await productionBot(metadataUrl);
    const res = await post(r.url, inTenant('help'), {
      authorization: `Bearer ${issuer.token({ appId: APP_ID, serviceUrl: SERVICE_URL })}`,
    });
    const body = await expectFixedRefusal(res, 503);
    expect(body).not.toContain(new URL(metadataUrl).host);
    expect(r.bot.seen).toEqual([]);
    const logged = r.logs.find((l) => l.msg === 'could not check a Bot Framework token');
    expect(JSON.stringify(logged?.err)).toContain(new URL(metadataUrl).host);
  });

  it('answers 503 when the issuer answers with an error', async () => {
    const down = await startFakeOpenId({ failWith: 500 });
    try {
      const r = await productionBot(down.metadataUrl);
      const res = await post(r.url, inTenant('help'), {
        authorization: `Bearer ${down.token({ appId: APP_ID, serviceUrl: SERVICE_URL })}`,
      });
      await expectFixedRefusal(res, 503);
    } finally {
      await down.close();
    }
  });
});

describe('production bot: tenant guard', () => {
  it('serves a valid token from its own tenant and ignores one from another tenant', async () => {
    const r = await productionBot(issuer.metadataUrl);
    const authorization = `Bearer ${issuer.token({ appId: APP_ID, serviceUrl: SERVICE_URL })}`;
    expect((await post(r.url, inTenant('from my tenant'), { authorization })).status).toBe(200);
    expect((await post(r.url, inTenant('from another tenant', OTHER_TENANT), { authorization })).status).toBe(200);
    const noTenant = messageActivity(SERVICE_URL, 'without a tenant');
    expect((await post(r.url, noTenant, { authorization })).status).toBe(200);
    expect(r.bot.seen).toEqual(['from my tenant']);
    expect(r.logs.filter((l) => l.msg === 'ignored an activity from another tenant')).toHaveLength(2);
  });

  it('listens on every interface unless HOST says otherwise', async () => {
    const r = await productionBot(issuer.metadataUrl);
    expect(r.server.server.address().address).toMatch(/^(::|0\.0\.0\.0)$/);
    expect(production.host).toBeUndefined();
  });
});
