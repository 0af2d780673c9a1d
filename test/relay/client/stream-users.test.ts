/** streamUsers end to end: the relay client, the signed page route and a fixture directory. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnPremUser } from '../../../src/domain/onprem-user.ts';
import { InputError, RelayUnavailable } from '../../../src/errors/index.ts';
import type { ScanScope } from '../../../src/ports/snapshot.ts';
import type { RunningRelay } from '../../../src/relay/agent/start-relay.ts';
import { createRelayClient } from '../../../src/relay/client/relay-client.ts';

type RelayClient = ReturnType<typeof createRelayClient>;
import { RELAY_PATHS } from '../../../src/relay/protocol/protocol.ts';
import { startFixtureRelay } from '../../../src/sandbox/fixture-relay.ts';
import { fixtureUser, KEY, relayConfig, signedFetch, silentLogger, writeFixtureDir } from '../agent/helpers.ts';

const BASE = 'DC=contoso,DC=com';
const STAFF = 2345;

async function readAll(client: RelayClient, scope: ScanScope): Promise<OnPremUser[][]> {
  const pages: OnPremUser[][] = [];
  for await (const page of client.streamUsers(scope)) pages.push(page);
  return pages;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as Error,
  );
}

describe('streamUsers through the relay (fixture directory)', () => {
  let relay: RunningRelay;
  let client: RelayClient;
  beforeAll(async () => {
    const staff = Array.from({ length: STAFF }, (_, i) => fixtureUser({ dn: `CN=Staff ${i},OU=Staff,${BASE}` }));
    const admins = Array.from({ length: 3 }, (_, i) => fixtureUser({ dn: `CN=Admin ${i},OU=Admins,${BASE}` }));
    const outside = [fixtureUser({ dn: 'CN=Elsewhere,OU=Staff,DC=fabrikam,DC=com' })];
    const dir = writeFixtureDir({ 'users.json': [...staff, ...admins, ...outside] });
    relay = await startFixtureRelay(relayConfig({ fixturesDir: dir, fixturesBaseDn: BASE }), { logger: silentLogger() });
    client = createRelayClient({ url: relay.url, key: KEY, timeoutMs: 5000 });
  });
  afterAll(() => relay.close());

  it('reads an OU in pages of 1,000 (the last one shorter), every user once', async () => {
    const pages = await readAll(client, { kind: 'ou', dn: `OU=Staff,${BASE}` });
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 345]);
    const dns = new Set(pages.flat().map((u) => u.dn));
    expect(dns.size).toBe(STAFF);
    expect([...dns].every((dn) => dn.endsWith(`OU=Staff,${BASE}`))).toBe(true);
    expect(pages[0]?.[0]?.anchor.immutableId).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('reads the whole sync scope (LDAP_BASE_DN), leaving out users outside it', async () => {
    const users = (await readAll(client, { kind: 'sync-scope' })).flat();
    expect(users).toHaveLength(STAFF + 3);
    expect(users.some((u) => u.dn.includes('fabrikam'))).toBe(false);
  });

  it('refuses an OU outside LDAP_BASE_DN with OU_OUTSIDE_BASE_DN, naming the base', async () => {
    const err = await rejection(readAll(client, { kind: 'ou', dn: 'OU=Staff,DC=fabrikam,DC=com' }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('OU_OUTSIDE_BASE_DN');
    expect(err.message).toContain(BASE);
  });

  it('is not fooled by an escaped comma that only looks like the base', async () => {
    const err = await rejection(readAll(client, { kind: 'ou', dn: `OU=x\\,${BASE}` }));
    expect((err as InputError).code).toBe('OU_OUTSIDE_BASE_DN');
  });

  it('answers an OU nobody lies under with OU_NOT_FOUND, and a DN that does not parse with INPUT_INVALID', async () => {
    const missing = await rejection(readAll(client, { kind: 'ou', dn: `OU=Nobody,${BASE}` }));
    expect((missing as InputError).code).toBe('OU_NOT_FOUND');
    const garbled = await rejection(readAll(client, { kind: 'ou', dn: 'Staff,contoso' }));
    expect((garbled as InputError).code).toBe('INPUT_INVALID');
    expect(garbled.message).toContain('not a distinguished name');
  });

  it('refuses a control character in the OU before any read', async () => {
    const err = await rejection(readAll(client, { kind: 'ou', dn: `OU=Staff\u0000,${BASE}` }));
    expect((err as InputError).code).toBe('INPUT_INVALID');
  });

  it('answers a made-up cursor with SCAN_CURSOR_EXPIRED', async () => {
    const res = await signedFetch(relay.url, {
      path: RELAY_PATHS.usersPage,
      body: JSON.stringify({ scope: { kind: 'sync-scope' }, cursor: 'B'.repeat(32) }),
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'SCAN_CURSOR_EXPIRED' } });
  });

  it('refuses an unsigned page request', async () => {
    const res = await signedFetch(relay.url, {
      path: RELAY_PATHS.usersPage,
      body: JSON.stringify({ scope: { kind: 'sync-scope' } }),
      unsigned: true,
    });
    expect(res.status).toBe(401);
  });

  it('refuses a client with the wrong key with RELAY_REJECTED', async () => {
    const wrong = createRelayClient({ url: relay.url, key: 'w'.repeat(40), timeoutMs: 5000 });
    const err = await rejection(readAll(wrong, { kind: 'sync-scope' }));
    expect(err).toBeInstanceOf(RelayUnavailable);
    expect((err as RelayUnavailable).code).toBe('RELAY_REJECTED');
  });

  it('stops asking when the caller aborts', async () => {
    const controller = new AbortController();
    const pages: number[] = [];
    const err = await rejection(
      (async () => {
        for await (const page of client.streamUsers({ kind: 'sync-scope' }, { signal: controller.signal })) {
          pages.push(page.length);
          controller.abort(new Error('stopped by the test'));
        }
      })(),
    );
    expect(err.message).toBe('stopped by the test');
    expect(pages).toEqual([1000]);
  });
});
