import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFixtureDirectory } from '../../../src/sandbox/fixture-directory.ts';
import {
  createRelayListenUri,
  createRelayTokenProvider,
  listenOnHybridConnection,
  loadHyco,
  parseHybridConnectionUrl,
  RELAY_TOKEN_LIFETIME_SECONDS,
  stripPathPrefix,
  type HycoModule,
  type HycoServer,
} from '../../../src/relay/agent/hybrid-connection.ts';
import { createRelayHandler, type RelayHandler } from '../../../src/relay/agent/server.ts';
import { startFixtureRelay } from '../../../src/sandbox/fixture-relay.ts';
import { createMemoryNonceStore } from '../../../src/relay/protocol/signing.ts';
import { captureLogger, KEY, relayConfig, SANDBOX_FIXTURES, signedFetch } from './helpers.ts';

const AZURE = {
  url: 'https://contoso-relay.servicebus.windows.net/hardmatch',
  keyName: 'hardmatch-listen',
  key: 'c2FzLWtleS1mb3ItdGVzdHMtb25seS0wMTIzNDU2Nzg5YWJj',
};

const TOKEN_RE = /^SharedAccessSignature sr=([^&]+)&sig=([^&]+)&se=(\d+)&skn=(.+)$/;

describe('hybrid connection addresses', () => {
  it('builds the listener URI from the hybrid connection URL', () => {
    expect(createRelayListenUri(AZURE.url)).toBe('wss://contoso-relay.servicebus.windows.net:443/$hc/hardmatch?sb-hc-action=listen');
    expect(createRelayListenUri('sb://contoso-relay.servicebus.windows.net/hardmatch/')).toBe(
      'wss://contoso-relay.servicebus.windows.net:443/$hc/hardmatch?sb-hc-action=listen',
    );
  });

  it('agrees with hyco-https on the listener URI', async () => {
    const hyco = (await import('hyco-https')).default;
    expect(createRelayListenUri(AZURE.url)).toBe(hyco.createRelayListenUri('contoso-relay.servicebus.windows.net', 'hardmatch'));
  });

  it('refuses a URL without a hybrid connection name', () => {
    expect(() => parseHybridConnectionUrl('https://contoso-relay.servicebus.windows.net/')).toThrow(/not a hybrid connection URL/);
  });
});

describe('relay token provider', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('issues SharedAccessSignature tokens for the hybrid connection, signed with the key', async () => {
    const hyco = await loadHyco();
    const token = createRelayTokenProvider(hyco, AZURE)();
    const m = TOKEN_RE.exec(token);
    expect(m).not.toBeNull();
    const [, sr = '', sig = '', se = '', skn] = m ?? [];
    expect(decodeURIComponent(sr)).toBe('http://contoso-relay.servicebus.windows.net/hardmatch');
    expect(skn).toBe(AZURE.keyName);
    const expected = createHmac('sha256', AZURE.key).update(`${sr}\n${se}`).digest('base64');
    expect(decodeURIComponent(sig)).toBe(expected);
  });

  it('issues a fresh token on each call that outlives the one-hour renewal interval', async () => {
    const hyco = await loadHyco();
    const provider = createRelayTokenProvider(hyco, AZURE);
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.UTC(2026, 0, 15, 9, 0);
    vi.setSystemTime(start);
    const first = Number(TOKEN_RE.exec(provider())?.[3]);
    expect(first).toBe(start / 1000 + RELAY_TOKEN_LIFETIME_SECONDS);
    expect(RELAY_TOKEN_LIFETIME_SECONDS).toBeGreaterThan(3600);
    vi.setSystemTime(start + 3600_000);
    const renewed = Number(TOKEN_RE.exec(provider())?.[3]);
    expect(renewed).toBe(first + 3600);
  });
});

function fakeRequest(url: string): IncomingMessage {
  return { url } as IncomingMessage;
}

describe('stripPathPrefix', () => {
  it.each([
    ['/hardmatch/v1/lookup', '/v1/lookup'],
    ['/HardMatch/v1/health?probe=1', '/v1/health?probe=1'],
    ['/hardmatch', '/'],
    ['/hardmatch?x=1', '/?x=1'],
    ['/hardmatchx/v1/lookup', '/hardmatchx/v1/lookup'],
    ['/v1/lookup', '/v1/lookup'],
  ])('turns %s into %s', (input, output) => {
    let seen: string | undefined;
    const handler: RelayHandler = (req) => {
      seen = req.url;
    };
    stripPathPrefix('hardmatch', handler)(fakeRequest(input), {} as ServerResponse);
    expect(seen).toBe(output);
  });
});

interface FakeHyco extends HycoModule {
  options?: { server: string; token: () => string };
  listener?: RelayHandler;
  server: HycoServer & EventEmitter & { listening: boolean; closed: boolean };
}

function fakeHyco(real: HycoModule): FakeHyco {
  const server = Object.assign(new EventEmitter(), {
    listening: false,
    closed: false,
    listen() {
      server.listening = true;
    },
    close(cb?: (err?: unknown) => void) {
      server.closed = true;
      cb?.();
    },
  });
  const fake: FakeHyco = {
    server,
    createRelayToken: real.createRelayToken.bind(real),
    createRelayedServer(options, listener) {
      fake.options = options;
      fake.listener = listener;
      return server;
    },
  };
  return fake;
}

describe('listenOnHybridConnection', () => {
  it('wires the same handler, prefix stripped, behind a token provider, and logs without secrets', async () => {
    const hyco = fakeHyco(await loadHyco());
    const log = captureLogger();
    const handler = createRelayHandler({
      directory: createFixtureDirectory(SANDBOX_FIXTURES, { sourceAnchor: 'auto' }),
      key: KEY,
      now: Date.now,
      nonces: createMemoryNonceStore(),
      logger: log.logger,
      sourceAnchor: 'auto',
      version: 'test',
    });
    const listener = await listenOnHybridConnection({ azureRelay: AZURE, handler, logger: log.logger, hyco });
    expect(hyco.options?.server).toBe('wss://contoso-relay.servicebus.windows.net:443/$hc/hardmatch?sb-hc-action=listen');
    expect(hyco.options?.token()).toMatch(TOKEN_RE);
    expect(hyco.server.listening).toBe(true);

    // Play Azure: deliver a request whose path carries the hybrid connection name.
    const http = createServer((req, res) => hyco.listener?.(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const res = await signedFetch(base, { path: '/v1/lookup', sendPath: '/hardmatch/v1/lookup', body: JSON.stringify({ who: 'jdoe' }) });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ users: [{ samAccountName: 'jdoe' }] });
    } finally {
      http.close();
      http.closeAllConnections();
    }

    hyco.server.emit('listening');
    hyco.server.emit('error', { message: 'Unexpected server response: 401' });
    const text = log.text();
    expect(text).toContain('listening on the Azure Relay hybrid connection');
    expect(text).toContain('Unexpected server response: 401');
    expect(text).not.toContain(AZURE.key);
    expect(text).not.toContain('SharedAccessSignature');

    await listener.close();
    expect(hyco.server.closed).toBe(true);
  });

  it('is started by startRelay when Azure Relay is configured, and closed with it', async () => {
    const hyco = fakeHyco(await loadHyco());
    const relay = await startFixtureRelay(relayConfig({ azureRelay: AZURE }), { logger: captureLogger().logger, hyco });
    try {
      expect(hyco.server.listening).toBe(true);
      const local = await signedFetch(relay.url, { method: 'GET', path: '/v1/health' });
      expect(local.status).toBe(200);
    } finally {
      await relay.close();
    }
    expect(hyco.server.closed).toBe(true);
  });

  it('closes what startRelay opened when the hybrid connection cannot be set up', async () => {
    const hyco = fakeHyco(await loadHyco());
    hyco.createRelayedServer = () => {
      throw new TypeError('A token string or function must be provided');
    };
    let closed = false;
    const directory = createFixtureDirectory(SANDBOX_FIXTURES, { sourceAnchor: 'auto' });
    directory.close = () => {
      closed = true;
      return Promise.resolve();
    };
    await expect(
      startFixtureRelay(relayConfig({ azureRelay: AZURE }), { logger: captureLogger().logger, hyco, directory }),
    ).rejects.toThrow(TypeError);
    expect(closed).toBe(true);
  });
});
