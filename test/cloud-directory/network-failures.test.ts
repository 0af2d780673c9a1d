/**
 * A Graph that cannot be reached is worded for an admin on the card: connection refused, DNS, TLS
 * and time-out each say so (mapped from the network's error code in errors.ts), and never show
 * JavaScript's `TypeError` or undici's `fetch failed`. Real failures, through the real client.
 */
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { problemOf } from '../../src/bot/problem-of.ts';
import { errorCard } from '../../src/cards/error-card.ts';
import { createCloudDirectory, staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { networkKind } from '../../src/cloud-directory/errors.ts';
import { createSelfSignedCertificate } from '../../src/sandbox/emulator/tls-certificate.ts';
import { startFrozenServer } from '../support/frozen-server.ts';
import { rejectionOf, silentLogger } from './harness.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** HTTPS with a certificate nobody trusts. */
async function untrustedTls(): Promise<string> {
  const tls = createSelfSignedCertificate(new Date());
  const server: Server = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('{}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function frozen(): Promise<string> {
  const server = await startFrozenServer();
  cleanups.push(() => server.close());
  return server.url;
}

async function cardTextFor(graphBaseUrl: string): Promise<string> {
  const directory = createCloudDirectory({
    graphBaseUrl,
    credential: staticTokenCredential('t'),
    logger: silentLogger,
    graphTimeoutMs: 1_500,
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
  });
  const err = await rejectionOf(directory.findUser('jdoe@contoso.com'));
  return JSON.stringify(errorCard(problemOf(err)));
}

describe('network failures on the card', () => {
  it.each([
    ['connection refused', async () => `https://127.0.0.1:${await freePort()}`, 'the connection was refused'],
    ['DNS failure', () => Promise.resolve('https://graph.hardmatch-test.invalid'), 'could not be resolved (DNS)'],
    ['TLS failure', untrustedTls, 'the TLS connection failed'],
    ['time-out', frozen, '(timed out)'],
  ])("%s: in the admin's words, without TypeError or fetch failed", { timeout: 15_000 }, async (_name, url, words) => {
    const text = await cardTextFor(await url());
    expect(text).toContain('Microsoft Graph could not be reached');
    expect(text).toContain(words);
    expect(text).not.toContain('TypeError');
    expect(text).not.toContain('fetch failed');
  });

  it('maps the network error codes to kinds', () => {
    expect(['ECONNREFUSED'].map(networkKind)).toEqual(['refused']);
    expect(['ENOTFOUND', 'EAI_AGAIN'].map(networkKind)).toEqual(['dns', 'dns']);
    expect(
      ['CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID'].map(
        networkKind,
      ),
    ).toEqual(['tls', 'tls', 'tls', 'tls']);
    expect(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'TimeoutError', 'ETIMEDOUT'].map(networkKind)).toEqual([
      'timeout',
      'timeout',
      'timeout',
      'timeout',
    ]);
    expect(['UND_ERR_SOCKET', 'ECONNRESET'].map(networkKind)).toEqual(['reset', 'reset']);
    expect(['TypeError', 'UNKNOWN'].map(networkKind)).toEqual(['other', 'other']);
  });
});
