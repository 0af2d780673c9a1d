import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { DirectoryError, SyncError } from '../../../src/errors/index.ts';
import type { Directory } from '../../../src/relay/agent/directory.ts';
import { createFixtureDirectory } from '../../../src/sandbox/fixture-directory.ts';
import { createRelayHandler, MAX_BODY_BYTES } from '../../../src/relay/agent/server.ts';
import { createCommandSyncTrigger } from '../../../src/relay/agent/sync-command.ts';
import {
  healthResponseSchema,
  lookupResponseSchema,
  MAX_SYNC_DETAIL_CHARS,
  syncResponseSchema,
} from '../../../src/relay/protocol/protocol.ts';
import { createMemoryNonceStore, SIGNATURE_HEADERS, signRequest } from '../../../src/relay/protocol/signing.ts';
import type { SyncTrigger } from '../../../src/ports/sync-trigger.ts';
import {
  captureLogger,
  controlledSync,
  KEY,
  SANDBOX_FIXTURES,
  signedFetch,
  silentLogger,
  syncCommand,
  type CapturedLog,
  noPages,
} from './helpers.ts';

const NOW = Date.UTC(2026, 0, 15, 9, 30);
const MINUTE = 60_000;

interface Harness {
  url: string;
  directory: Directory;
  log: CapturedLog;
  close(): Promise<void>;
}

async function serve(directory: Directory, syncTrigger?: SyncTrigger): Promise<Harness> {
  const log = captureLogger();
  const handler = createRelayHandler({
    directory,
    key: KEY,
    now: () => NOW,
    nonces: createMemoryNonceStore(),
    logger: log.logger,
    sourceAnchor: 'auto',
    version: '9.9.9-test',
    ...(syncTrigger ? { syncTrigger } : {}),
  });
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    directory,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function failingDirectory(err: Error): Directory {
  return {
    kind: 'ldap',
    users: noPages,
    lookup: () => Promise.reject(err),
    check: () => Promise.reject(err),
    close: () => Promise.resolve(),
  };
}

const lookupBody = (who: string, limit?: number): string => JSON.stringify(limit === undefined ? { who } : { who, limit });

describe('relay handler over real HTTP (fixture directory)', () => {
  let h: Harness;
  let lookupSpy: MockInstance<Directory['lookup']>;

  beforeAll(async () => {
    h = await serve(createFixtureDirectory(SANDBOX_FIXTURES, { sourceAnchor: 'auto' }));
    lookupSpy = vi.spyOn(h.directory, 'lookup');
  });
  afterAll(() => h.close());
  afterEach(() => lookupSpy.mockClear());

  it('answers a signed lookup with the user', async () => {
    const res = await signedFetch(h.url, { path: '/v1/lookup', body: lookupBody('jdoe'), now: NOW });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = lookupResponseSchema.parse(res.json);
    expect(body.truncated).toBe(false);
    expect(body.users.map((u) => u.samAccountName)).toEqual(['jdoe']);
    expect(body.users[0]?.anchor.immutableId).toBe('3HjiBBIFx02rIhVtmcNDyg==');
  });

  it('honours the limit and reports truncation', async () => {
    const res = await signedFetch(h.url, { path: '/v1/lookup', body: lookupBody('shared@contoso.com', 1), now: NOW });
    const body = lookupResponseSchema.parse(res.json);
    expect(body.users).toHaveLength(1);
    expect(body.truncated).toBe(true);
  });

  it('answers a signed health check', async () => {
    const res = await signedFetch(h.url, { method: 'GET', path: '/v1/health', now: NOW });
    expect(res.status).toBe(200);
    expect(healthResponseSchema.parse(res.json)).toEqual({
      status: 'ok',
      directory: 'fixtures',
      sourceAnchor: 'auto',
      version: '9.9.9-test',
    });
  });

  const refusals: [string, Parameters<typeof signedFetch>[1]][] = [
    ['signed 6 minutes ago', { path: '/v1/lookup', body: lookupBody('jdoe'), now: NOW - 6 * MINUTE }],
    ['signed 6 minutes in the future', { path: '/v1/lookup', body: lookupBody('jdoe'), now: NOW + 6 * MINUTE }],
    ['a body other than the one signed', { path: '/v1/lookup', body: lookupBody('jdoe'), sendBody: lookupBody('asmith'), now: NOW }],
    ['a path other than the one signed', { path: '/v1/lookup?x=1', sendPath: '/v1/lookup', body: lookupBody('jdoe'), now: NOW }],
    ['the wrong key', { path: '/v1/lookup', body: lookupBody('jdoe'), key: 'x'.repeat(40), now: NOW }],
    ['no signature headers', { path: '/v1/lookup', body: lookupBody('jdoe'), unsigned: true, now: NOW }],
  ];

  it.each(refusals)('refuses a request %s with 401 and looks nothing up', async (_name, options) => {
    const res = await signedFetch(h.url, options);
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: 'REQUEST_UNAUTHENTICATED' } });
    expect(lookupSpy).not.toHaveBeenCalled();
  });

  it('refuses a replayed request', async () => {
    const options = { path: '/v1/lookup', body: lookupBody('jdoe'), now: NOW, nonce: 'replayed-nonce-0123456789' };
    expect((await signedFetch(h.url, options)).status).toBe(200);
    const replay = await signedFetch(h.url, options);
    expect(replay.status).toBe(401);
    expect(replay.json).toMatchObject({ error: { message: expect.stringContaining('replay') as unknown } });
    expect(lookupSpy).toHaveBeenCalledTimes(1);
  });

  /** Sends raw header lines (an array value repeats the header), as node:http writes them. */
  function rawPost(path: string, body: string, headers: Record<string, string | string[]>): Promise<number> {
    const { hostname, port } = new URL(h.url);
    return new Promise((resolve, reject) => {
      const req = request({ hostname, port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      });
      req.once('error', reject);
      req.end(body);
    });
  }

  const duplicates: [string, (signed: Record<string, string>) => Record<string, string | string[]>][] = [
    ['a second, empty signature header', (s) => ({ ...s, [SIGNATURE_HEADERS.signature]: [s[SIGNATURE_HEADERS.signature] ?? '', ''] })],
    [
      'the signature header twice',
      (s) => ({ ...s, [SIGNATURE_HEADERS.signature]: [s[SIGNATURE_HEADERS.signature] ?? '', s[SIGNATURE_HEADERS.signature] ?? ''] }),
    ],
    [
      'the timestamp header twice',
      (s) => ({ ...s, [SIGNATURE_HEADERS.timestamp]: [s[SIGNATURE_HEADERS.timestamp] ?? '', s[SIGNATURE_HEADERS.timestamp] ?? ''] }),
    ],
    [
      'the nonce header twice',
      (s) => ({ ...s, [SIGNATURE_HEADERS.nonce]: [s[SIGNATURE_HEADERS.nonce] ?? '', s[SIGNATURE_HEADERS.nonce] ?? ''] }),
    ],
  ];

  it.each(duplicates)('refuses a correctly signed request carrying %s with 401', async (_name, duplicate) => {
    const body = lookupBody('jdoe');
    const signed = signRequest(KEY, { method: 'POST', path: '/v1/lookup', body }, NOW);
    expect(await rawPost('/v1/lookup', body, duplicate(signed))).toBe(401);
    expect(lookupSpy).not.toHaveBeenCalled();
    // The same request sent once, as signed, is accepted: only the duplicate was wrong.
    expect(await rawPost('/v1/lookup', body, signed)).toBe(200);
  });

  const junk: [string, (signature: string) => string][] = [
    ['a trailing ", "', (s) => `${s}, `],
    ['characters outside base64url in the middle', (s) => `${s.slice(0, 10)}!*${s.slice(10)}`],
    ['standard base64 padding', (s) => `${s}=`],
    ['a second signature after a comma', (s) => `${s},${s}`],
    ['standard base64 instead of base64url', (s) => Buffer.from(s, 'base64url').toString('base64').replace(/=+$/, '')],
  ];

  it.each(junk)('refuses a signature with %s with 401', async (_name, spoil) => {
    const body = lookupBody('jdoe');
    let signed = signRequest(KEY, { method: 'POST', path: '/v1/lookup', body }, NOW);
    // A signature whose base64url form differs from its standard base64 form, so the last case tests something.
    for (let i = 0; !/[+/]/.test(Buffer.from(signed[SIGNATURE_HEADERS.signature] ?? '', 'base64url').toString('base64')); i += 1) {
      signed = signRequest(KEY, { method: 'POST', path: '/v1/lookup', body }, NOW, `junk-test-nonce-${String(i).padStart(4, '0')}`);
    }
    const headers = { ...signed, [SIGNATURE_HEADERS.signature]: spoil(signed[SIGNATURE_HEADERS.signature] ?? '') };
    expect(await rawPost('/v1/lookup', body, headers)).toBe(401);
    expect(lookupSpy).not.toHaveBeenCalled();
  });

  it('logs a refusal with its reason and origin, never the key, signature or body', async () => {
    const body = lookupBody('secret-who-value');
    const headers = signRequest('y'.repeat(40), { method: 'POST', path: '/v1/lookup', body }, NOW);
    const res = await fetch(`${h.url}/v1/lookup`, { method: 'POST', headers, body });
    expect(res.status).toBe(401);
    const entry = h.log.entries().find((e) => e.reason === 'bad-signature');
    expect(entry).toMatchObject({ level: 40, method: 'POST', path: '/v1/lookup', remoteAddress: '127.0.0.1' });
    const text = h.log.text();
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('y'.repeat(40));
    expect(text).not.toContain(headers[SIGNATURE_HEADERS.signature]);
    expect(text).not.toContain('secret-who-value');
  });

  it('tells a skewed clock from a wrong key in the 401 body and the log, still without secrets', async () => {
    const body = lookupBody('jdoe');
    const late = await signedFetch(h.url, { path: '/v1/lookup', body, now: NOW - 7 * MINUTE });
    expect(late.status).toBe(401);
    expect(late.json).toMatchObject({
      error: { code: 'REQUEST_UNAUTHENTICATED', message: expect.stringContaining("420 s behind the relay's clock") as unknown },
    });
    const wrongKey = await signedFetch(h.url, { path: '/v1/lookup', body, now: NOW, key: 'z'.repeat(40) });
    expect(wrongKey.json).toMatchObject({ error: { message: 'Request signature does not match (wrong key or altered request).' } });
    expect(h.log.entries().find((e) => e.reason === 'stale')).toMatchObject({
      level: 40,
      problem: expect.stringContaining("the bot's clock is slow") as unknown,
    });
    expect(h.log.entries().find((e) => e.reason === 'bad-signature')).toMatchObject({
      problem: expect.stringContaining('wrong key') as unknown,
    });
    expect(h.log.text()).not.toContain(KEY);
    expect(h.log.text()).not.toContain('z'.repeat(40));
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const body = JSON.stringify({ who: 'jdoe', pad: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await signedFetch(h.url, { path: '/v1/lookup', body, now: NOW });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ error: { code: 'INPUT_TOO_LONG' } });
    expect(lookupSpy).not.toHaveBeenCalled();
  });

  it.each([
    ['not JSON', '{"who": ', 'INPUT_INVALID', /not valid JSON/],
    ['the wrong type', JSON.stringify({ who: 5 }), 'INPUT_INVALID', /who/],
    ['an unknown field', JSON.stringify({ who: 'jdoe', filter: '(objectClass=*)' }), 'INPUT_INVALID', /malformed/],
    ['a limit above the maximum', JSON.stringify({ who: 'jdoe', limit: 51 }), 'INPUT_INVALID', /limit/],
    ['a who with spaces', lookupBody('john doe'), 'INPUT_INVALID', /has spaces/],
    ['a malformed GUID', lookupBody('{96dcc383-2f6e-4fa2-af15-6b4c1119259a'), 'ANCHOR_MALFORMED', /braces/],
  ])('answers 400 to a signed body with %s', async (_name, body, code, message) => {
    const res = await signedFetch(h.url, { path: '/v1/lookup', body, now: NOW });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code, message: expect.stringMatching(message) as unknown } });
    expect(lookupSpy).not.toHaveBeenCalled();
  });

  it.each([
    ['plainuser\u0000*', 'U+0000 (NUL) at position 10'],
    ['obrien\u0000x', 'U+0000 (NUL) at position 7'],
    ['jd\noe', 'U+000A (line feed) at position 3'],
    ['jdoe\u007f', 'U+007F at position 5'],
    ['CN=John Doe\u0085,OU=Staff,DC=contoso,DC=com', 'U+0085 at position 12'],
  ])('answers 400 INPUT_INVALID to who %j, naming the control character without echoing it', async (who, named) => {
    const res = await signedFetch(h.url, { path: '/v1/lookup', body: lookupBody(who), now: NOW });
    expect(res.status).toBe(400);
    const { error } = res.json as { error: { code: string; message: string } };
    expect(error).toEqual({
      code: 'INPUT_INVALID',
      message: expect.stringContaining(`The lookup request is malformed: who: contains the control character ${named}`) as unknown,
    });
    expect([...error.message].filter((ch) => /\p{Cc}/u.test(ch))).toEqual([]);
    expect(lookupSpy).not.toHaveBeenCalled();
  });

  it('trims a line break or tab around who, as the bot does', async () => {
    const res = await signedFetch(h.url, { path: '/v1/lookup', body: lookupBody('\tjdoe\r\n'), now: NOW });
    expect(res.status).toBe(200);
    expect(lookupResponseSchema.parse(res.json).users.map((u) => u.samAccountName)).toEqual(['jdoe']);
  });

  it('answers 404 to an unknown route, but only once the request is authenticated', async () => {
    expect((await signedFetch(h.url, { method: 'GET', path: '/v1/users', now: NOW })).status).toBe(404);
    expect((await signedFetch(h.url, { method: 'GET', path: '/v1/users', now: NOW, unsigned: true })).status).toBe(401);
  });

  it('answers 405 to the wrong method, naming the right one', async () => {
    const res = await signedFetch(h.url, { method: 'GET', path: '/v1/lookup', now: NOW });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('relay handler when the directory fails', () => {
  it.each([
    ['DIRECTORY_CREDENTIALS', 502],
    ['DIRECTORY_UNREACHABLE', 502],
    ['DIRECTORY_TIMEOUT', 504],
  ] as const)('maps %s to %i with the code and message', async (code, status) => {
    const h = await serve(failingDirectory(new DirectoryError(code, 'The domain controller said no.')));
    try {
      const res = await signedFetch(h.url, { path: '/v1/lookup', body: lookupBody('jdoe'), now: NOW });
      expect(res.status).toBe(status);
      expect(res.json).toEqual({ error: { code, message: 'The domain controller said no.' } });
    } finally {
      await h.close();
    }
  });

  it('answers 500 with a generic message to an unexpected error, and logs it', async () => {
    const h = await serve(failingDirectory(new Error('socket exploded at 10.0.0.5')));
    try {
      const res = await signedFetch(h.url, { path: '/v1/lookup', body: lookupBody('jdoe'), now: NOW });
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({ error: { code: 'INTERNAL' } });
      expect(JSON.stringify(res.json)).not.toContain('10.0.0.5');
      expect(h.log.entries().some((e) => e.level === 50 && JSON.stringify(e).includes('socket exploded'))).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('reports a failing directory in the health answer', async () => {
    const h = await serve(failingDirectory(new DirectoryError('DIRECTORY_TLS', 'Certificate not trusted.')));
    try {
      const res = await signedFetch(h.url, { method: 'GET', path: '/v1/health', now: NOW });
      expect(res.status).toBe(200);
      expect(healthResponseSchema.parse(res.json)).toMatchObject({
        status: 'failing',
        directory: 'ldap',
        problem: { code: 'DIRECTORY_TLS', message: 'Certificate not trusted.' },
      });
    } finally {
      await h.close();
    }
  });
});

describe('relay handler: POST /v1/sync', () => {
  const DELTA = JSON.stringify({ policy: 'Delta' });
  const RESULT = { startedAt: '2026-01-15T09:30:00.000Z', finishedAt: '2026-01-15T09:30:04.000Z', detail: 'Result\n------\nSuccess' };
  const sync = (h: Harness, options: Partial<Parameters<typeof signedFetch>[1]> = {}): ReturnType<typeof signedFetch> =>
    signedFetch(h.url, { path: '/v1/sync', body: DELTA, now: NOW, ...options });
  const fixtures = (): Directory => createFixtureDirectory(SANDBOX_FIXTURES, { sourceAnchor: 'auto' });

  async function withRelay(trigger: SyncTrigger | undefined, test: (h: Harness) => Promise<void>): Promise<void> {
    const h = await serve(fixtures(), trigger);
    try {
      await test(h);
    } finally {
      await h.close();
    }
  }

  it('runs one delta sync for a signed request and answers completed, with the report', async () => {
    const report = { results: [{ samAccountName: 'jdoe', outcome: 'HARD_MATCH' }] };
    let runs = 0;
    const trigger: SyncTrigger = {
      triggerSync: () => {
        runs += 1;
        return Promise.resolve({ ...RESULT, report });
      },
    };
    await withRelay(trigger, async (h) => {
      const res = await sync(h);
      expect(res.status).toBe(200);
      expect(syncResponseSchema.parse(res.json)).toEqual({ status: 'completed', ...RESULT, report });
      expect(runs).toBe(1);
      const messages = h.log.entries().map((e) => e.msg);
      expect(messages).toEqual(expect.arrayContaining(['delta sync starting', 'delta sync completed']));
      expect(h.log.text()).not.toContain(KEY);
    });
  });

  it.each([
    ['unsigned', { unsigned: true }],
    ['signed with the wrong key', { key: 'z'.repeat(40) }],
    ['whose body differs from the one signed', { sendBody: JSON.stringify({ policy: 'Initial' }) }],
  ])('refuses a sync request %s with 401 and runs nothing', async (_name, options) => {
    const trigger = controlledSync();
    await withRelay(trigger, async (h) => {
      const res = await sync(h, options);
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ error: { code: 'REQUEST_UNAUTHENTICATED' } });
      expect(trigger.started).toBe(0);
    });
  });

  it.each([
    ['another policy', JSON.stringify({ policy: 'Initial' }), /policy/],
    ['a command of its own', JSON.stringify({ policy: 'Delta', command: 'Remove-ADUser jdoe' }), /malformed/],
    ['no body', '', /not valid JSON/],
  ])('answers 400 to a signed sync request with %s and runs nothing', async (_name, body, message) => {
    const trigger = controlledSync();
    await withRelay(trigger, async (h) => {
      const res = await sync(h, { body });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'INPUT_INVALID', message: expect.stringMatching(message) as unknown } });
      expect(trigger.started).toBe(0);
    });
  });

  it('answers SYNC_BUSY to a second request while one runs, and runs again once it is done', async () => {
    const trigger = controlledSync();
    await withRelay(trigger, async (h) => {
      const first = sync(h);
      await vi.waitFor(() => expect(trigger.started).toBe(1));
      const second = await sync(h);
      expect(second.status).toBe(409);
      expect(second.json).toEqual({ error: { code: 'SYNC_BUSY', message: 'A delta sync requested through this relay is still running.' } });
      expect(trigger.started).toBe(1);
      trigger.finish(RESULT);
      expect((await first).status).toBe(200);
      const third = sync(h);
      await vi.waitFor(() => expect(trigger.started).toBe(2));
      trigger.finish(new SyncError('SYNC_FAILED', 'Import-Module failed.'));
      expect((await third).status).toBe(502);
      // A failed run releases the lock too.
      const fourth = sync(h);
      await vi.waitFor(() => expect(trigger.started).toBe(3));
      trigger.finish(RESULT);
      expect((await fourth).status).toBe(200);
    });
  });

  it.each([
    ['SYNC_BUSY', 409],
    ['SYNC_FAILED', 502],
    ['SYNC_TIMEOUT', 504],
  ] as const)('maps the trigger’s %s to HTTP %i with its words', async (code, status) => {
    const trigger: SyncTrigger = { triggerSync: () => Promise.reject(new SyncError(code, `words for ${code}`)) };
    await withRelay(trigger, async (h) => {
      const res = await sync(h);
      expect(res.status).toBe(status);
      expect(res.json).toEqual({ error: { code, message: `words for ${code}` } });
      expect(h.log.entries()).toContainEqual(expect.objectContaining({ level: 40, msg: 'delta sync failed', code }));
    });
  });

  it('answers 500 without internals when the trigger fails unexpectedly', async () => {
    const trigger: SyncTrigger = { triggerSync: () => Promise.reject(new Error('ADSync service at 10.1.2.3 crashed')) };
    await withRelay(trigger, async (h) => {
      const res = await sync(h);
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({ error: { code: 'INTERNAL' } });
      expect(JSON.stringify(res.json)).not.toContain('10.1.2.3');
    });
  });

  it('cuts an over-long detail to the protocol limit', async () => {
    const trigger: SyncTrigger = { triggerSync: () => Promise.resolve({ ...RESULT, detail: 'd'.repeat(MAX_SYNC_DETAIL_CHARS + 500) }) };
    await withRelay(trigger, async (h) => {
      const body = syncResponseSchema.parse((await sync(h)).json);
      expect(body.detail).toHaveLength(MAX_SYNC_DETAIL_CHARS);
      expect(body.detail.endsWith('…')).toBe(true);
    });
  });

  it('says SYNC_FAILED when the relay has no sync configured', async () => {
    await withRelay(undefined, async (h) => {
      const res = await sync(h);
      expect(res.status).toBe(502);
      expect(res.json).toEqual({ error: { code: 'SYNC_FAILED', message: 'This relay agent has no delta sync configured.' } });
    });
  });

  it('accepts POST only', async () => {
    await withRelay(controlledSync(), async (h) => {
      const res = await signedFetch(h.url, { method: 'GET', path: '/v1/sync', now: NOW });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    });
  });

  it('answers a failing sync command with SYNC_FAILED and its exit code', async () => {
    const command = syncCommand(`process.stderr.write('Start-ADSyncSyncCycle : Access is denied.'); process.exit(1);`);
    await withRelay(createCommandSyncTrigger({ command, logger: silentLogger() }), async (h) => {
      const res = await sync(h);
      expect(res.status).toBe(502);
      expect(res.json).toEqual({
        error: {
          code: 'SYNC_FAILED',
          message: 'The sync command (node) failed with exit code 1: Start-ADSyncSyncCycle : Access is denied.',
        },
      });
    });
  });

  it('answers a sync command that outruns its time limit with SYNC_TIMEOUT', async () => {
    const command = syncCommand(`setTimeout(() => undefined, 30000);`);
    await withRelay(createCommandSyncTrigger({ command, logger: silentLogger(), timeoutMs: 250 }), async (h) => {
      const res = await sync(h);
      expect(res.status).toBe(504);
      expect(res.json).toEqual({
        error: { code: 'SYNC_TIMEOUT', message: 'The sync command (node) did not finish within 0.3 s and was stopped.' },
      });
    });
  });
});
