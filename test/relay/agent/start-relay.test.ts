import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DirectoryError } from '../../../src/errors/index.ts';
import type { Directory } from '../../../src/relay/agent/directory.ts';
import { startFixtureRelay } from '../../../src/sandbox/fixture-relay.ts';
import type { SyncTrigger } from '../../../src/ports/sync-trigger.ts';
import { signRequest } from '../../../src/relay/protocol/signing.ts';
import { captureLogger, KEY, relayConfig, signedFetch, syncCommand, noPages } from './helpers.ts';

/** A throw-away self-signed certificate for 127.0.0.1, made with openssl for this test run only. */
function makeCertificate(): { certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hardmatch-tls-'));
  const certFile = join(dir, 'relay.crt');
  const keyFile = join(dir, 'relay.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}

function httpsHealth(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  const headers = signRequest(KEY, { method: 'GET', path: '/v1/health', body: '' }, Date.now());
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/health`, { method: 'GET', headers, ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startRelay', () => {
  it('listens on a free port, logs its URL and directory kind, and closes', async () => {
    const log = captureLogger();
    const relay = await startFixtureRelay(relayConfig(), { logger: log.logger });
    expect(relay.port).toBeGreaterThan(0);
    expect(relay.url).toBe(`http://127.0.0.1:${relay.port}`);
    const res = await signedFetch(relay.url, { path: '/v1/lookup', body: JSON.stringify({ who: 'lmatched' }) });
    expect(res.status).toBe(200);
    expect(log.entries()).toContainEqual(
      expect.objectContaining({ msg: 'hardmatch-relay listening', url: relay.url, directory: 'fixtures' }),
    );
    expect(log.entries()).toContainEqual(expect.objectContaining({ msg: 'directory check passed' }));
    expect(log.text()).not.toContain(KEY);
    await relay.close();
    await expect(fetch(`${relay.url}/v1/health`)).rejects.toThrow();
  });

  it('serves HTTPS when TLS files are configured', async () => {
    const tls = makeCertificate();
    const relay = await startFixtureRelay(relayConfig({ tls }), { logger: captureLogger().logger });
    try {
      expect(relay.url).toBe(`https://127.0.0.1:${relay.port}`);
      const res = await httpsHealth(relay.url, readFileSync(tls.certFile));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ status: 'ok', directory: 'fixtures' });
    } finally {
      await relay.close();
    }
  });

  it('names RELAY_TLS_CERT_FILE when the certificate cannot be read, and closes the directory', async () => {
    let closed = false;
    const directory: Directory = {
      kind: 'fixtures',
      users: noPages,
      lookup: () => Promise.resolve({ users: [], truncated: false }),
      check: () => Promise.resolve(),
      close: () => {
        closed = true;
        return Promise.resolve();
      },
    };
    const config = relayConfig({ tls: { certFile: '/nonexistent/relay.crt', keyFile: '/nonexistent/relay.key' } });
    const err = await startFixtureRelay(config, { logger: captureLogger().logger, directory }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(['RELAY_TLS_CERT_FILE: cannot read /nonexistent/relay.crt (ENOENT)']);
    expect(closed).toBe(true);
  });

  it('names RELAY_PORT when the port is taken', async () => {
    const first = await startFixtureRelay(relayConfig(), { logger: captureLogger().logger });
    try {
      const err = await startFixtureRelay(relayConfig({ port: first.port }), { logger: captureLogger().logger }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems[0]).toBe(`RELAY_PORT: 127.0.0.1:${first.port} is already in use by another program`);
    } finally {
      await first.close();
    }
  });

  it('keeps serving, with a warning, when the directory check fails at start', async () => {
    const log = captureLogger();
    const directory: Directory = {
      kind: 'ldap',
      users: noPages,
      lookup: () => Promise.reject(new DirectoryError('DIRECTORY_UNREACHABLE', 'dc1.contoso.com:636 refused the connection.')),
      check: () => Promise.reject(new DirectoryError('DIRECTORY_UNREACHABLE', 'dc1.contoso.com:636 refused the connection.')),
      close: () => Promise.resolve(),
    };
    const relay = await startFixtureRelay(relayConfig(), { logger: log.logger, directory });
    try {
      expect(log.entries()).toContainEqual(expect.objectContaining({ level: 40, code: 'DIRECTORY_UNREACHABLE' }));
      const res = await signedFetch(relay.url, { method: 'GET', path: '/v1/health' });
      expect(res.json).toMatchObject({ status: 'failing', problem: { code: 'DIRECTORY_UNREACHABLE' } });
    } finally {
      await relay.close();
    }
  });

  it('runs SYNC_COMMAND for a signed POST /v1/sync', async () => {
    const command = syncCommand(`process.stdout.write('Result\\n------\\nSuccess ' + process.argv[2]);`, 'Delta');
    const relay = await startFixtureRelay(relayConfig({ syncCommand: command }), { logger: captureLogger().logger });
    try {
      const res = await signedFetch(relay.url, { path: '/v1/sync', body: JSON.stringify({ policy: 'Delta' }) });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ status: 'completed', detail: 'Result\n------\nSuccess Delta' });
    } finally {
      await relay.close();
    }
  });

  it('uses an injected sync trigger instead of the command', async () => {
    const trigger: SyncTrigger = {
      triggerSync: () =>
        Promise.resolve({
          startedAt: '2026-01-01T00:00:00.000Z',
          finishedAt: '2026-01-01T00:00:01.000Z',
          detail: 'simulated',
          report: { runs: 1 },
        }),
    };
    const relay = await startFixtureRelay(relayConfig({ syncCommand: '/nonexistent/powershell.exe' }), {
      logger: captureLogger().logger,
      syncTrigger: trigger,
    });
    try {
      const res = await signedFetch(relay.url, { path: '/v1/sync', body: JSON.stringify({ policy: 'Delta' }) });
      expect(res.json).toEqual({
        status: 'completed',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:01.000Z',
        detail: 'simulated',
        report: { runs: 1 },
      });
    } finally {
      await relay.close();
    }
  });

  it('refuses to start with a malformed SYNC_COMMAND, naming it', async () => {
    const err = await startFixtureRelay(relayConfig({ syncCommand: 'powershell.exe -Command "Start-ADSyncSyncCycle' }), {
      logger: captureLogger().logger,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(['SYNC_COMMAND: a " quote is not closed']);
  });
});
