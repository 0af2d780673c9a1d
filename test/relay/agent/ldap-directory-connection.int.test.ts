/**
 * How the LDAP directory fails (each misconfiguration → its own DirectoryError code) and how it
 * holds its connection (one bind reused, a dropped socket replaced), against the Samba test DC.
 */
import { createServer, type Server, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { Client } from 'ldapts';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { LdapConfig } from '../../../src/config/load-relay-config.ts';
import { classifyWho } from '../../../src/domain/who.ts';
import { DirectoryError } from '../../../src/errors/index.ts';
import { createLogger, type Logger } from '../../../src/logging/logger.ts';
import type { Directory } from '../../../src/relay/agent/directory.ts';
import { createLdapDirectory, type LdapClientFactory } from '../../../src/relay/agent/ldap-directory.ts';
import { ldapConfigFor } from '../../support/samba.ts';

const samba = inject('samba');

const open: Directory[] = [];
function directoryFor(config: LdapConfig, clientFactory?: LdapClientFactory, logger?: Logger): Directory {
  const directory = createLdapDirectory(config, {
    sourceAnchor: 'auto',
    ...(clientFactory ? { clientFactory } : {}),
    ...(logger ? { logger } : {}),
  });
  open.push(directory);
  return directory;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

async function failure(promise: Promise<unknown>): Promise<DirectoryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DirectoryError);
  return err as DirectoryError;
}

/** A TCP port that accepts connections and never says a word (a black-holed LDAPS endpoint). */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sockets };
}

async function freePort(): Promise<number> {
  const { server, port } = await silentServer();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Real ldapts clients, counted, with their TLS sockets within reach so a test can cut one. */
function spyingFactory() {
  const stats = { clients: 0, binds: 0, sockets: [] as tls.TLSSocket[], cutOnNextSearch: false };
  const factory: LdapClientFactory = (options) => {
    stats.clients += 1;
    const createSecureConnection = ((port: number, host: string, opts: tls.ConnectionOptions) => {
      const socket = tls.connect(port, host, opts);
      stats.sockets.push(socket);
      return socket;
    }) as typeof tls.connect;
    const client = new Client({ ...options, createSecureConnection });
    const bind = client.bind.bind(client);
    vi.spyOn(client, 'bind').mockImplementation((...args) => {
      stats.binds += 1;
      return bind(...args);
    });
    const search = client.search.bind(client);
    vi.spyOn(client, 'search').mockImplementation((...args) => {
      const pending = search(...args);
      if (stats.cutOnNextSearch) {
        // The request is on its way; the connection dies before the answer can come back.
        stats.cutOnNextSearch = false;
        stats.sockets.at(-1)?.destroy();
      }
      return pending;
    });
    return client;
  };
  return { stats, factory };
}

describe.skipIf(!samba)('LDAP directory against Samba AD: failures', () => {
  const ctx = samba!;

  it('a wrong password is DIRECTORY_CREDENTIALS, and the message never shows it', async () => {
    const wrong = 'Not-The-Password-42!';
    const directory = directoryFor(ldapConfigFor(ctx, { bindPassword: wrong }));
    const err = await failure(directory.check());
    expect(err.code).toBe('DIRECTORY_CREDENTIALS');
    expect(err.message).toContain(ctx.bindDn);
    expect(err.message).not.toContain(wrong);
    expect((await failure(directory.lookup(classifyWho('jdoe'), 10))).code).toBe('DIRECTORY_CREDENTIALS');
  });

  it('a base DN that does not exist is DIRECTORY_BASE_DN, for check() and for a lookup', async () => {
    for (const baseDn of ['OU=Missing,DC=contoso,DC=test', 'DC=fabrikam,DC=test']) {
      const directory = directoryFor(ldapConfigFor(ctx, { baseDn }));
      const err = await failure(directory.check());
      expect(err.code, baseDn).toBe('DIRECTORY_BASE_DN');
      expect(err.message).toContain(baseDn);
      expect((await failure(directory.lookup(classifyWho('jdoe'), 10))).code).toBe('DIRECTORY_BASE_DN');
    }
  });

  it('without LDAP_CA_FILE the test CA is not trusted: DIRECTORY_TLS', async () => {
    const err = await failure(directoryFor(ldapConfigFor(ctx, { caFile: undefined })).check());
    expect(err.code).toBe('DIRECTORY_TLS');
    expect(err.message).toContain('LDAP_CA_FILE is not set');
  });

  it('an unreadable LDAP_CA_FILE is DIRECTORY_TLS naming the file', async () => {
    const err = await failure(directoryFor(ldapConfigFor(ctx, { caFile: '/nonexistent/ca.pem' })).check());
    expect(err.code).toBe('DIRECTORY_TLS');
    expect(err.message).toContain('/nonexistent/ca.pem');
  });

  it('an address the certificate does not name is DIRECTORY_TLS (host name is verified)', async () => {
    // Samba also listens on ::1; the certificate names only localhost and 127.0.0.1.
    const err = await failure(directoryFor(ldapConfigFor(ctx, { url: 'ldaps://[::1]:636' })).check());
    expect(err.code).toBe('DIRECTORY_TLS');
    expect(err.message).toContain('does not name that host');
  });

  it('a port nobody listens on is DIRECTORY_UNREACHABLE', async () => {
    const port = await freePort();
    const err = await failure(directoryFor(ldapConfigFor(ctx, { url: `ldaps://127.0.0.1:${port}` })).check());
    expect(err.code).toBe('DIRECTORY_UNREACHABLE');
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it('a host name that does not resolve is DIRECTORY_DNS', async () => {
    const err = await failure(directoryFor(ldapConfigFor(ctx, { url: 'ldaps://dc1.hardmatch.invalid:636' })).check());
    expect(err.code).toBe('DIRECTORY_DNS');
    expect(err.message).toContain('dc1.hardmatch.invalid');
  });

  it('a server that accepts TCP but never answers is DIRECTORY_TIMEOUT after LDAP_CONNECT_TIMEOUT_MS', async () => {
    const { server, port, sockets } = await silentServer();
    try {
      const config = ldapConfigFor(ctx, { url: `ldaps://127.0.0.1:${port}`, connectTimeoutMs: 300 });
      const started = Date.now();
      const err = await failure(directoryFor(config).check());
      expect(err.code).toBe('DIRECTORY_TIMEOUT');
      expect(err.message).toContain('300 ms (LDAP_CONNECT_TIMEOUT_MS)');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('after close(), a lookup fails instead of reconnecting', async () => {
    const directory = directoryFor(ldapConfigFor(ctx));
    await directory.check();
    await directory.close();
    expect((await failure(directory.lookup(classifyWho('jdoe'), 10))).code).toBe('DIRECTORY_FAILED');
  });
});

describe.skipIf(!samba)('LDAP directory against Samba AD: connection reuse', () => {
  const ctx = samba!;
  const lookups = ['jdoe', 'cguid', 'share1@contoso.com', 'zoe.odegard', 'localupn@contoso.local'];

  it('20 lookups in a row bind once, on one connection', async () => {
    const { stats, factory } = spyingFactory();
    const directory = directoryFor(ldapConfigFor(ctx), factory);
    for (let i = 0; i < 20; i += 1) {
      const { users } = await directory.lookup(classifyWho(lookups[i % lookups.length] ?? ''), 10);
      expect(users.length).toBeGreaterThan(0);
    }
    expect(stats).toMatchObject({ clients: 1, binds: 1 });
  });

  it('16 concurrent lookups on a cold directory wait for one bind and share the connection', async () => {
    const { stats, factory } = spyingFactory();
    const directory = directoryFor(ldapConfigFor(ctx), factory);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => directory.lookup(classifyWho(lookups[i % lookups.length] ?? ''), 10)),
    );
    expect(results.every((r) => r.users.length > 0)).toBe(true);
    expect(stats).toMatchObject({ clients: 1, binds: 1 });
  });

  it('a connection closed while idle is replaced on the next lookup', async () => {
    const { stats, factory } = spyingFactory();
    const directory = directoryFor(ldapConfigFor(ctx), factory);
    await directory.lookup(classifyWho('jdoe'), 10);
    const first = stats.sockets.at(-1);
    const closed = new Promise((resolve) => first?.once('close', resolve));
    first?.destroy();
    await closed;
    expect((await directory.lookup(classifyWho('jdoe'), 10)).users).toHaveLength(1);
    expect(stats).toMatchObject({ clients: 2, binds: 2 });
  });

  it('a connection cut under 8 lookups in flight: each is retried once, behind a single new bind', async () => {
    const { stats, factory } = spyingFactory();
    const messages: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line: string) => void messages.push((JSON.parse(line) as { msg: string }).msg) },
    });
    const directory = directoryFor(ldapConfigFor(ctx), factory, logger);
    await directory.lookup(classifyWho('jdoe'), 10);
    stats.cutOnNextSearch = true;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => directory.lookup(classifyWho(lookups[i % lookups.length] ?? ''), 10)),
    );
    expect(results.every((r) => r.users.length > 0)).toBe(true);
    expect(stats.cutOnNextSearch).toBe(false);
    expect(stats).toMatchObject({ clients: 2, binds: 2 });
    // Every one of the eight was in flight on the cut socket, so every one took the retry path.
    expect(messages.filter((m) => m === 'LDAP connection lost; reconnecting once')).toHaveLength(8);
    expect(messages.filter((m) => m === 'LDAP bound')).toHaveLength(2);
  });
});
