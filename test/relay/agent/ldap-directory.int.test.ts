/**
 * The LDAP directory against a real Samba AD DC (test/support/samba-global-setup.ts). Expected
 * values come from what Samba stores, read back with ldapsearch, never from constants here.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { anchorFormats, parseAnchor } from '../../../src/domain/anchors.ts';
import type { LookupResult } from '../../../src/domain/onprem-user.ts';
import { classifyWho } from '../../../src/domain/who.ts';
import type { Directory } from '../../../src/relay/agent/directory.ts';
import { createLdapDirectory } from '../../../src/relay/agent/ldap-directory.ts';
import { ldapConfigFor } from '../../support/samba.ts';

const samba = inject('samba');

describe.skipIf(!samba)('LDAP directory against Samba AD: lookups', () => {
  const ctx = samba!;
  const { jdoe, cguid, zoe, localupn, share1, share2, disabled1 } = ctx.users;
  let directory: Directory;

  beforeAll(() => {
    directory = createLdapDirectory(ldapConfigFor(ctx), { sourceAnchor: 'auto' });
  });
  afterAll(() => directory.close());

  const find = (text: string, limit = 10): Promise<LookupResult> => directory.lookup(classifyWho(text), limit);
  const sams = async (text: string, limit = 10): Promise<string[]> => (await find(text, limit)).users.map((u) => u.samAccountName);

  /** Every way an admin may write this anchor: GUID (plain and braced), ImmutableID, hex, LDAP-escaped. */
  function anchorForms(immutableId: string): string[] {
    const f = anchorFormats(parseAnchor(immutableId));
    return [f.guid, `{${f.guid.toUpperCase()}}`, f.immutableId, f.hex, f.ldapEscaped];
  }

  it('check() binds and reads the base DN', async () => {
    await expect(directory.check()).resolves.toBeUndefined();
    expect(directory.kind).toBe('ldap');
  });

  it('finds by sAMAccountName in any case and reports what Samba stores', async () => {
    const { users, truncated } = await find('JDoe');
    expect(truncated).toBe(false);
    expect(users).toHaveLength(1);
    const [user] = users;
    expect(user).toMatchObject({
      dn: jdoe.dn,
      samAccountName: jdoe.sam,
      userPrincipalName: jdoe.upn,
      mail: jdoe.mail,
      displayName: jdoe.displayName,
      enabled: true,
      objectGuid: jdoe.objectGuid,
      consistencyGuid: null,
      anchor: { attribute: 'objectGUID', guid: jdoe.objectGuid, immutableId: jdoe.objectGuidImmutableId },
    });
    expect([...(user?.proxyAddresses ?? [])].sort()).toEqual([...jdoe.proxyAddresses].sort());
    // whenChanged is generalized time on the wire; the user was created minutes ago.
    const changed = Date.parse(user?.whenChanged ?? '');
    expect(Math.abs(Date.now() - changed)).toBeLessThan(60 * 60_000);
    expect(user?.whenChanged).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('finds by UPN and by mail, once even when both match', async () => {
    expect(await sams(jdoe.upn ?? '')).toEqual([jdoe.sam]);
    expect(await sams(share1.upn ?? '')).toEqual([share1.sam]);
    expect(await sams('JDOE@CONTOSO.COM')).toEqual([jdoe.sam]);
  });

  it('finds by the secondary smtp: proxy address in any case, with or without the prefix', async () => {
    const secondary = jdoe.proxyAddresses.find((p) => p.startsWith('smtp:'))?.slice(5) ?? '';
    expect(secondary).toBe('john.doe@contoso.com');
    for (const typed of [secondary, secondary.toUpperCase(), `smtp:${secondary}`, `SMTP:${secondary}`, 'John.Doe@Contoso.COM']) {
      expect(await sams(typed), typed).toEqual([jdoe.sam]);
    }
  });

  it('finds by DN (as Samba writes it, and in another case)', async () => {
    expect(await sams(jdoe.dn)).toEqual([jdoe.sam]);
    expect(await sams(jdoe.dn.toLowerCase())).toEqual([jdoe.sam]);
  });

  it('finds by objectGUID in every anchor form', async () => {
    for (const form of anchorForms(jdoe.objectGuidImmutableId)) {
      const { users } = await find(form);
      expect(
        users.map((u) => u.objectGuid),
        form,
      ).toEqual([jdoe.objectGuid]);
    }
  });

  it('finds a migrated user by its mS-DS-ConsistencyGuid and by its objectGUID', async () => {
    expect(cguid.consistencyGuid).not.toBeNull();
    expect(cguid.consistencyGuid).not.toBe(cguid.objectGuid);
    for (const form of [...anchorForms(cguid.consistencyGuidImmutableId ?? ''), cguid.objectGuid]) {
      expect(await sams(form), form).toEqual([cguid.sam]);
    }
  });

  it("a migrated user's anchor is the ConsistencyGuid under auto, objectGUID when configured so", async () => {
    const [auto] = (await find(cguid.sam)).users;
    expect(auto).toMatchObject({ objectGuid: cguid.objectGuid, consistencyGuid: cguid.consistencyGuid });
    expect(auto?.anchor).toEqual({
      attribute: 'mS-DS-ConsistencyGuid',
      guid: cguid.consistencyGuid,
      immutableId: cguid.consistencyGuidImmutableId,
    });
    const byObjectGuid = createLdapDirectory(ldapConfigFor(ctx), { sourceAnchor: 'objectGUID' });
    try {
      const [fixed] = (await byObjectGuid.lookup(classifyWho(cguid.sam), 10)).users;
      expect(fixed?.anchor).toEqual({ attribute: 'objectGUID', guid: cguid.objectGuid, immutableId: cguid.objectGuidImmutableId });
    } finally {
      await byObjectGuid.close();
    }
  });

  it('reports a disabled account as disabled', async () => {
    expect(disabled1.enabled).toBe(false);
    const [user] = (await find(disabled1.sam)).users;
    expect(user?.enabled).toBe(false);
  });

  it('a shared mail address returns both users in sAMAccountName order; the cap is exact', async () => {
    expect(share1.mail).toBe(share2.mail);
    const all = await find(share1.mail ?? '');
    expect(all.users.map((u) => u.samAccountName)).toEqual([share1.sam, share2.sam]);
    expect(all.truncated).toBe(false);
    const two = await find(share1.mail ?? '', 2);
    expect(two).toMatchObject({ truncated: false });
    expect(two.users).toHaveLength(2);
    const one = await find(share1.mail ?? '', 1);
    expect(one.truncated).toBe(true);
    expect(one.users.map((u) => u.samAccountName)).toEqual([share1.sam]);
  });

  it('the user with filter specials and non-ASCII in its name is found by sAMAccountName and by DN', async () => {
    expect(zoe.dn).toContain('Zoë (Ops) *Star');
    for (const typed of [zoe.sam, zoe.dn]) {
      const [user] = (await find(typed)).users;
      expect(user, typed).toMatchObject({ dn: zoe.dn, displayName: zoe.displayName, objectGuid: zoe.objectGuid });
    }
  });

  it('wildcards and filter syntax are matched literally, so they find nothing', async () => {
    for (const typed of ['*', 'zoe*', '*odegard', 'zoe.odegard)(sAMAccountName=*', '*)(objectClass=*', '*@contoso.com', 'zo\\2a']) {
      expect(await sams(typed), typed).toEqual([]);
    }
  });

  it('reads back a non-routable .local UPN and finds the user by it', async () => {
    expect(localupn.upn).toBe('localupn@contoso.local');
    const [user] = (await find('localupn@contoso.local')).users;
    expect(user).toMatchObject({ samAccountName: localupn.sam, userPrincipalName: localupn.upn });
  });

  it('finds the bind account by its DN (what `hardmatch-relay check` looks up by default)', async () => {
    expect(await sams(ctx.bindDn)).toEqual(['Administrator']);
  });

  it('answers an empty result when nothing matches, including a DN that does not exist', async () => {
    for (const typed of [
      'nobody',
      'nobody@contoso.com',
      '00000000-0000-0000-0000-000000000001',
      `CN=Nobody,CN=Users,${ctx.baseDn}`,
      'CN=Nobody,DC=elsewhere,DC=example',
    ]) {
      expect(await find(typed), typed).toEqual({ users: [], truncated: false });
    }
  });

  it('does not return non-user objects: the domain controller computer account', async () => {
    expect(await sams('DC1$')).toEqual([]);
  });
});
