/**
 * Whole-directory reads against a real Samba AD DC: LDAP paged results (1,000 per page as AD's
 * MaxPageSize), through the relay's signed page route, with OUs checked before AD is asked.
 * The test adds its own OU of users and removes it afterwards, so other suites see the seed as it was.
 */
import { readFile } from 'node:fs/promises';
import { Attribute, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OnPremUser } from '../../../src/domain/onprem-user.ts';
import { DirectoryError, InputError } from '../../../src/errors/index.ts';
import type { ScanScope } from '../../../src/ports/snapshot.ts';
import type { Directory } from '../../../src/relay/agent/directory.ts';
import { createLdapDirectory } from '../../../src/relay/agent/ldap-directory.ts';
import { startRelay, type RunningRelay } from '../../../src/relay/agent/start-relay.ts';
import { createRelayClient } from '../../../src/relay/client/relay-client.ts';
import { ldapConfigFor } from '../../support/samba.ts';
import { KEY, relayConfig, silentLogger } from './helpers.ts';

const samba = inject('samba');
const COUNT = 1005;

async function collect(pages: AsyncIterable<OnPremUser[]>): Promise<OnPremUser[][]> {
  const out: OnPremUser[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as Error,
  );
}

describe.skipIf(!samba)('paged directory reads against Samba AD', () => {
  const ctx = samba!;
  const ou = `OU=BulkScan,${ctx.baseDn}`;
  const dns = Array.from({ length: COUNT }, (_, i) => `CN=Bulk ${String(i).padStart(4, '0')},${ou}`);
  let admin: Client;
  let directory: Directory;

  beforeAll(async () => {
    admin = new Client({ url: ctx.ldapUrl, tlsOptions: { ca: await readFile(ctx.caFile) }, timeout: 30_000 });
    await admin.bind(ctx.bindDn, ctx.bindPassword);
    await admin.add(ou, [new Attribute({ type: 'objectClass', values: ['top', 'organizationalUnit'] })]);
    // ldapts multiplexes requests on one connection: adds in flight together, 50 at a time.
    for (let i = 0; i < COUNT; i += 50) {
      await Promise.all(
        dns
          .slice(i, i + 50)
          .map((dn, j) =>
            admin.add(dn, [
              new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
              new Attribute({ type: 'sAMAccountName', values: [`bulk${i + j}`] }),
              new Attribute({ type: 'userPrincipalName', values: [`bulk${i + j}@contoso.test`] }),
            ]),
          ),
      );
    }
    directory = createLdapDirectory(ldapConfigFor(ctx), { sourceAnchor: 'auto' });
  }, 240_000);

  afterAll(async () => {
    await directory?.close();
    for (let i = 0; i < dns.length; i += 50) await Promise.all(dns.slice(i, i + 50).map((dn) => admin.del(dn).catch(() => undefined)));
    await admin.del(ou).catch(() => undefined);
    await admin.unbind();
  }, 240_000);

  it('reads an OU in pages of 1,000, each user once, with its real objectGUID', async () => {
    const pages = await collect(directory.users({ kind: 'ou', dn: ou }, 1000));
    expect(pages.map((p) => p.length)).toEqual([1000, 5]);
    const users = pages.flat();
    expect(new Set(users.map((u) => u.dn.toLowerCase()))).toEqual(new Set(dns.map((dn) => dn.toLowerCase())));
    expect(new Set(users.map((u) => u.objectGuid)).size).toBe(COUNT);
    expect(users[0]?.anchor).toMatchObject({ attribute: 'objectGUID', guid: users[0]?.objectGuid });
  });

  it('gives the same users in smaller pages', async () => {
    const pages = await collect(directory.users({ kind: 'ou', dn: ou }, 100));
    expect(pages).toHaveLength(11);
    expect(new Set(pages.flat().map((u) => u.objectGuid)).size).toBe(COUNT);
  });

  it('reads the whole base for the sync scope: the seeded users too, never a computer', async () => {
    const users = (await collect(directory.users({ kind: 'sync-scope' }, 1000))).flat();
    expect(users.length).toBeGreaterThan(COUNT);
    expect(users.some((u) => u.samAccountName === ctx.users.jdoe.sam)).toBe(true);
    expect(users.some((u) => u.samAccountName.endsWith('$'))).toBe(false);
  });

  it('answers an OU that does not exist with OU_NOT_FOUND, and one outside the base without asking AD', async () => {
    const missing = await rejection(collect(directory.users({ kind: 'ou', dn: `OU=Nowhere,${ctx.baseDn}` }, 1000)));
    expect(missing).toBeInstanceOf(InputError);
    expect((missing as InputError).code).toBe('OU_NOT_FOUND');
    const outside = await rejection(collect(directory.users({ kind: 'ou', dn: 'OU=Staff,DC=fabrikam,DC=com' }, 1000)));
    expect((outside as InputError).code).toBe('OU_OUTSIDE_BASE_DN');
  });

  it('maps a refused bind on a paged read through the LDAP error mapper', async () => {
    const wrong = createLdapDirectory(ldapConfigFor(ctx, { bindPassword: 'not-the-password-1!' }), { sourceAnchor: 'auto' });
    try {
      const err = await rejection(collect(wrong.users({ kind: 'sync-scope' }, 1000)));
      expect(err).toBeInstanceOf(DirectoryError);
      expect((err as DirectoryError).code).toBe('DIRECTORY_CREDENTIALS');
    } finally {
      await wrong.close();
    }
  });

  it('streams the OU through the relay and its client, page by page', async () => {
    let relay: RunningRelay | undefined;
    try {
      relay = await startRelay(relayConfig({ fixturesDir: undefined, ldap: ldapConfigFor(ctx) }), { logger: silentLogger() });
      const client = createRelayClient({ url: relay.url, key: KEY, timeoutMs: 10_000 });
      const scope: ScanScope = { kind: 'ou', dn: ou };
      const pages = await collect(client.streamUsers(scope));
      expect(pages.map((p) => p.length)).toEqual([1000, 5]);
    } finally {
      await relay?.close();
    }
  });
});
