import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RelayClientConfig } from '../../../src/config/load-config.ts';
import { DirectoryError, InputError, RelayUnavailable, SyncError } from '../../../src/errors/index.ts';
import type { Directory } from '../../../src/relay/agent/directory.ts';
import type { RunningRelay } from '../../../src/relay/agent/start-relay.ts';
import { startFixtureRelay } from '../../../src/sandbox/fixture-relay.ts';
import type { SyncTrigger } from '../../../src/ports/sync-trigger.ts';
import { createRelayClient, DEFAULT_SYNC_TIMEOUT_MS } from '../../../src/relay/client/relay-client.ts';
import { createMemoryNonceStore, SIGNATURE_HEADERS, verifyRequest } from '../../../src/relay/protocol/signing.ts';
import { captureLogger, controlledSync, KEY, relayConfig, silentLogger, syncCommand, noPages } from '../agent/helpers.ts';

function clientConfig(url: string, overrides: Partial<RelayClientConfig> = {}): RelayClientConfig {
  return { url, key: KEY, timeoutMs: 5000, ...overrides };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

async function rawServer(listener: RequestListener): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function failingDirectory(code: ConstructorParameters<typeof DirectoryError>[0], message: string): Directory {
  return {
    kind: 'ldap',
    users: noPages,
    lookup: () => Promise.reject(new DirectoryError(code, message)),
    check: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

describe('relay client against a real relay (fixtures)', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startFixtureRelay(relayConfig(), { logger: silentLogger() });
  });
  afterAll(() => relay.close());

  it('looks a user up end to end', async () => {
    const result = await createRelayClient(clientConfig(relay.url)).lookup('JDOE@contoso.com');
    expect(result.truncated).toBe(false);
    expect(result.users).toHaveLength(1);
    expect(result.users[0]).toMatchObject({
      samAccountName: 'jdoe',
      dn: 'CN=John Doe,OU=Staff,DC=contoso,DC=com',
      anchor: { attribute: 'mS-DS-ConsistencyGuid', immutableId: '3HjiBBIFx02rIhVtmcNDyg==' },
    });
  });

  it('passes the limit and reports truncation', async () => {
    const result = await createRelayClient(clientConfig(relay.url)).lookup('shared@contoso.com', 1);
    expect(result.users).toHaveLength(1);
    expect(result.truncated).toBe(true);
  });

  it('reads the health report', async () => {
    expect(await createRelayClient(clientConfig(relay.url)).health()).toMatchObject({
      status: 'ok',
      directory: 'fixtures',
      sourceAnchor: 'auto',
    });
  });

  it('turns the relay’s 400 into the same InputError', async () => {
    const err = await rejection(createRelayClient(clientConfig(relay.url)).lookup('john doe'));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('INPUT_INVALID');
    expect(err.message).toContain('has spaces');
  });

  it('is rejected with RELAY_REJECTED when the key is wrong', async () => {
    const err = await rejection(createRelayClient(clientConfig(relay.url, { key: 'w'.repeat(40) })).lookup('jdoe'));
    expect(err).toBeInstanceOf(RelayUnavailable);
    expect((err as RelayUnavailable).code).toBe('RELAY_REJECTED');
  });

  it('never logs the key or the signature', async () => {
    const log = captureLogger('trace');
    const sent: string[] = [];
    const spyFetch: typeof fetch = (input, init) => {
      sent.push(new Headers(init?.headers).get(SIGNATURE_HEADERS.signature) ?? '');
      return fetch(input, init);
    };
    const client = createRelayClient(clientConfig(relay.url), { logger: log.logger, fetch: spyFetch });
    await client.lookup('jdoe');
    await rejection(
      createRelayClient(clientConfig(relay.url, { key: 'w'.repeat(40) }), { logger: log.logger, fetch: spyFetch }).lookup('jdoe'),
    );
    expect(log.text()).toContain('relay answered');
    expect(log.text()).not.toContain(KEY);
    for (const signature of sent) expect(log.text()).not.toContain(signature);
  });
});

describe('relay client failures', () => {
  it('says RELAY_UNAVAILABLE when nothing listens', async () => {
    const gone = await rawServer(() => undefined);
    await gone.close();
    const err = await rejection(createRelayClient(clientConfig(gone.url)).lookup('jdoe'));
    expect(err).toBeInstanceOf(RelayUnavailable);
    expect((err as RelayUnavailable).code).toBe('RELAY_UNAVAILABLE');
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('says RELAY_TIMEOUT, with the seconds, when the relay never answers', async () => {
    const silent = await rawServer(() => undefined);
    try {
      const err = await rejection(createRelayClient(clientConfig(silent.url, { timeoutMs: 200 })).lookup('jdoe'));
      expect((err as RelayUnavailable).code).toBe('RELAY_TIMEOUT');
      expect(err.message).toContain('did not answer within 0.2 s');
    } finally {
      await silent.close();
    }
  });

  it.each([
    ['not JSON', 200, 'hello, I am not a relay'],
    ['JSON of the wrong shape', 200, JSON.stringify({ users: 'jdoe', truncated: 'no' })],
    ['an error body that is not the relay’s', 418, JSON.stringify({ message: 'teapot' })],
  ])('says RELAY_BAD_RESPONSE to %s', async (_name, status, body) => {
    const garbage = await rawServer((_req, res) => {
      res.statusCode = status;
      res.end(body);
    });
    try {
      const err = await rejection(createRelayClient(clientConfig(garbage.url)).lookup('jdoe'));
      expect(err).toBeInstanceOf(RelayUnavailable);
      expect((err as RelayUnavailable).code).toBe('RELAY_BAD_RESPONSE');
    } finally {
      await garbage.close();
    }
  });

  it('says RELAY_UNAVAILABLE when a proxy answers 502 without a relay body', async () => {
    const proxy = await rawServer((_req, res) => {
      res.statusCode = 502;
      res.end('<html>Bad Gateway</html>');
    });
    try {
      const err = await rejection(createRelayClient(clientConfig(proxy.url)).health());
      expect((err as RelayUnavailable).code).toBe('RELAY_UNAVAILABLE');
    } finally {
      await proxy.close();
    }
  });

  it.each([
    ['DIRECTORY_CREDENTIALS', 'The domain controller refused the bind (49: invalid credentials).'],
    ['DIRECTORY_TIMEOUT', 'dc1.contoso.com did not answer within 10 s.'],
  ] as const)('passes the directory error %s through with its message', async (code, message) => {
    const relay = await startFixtureRelay(relayConfig(), { logger: silentLogger(), directory: failingDirectory(code, message) });
    try {
      const err = await rejection(createRelayClient(clientConfig(relay.url)).lookup('jdoe'));
      expect(err).toBeInstanceOf(DirectoryError);
      expect((err as DirectoryError).code).toBe(code);
      expect(err.message).toBe(message);
    } finally {
      await relay.close();
    }
  });
});

describe('relay client through Azure Relay', () => {
  it('keeps the hybrid connection path, signs the route path, and adds a SAS token', async () => {
    let seen: { url: string; headers: Headers; body: string } | undefined;
    const fakeFetch: typeof fetch = (input, init) => {
      seen = { url: (input as URL).href, headers: new Headers(init?.headers), body: init?.body as string };
      return Promise.resolve(new Response(JSON.stringify({ users: [], truncated: false }), { status: 200 }));
    };
    const config = clientConfig('https://contoso-relay.servicebus.windows.net/hardmatch', {
      azureRelay: { keyName: 'hardmatch-send', key: 'c2VuZC1rZXktZm9yLXRlc3Rz' },
    });
    await createRelayClient(config, { fetch: fakeFetch }).lookup('jdoe');
    expect(seen?.url).toBe('https://contoso-relay.servicebus.windows.net/hardmatch/v1/lookup');
    const token = seen?.headers.get('ServiceBusAuthorization') ?? '';
    expect(token).toMatch(
      /^SharedAccessSignature sr=http%3A%2F%2Fcontoso-relay\.servicebus\.windows\.net%2Fhardmatch&sig=[^&]+&se=\d+&skn=hardmatch-send$/,
    );
    const headers = Object.fromEntries(seen?.headers.entries() ?? []);
    expect(() =>
      verifyRequest({
        key: KEY,
        request: { method: 'POST', path: '/v1/lookup', body: seen?.body ?? '' },
        headers,
        now: Date.now(),
        nonces: createMemoryNonceStore(),
      }),
    ).not.toThrow();
  });

  it('sends no ServiceBusAuthorization header when the relay is reached directly', async () => {
    let headers: Headers | undefined;
    const fakeFetch: typeof fetch = (_input, init) => {
      headers = new Headers(init?.headers);
      return Promise.resolve(new Response(JSON.stringify({ users: [], truncated: false }), { status: 200 }));
    };
    await createRelayClient(clientConfig('https://relay.contoso.com:7443'), { fetch: fakeFetch }).lookup('jdoe');
    expect(headers?.has('ServiceBusAuthorization')).toBe(false);
    expect(headers?.has(SIGNATURE_HEADERS.signature)).toBe(true);
  });
});

describe('relay client triggerSync', () => {
  const RESULT = { startedAt: '2026-03-05T12:00:00.000Z', finishedAt: '2026-03-05T12:00:02.000Z', detail: 'simulated delta sync' };

  async function withRelay(syncTrigger: SyncTrigger, test: (relay: RunningRelay) => Promise<void>): Promise<void> {
    const relay = await startFixtureRelay(relayConfig(), { logger: silentLogger(), syncTrigger });
    try {
      await test(relay);
    } finally {
      await relay.close();
    }
  }

  it('runs a delta sync through the real relay handler and returns its result and report', async () => {
    const report = { results: [{ samAccountName: 'jdoe', outcome: 'HARD_MATCH', userId: 'u-1' }] };
    await withRelay({ triggerSync: () => Promise.resolve({ ...RESULT, report }) }, async (relay) => {
      const client: SyncTrigger = createRelayClient(clientConfig(relay.url));
      expect(await client.triggerSync()).toEqual({ ...RESULT, report });
    });
  });

  it('runs the configured sync command end to end', async () => {
    const command = syncCommand(`process.stdout.write('Result: Success');`);
    const relay = await startFixtureRelay(relayConfig({ syncCommand: command }), { logger: silentLogger() });
    try {
      const result = await createRelayClient(clientConfig(relay.url)).triggerSync();
      expect(result.detail).toBe('Result: Success');
      expect(Date.parse(result.finishedAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
      expect(result).not.toHaveProperty('report');
    } finally {
      await relay.close();
    }
  });

  it('turns the relay’s SYNC_BUSY into a SyncError with its words', async () => {
    const trigger = controlledSync();
    await withRelay(trigger, async (relay) => {
      const client = createRelayClient(clientConfig(relay.url));
      const first = client.triggerSync();
      await vi.waitFor(() => expect(trigger.started).toBe(1));
      const err = await rejection(client.triggerSync());
      expect(err).toBeInstanceOf(SyncError);
      expect((err as SyncError).code).toBe('SYNC_BUSY');
      expect(err.message).toBe('A delta sync requested through this relay is still running.');
      trigger.finish(RESULT);
      expect(await first).toEqual(RESULT);
    });
  });

  it.each(['SYNC_FAILED', 'SYNC_TIMEOUT'] as const)('passes %s through as a SyncError', async (code) => {
    await withRelay({ triggerSync: () => Promise.reject(new SyncError(code, `the command said ${code}`)) }, async (relay) => {
      const err = await rejection(createRelayClient(clientConfig(relay.url)).triggerSync());
      expect(err).toBeInstanceOf(SyncError);
      expect((err as SyncError).code).toBe(code);
      expect(err.message).toBe(`the command said ${code}`);
    });
  });

  it('is rejected with RELAY_REJECTED when the key is wrong, and runs nothing', async () => {
    const trigger = controlledSync();
    await withRelay(trigger, async (relay) => {
      const err = await rejection(createRelayClient(clientConfig(relay.url, { key: 'w'.repeat(40) })).triggerSync());
      expect((err as RelayUnavailable).code).toBe('RELAY_REJECTED');
      expect(trigger.started).toBe(0);
    });
  });

  it('waits longer than a lookup: its own time limit, named in the timeout message', async () => {
    expect(DEFAULT_SYNC_TIMEOUT_MS).toBeGreaterThan(120_000);
    const trigger = controlledSync();
    await withRelay(trigger, async (relay) => {
      // The lookup limit (50 ms) would have given up long before the sync answers at ~300 ms.
      const client = createRelayClient(clientConfig(relay.url, { timeoutMs: 50 }), { syncTimeoutMs: 5000 });
      const pending = client.triggerSync();
      await vi.waitFor(() => expect(trigger.started).toBe(1));
      await new Promise((resolve) => setTimeout(resolve, 300));
      trigger.finish(RESULT);
      expect(await pending).toEqual(RESULT);
      const slow = createRelayClient(clientConfig(relay.url), { syncTimeoutMs: 200 });
      const err = await rejection(slow.triggerSync());
      expect((err as RelayUnavailable).code).toBe('RELAY_TIMEOUT');
      expect(err.message).toContain('did not answer within 0.2 s');
      trigger.finish(RESULT);
    });
  });

  it('says RELAY_BAD_RESPONSE when the answer is not a sync result', async () => {
    const garbage = await rawServer((_req, res) => {
      res.statusCode = 200;
      res.end(JSON.stringify({ status: 'started' }));
    });
    try {
      const err = await rejection(createRelayClient(clientConfig(garbage.url)).triggerSync());
      expect((err as RelayUnavailable).code).toBe('RELAY_BAD_RESPONSE');
    } finally {
      await garbage.close();
    }
  });

  it('signs POST /v1/sync with a body asking for Delta only', async () => {
    let seen: { url: string; headers: Headers; body: string } | undefined;
    const fakeFetch: typeof fetch = (input, init) => {
      seen = { url: (input as URL).href, headers: new Headers(init?.headers), body: init?.body as string };
      return Promise.resolve(new Response(JSON.stringify({ status: 'completed', ...RESULT }), { status: 200 }));
    };
    await createRelayClient(clientConfig('https://relay.contoso.com:7443'), { fetch: fakeFetch }).triggerSync();
    expect(seen?.url).toBe('https://relay.contoso.com:7443/v1/sync');
    expect(seen?.body).toBe('{"policy":"Delta"}');
    const headers = Object.fromEntries(seen?.headers.entries() ?? []);
    expect(() =>
      verifyRequest({
        key: KEY,
        request: { method: 'POST', path: '/v1/sync', body: '{"policy":"Delta"}' },
        headers,
        now: Date.now(),
        nonces: createMemoryNonceStore(),
      }),
    ).not.toThrow();
  });
});
