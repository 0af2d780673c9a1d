/**
 * LDAP_BASE_DN bounds DN look-ups in the LDAP directory, shown with a scripted ldapts client (the
 * Samba tests in relay-ldap-bounds.int.test.ts show it against a real DC): a DN outside the base
 * is never sent to AD, and an entry AD returns from outside the base is dropped.
 */
import type { Client, Entry, SearchResult } from 'ldapts';
import { describe, expect, it } from 'vitest';
import type { LdapConfig } from '../../../src/config/load-relay-config.ts';
import { classifyWho } from '../../../src/domain/who.ts';
import { createLdapDirectory } from '../../../src/relay/agent/ldap-directory.ts';

const CONFIG: LdapConfig = {
  url: 'ldaps://dc1.contoso.com:636',
  bindDn: 'CN=svc-hardmatch,OU=Service,DC=contoso,DC=com',
  bindPassword: 'pw',
  baseDn: 'OU=Scoped,DC=contoso,DC=com',
  connectTimeoutMs: 1_000,
  timeoutMs: 1_000,
};

function entry(dn: string): Entry {
  return { dn, sAMAccountName: 'someone', objectGUID: Buffer.alloc(16, 7) };
}

/** A bound client that answers every search with `entries` and records each search base. */
function scriptedDirectory(entries: Entry[]) {
  const bases: string[] = [];
  const client = {
    isBound: true,
    bind: () => Promise.resolve(),
    unbind: () => Promise.resolve(),
    search: (base: string): Promise<SearchResult> => {
      bases.push(base);
      return Promise.resolve({ searchEntries: entries, searchReferences: [] });
    },
  };
  const directory = createLdapDirectory(CONFIG, { sourceAnchor: 'auto', clientFactory: () => client as unknown as Client });
  return { directory, bases };
}

describe('LDAP directory: DN look-ups stay inside LDAP_BASE_DN', () => {
  it('never asks AD for a DN outside the base, and answers "not found"', async () => {
    const { directory, bases } = scriptedDirectory([entry('CN=Administrator,CN=Users,DC=contoso,DC=com')]);
    for (const dn of ['CN=Administrator,CN=Users,DC=contoso,DC=com', 'CN=Administrator\\,OU=Scoped,DC=contoso,DC=com']) {
      expect(await directory.lookup(classifyWho(dn), 10), dn).toEqual({ users: [], truncated: false });
    }
    expect(bases).toEqual([]);
  });

  it('reads a DN inside the base, spelled any way, from that DN', async () => {
    const dn = 'CN=Scoped User,OU=Scoped,DC=contoso,DC=com';
    const typed = 'cn=scoped user, ou=SCOPED, dc=contoso, dc=com';
    const { directory, bases } = scriptedDirectory([entry(dn)]);
    const { users } = await directory.lookup(classifyWho(typed), 10);
    expect(users.map((u) => u.dn)).toEqual([dn]);
    expect(bases).toEqual([typed]);
  });

  it('drops an entry AD returns from outside the base, should it read the DN differently', async () => {
    const { directory, bases } = scriptedDirectory([entry('CN=Administrator,CN=Users,DC=contoso,DC=com')]);
    const result = await directory.lookup(classifyWho('CN=Administrator,OU=Scoped,DC=contoso,DC=com'), 10);
    expect(bases).toHaveLength(1);
    expect(result).toEqual({ users: [], truncated: false });
  });
});
