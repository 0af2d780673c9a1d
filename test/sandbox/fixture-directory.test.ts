import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyWho } from '../../src/domain/who.ts';
import { DirectoryError } from '../../src/errors/index.ts';
import { createFixtureDirectory } from '../../src/sandbox/fixture-directory.ts';
import { fixtureUser, SANDBOX_FIXTURES, writeFixtureDir } from '../relay/agent/helpers.ts';

const sandbox = createFixtureDirectory(SANDBOX_FIXTURES, { sourceAnchor: 'auto' });

async function names(who: string, limit = 10): Promise<string[]> {
  const result = await sandbox.lookup(classifyWho(who), limit);
  return result.users.map((u) => u.samAccountName).sort();
}

async function failure(dir: string): Promise<DirectoryError> {
  const err = await createFixtureDirectory(dir, { sourceAnchor: 'auto' })
    .check()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(DirectoryError);
  return err as DirectoryError;
}

describe('fixture directory: matching', () => {
  it('finds by sAMAccountName, case-insensitively', async () => {
    expect(await names('jdoe')).toEqual(['jdoe']);
    expect(await names('JDoe')).toEqual(['jdoe']);
  });

  it('finds by UPN, mail and any proxy address, case-insensitively, smtp: ignored', async () => {
    expect(await names('JDOE@contoso.com')).toEqual(['jdoe']); // UPN
    expect(await names('John.Doe@Contoso.com')).toEqual(['jdoe']); // mail and primary SMTP:
    expect(await names('jdoe@contoso.mail.onmicrosoft.com')).toEqual(['jdoe']); // smtp: alias only
    expect(await names('SMTP:carla.mendes@northwind.com')).toEqual(['cmigrated']);
  });

  it('does not treat another proxy type as an SMTP address', async () => {
    const dir = writeFixtureDir({
      'u.json': [fixtureUser({ samAccountName: 'sipuser', mail: null, userPrincipalName: null, proxyAddresses: ['sip:talk@contoso.com'] })],
    });
    const directory = createFixtureDirectory(dir, { sourceAnchor: 'auto' });
    expect((await directory.lookup(classifyWho('talk@contoso.com'), 10)).users).toEqual([]);
  });

  it('finds by objectGUID or ConsistencyGuid in any anchor form', async () => {
    // cmigrated: objectGUID 6ae7df86-..., ConsistencyGuid 89246b27-... (the old forest's GUID).
    expect(await names('6ae7df86-03d9-459a-8acf-0af05daa2212')).toEqual(['cmigrated']);
    expect(await names('{89246B27-4E85-426D-A685-B1421FF9C7DF}')).toEqual(['cmigrated']);
    expect(await names('J2skiYVObUKmhbFCH/nH3w==')).toEqual(['cmigrated']); // ImmutableID of the ConsistencyGuid
  });

  it('reports the effective anchor under the configured SOURCE_ANCHOR', async () => {
    const [auto] = (await sandbox.lookup(classifyWho('cmigrated'), 1)).users;
    expect(auto?.anchor).toEqual({
      attribute: 'mS-DS-ConsistencyGuid',
      guid: '89246b27-4e85-426d-a685-b1421ff9c7df',
      immutableId: 'J2skiYVObUKmhbFCH/nH3w==',
    });
    const byObjectGuid = createFixtureDirectory(SANDBOX_FIXTURES, { sourceAnchor: 'objectGUID' });
    const [fixed] = (await byObjectGuid.lookup(classifyWho('cmigrated'), 1)).users;
    expect(fixed?.anchor.attribute).toBe('objectGUID');
    expect(fixed?.anchor.guid).toBe('6ae7df86-03d9-459a-8acf-0af05daa2212');
  });

  it('finds by DN, case-insensitively, with LDAP special characters and non-ASCII taken literally', async () => {
    expect(await names('cn=john doe,ou=staff,dc=contoso,dc=com')).toEqual(['jdoe']);
    expect(await names('CN=Zoë (Ops) *Star\\\\ Ødegård,OU=Staff,DC=contoso,DC=com')).toEqual(['zoe.odegard']);
    expect(await names('CN=ZOË (OPS) *STAR\\\\ ØDEGÅRD,OU=Staff,DC=contoso,DC=com')).toEqual(['zoe.odegard']);
  });

  it('never interprets * as a wildcard', async () => {
    expect(await names('*')).toEqual([]);
    expect(await names('j*')).toEqual([]);
    expect(await names('*@contoso.com')).toEqual([]);
    expect(await names('CN=*,OU=Staff,DC=contoso,DC=com')).toEqual([]);
    expect(await names('CN=Zoë (Ops) *,OU=Staff,DC=contoso,DC=com')).toEqual([]);
  });

  it('returns every user sharing a mail address', async () => {
    expect(await names('shared@contoso.com')).toEqual(['share1', 'share2']);
  });

  it('matches a sAMAccountName in any mix of upper and lower case', async () => {
    const sams = ['jdoe', 'asmith', 'hadmin', 'zoe.odegard', 'ibulk2'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sams), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), async (sam, flips) => {
        const mixed = [...sam].map((c, i) => (flips[i] ? c.toUpperCase() : c)).join('');
        expect(await names(mixed)).toEqual([sam]);
      }),
      { numRuns: 50 },
    );
  });

  it('caps the result at the limit and says it was truncated', async () => {
    const users = Array.from({ length: 5 }, () => fixtureUser({ mail: 'team@contoso.com' }));
    const directory = createFixtureDirectory(writeFixtureDir({ 'team.json': users }), { sourceAnchor: 'auto' });
    const three = await directory.lookup(classifyWho('team@contoso.com'), 3);
    expect(three.users.map((u) => u.samAccountName)).toEqual(users.slice(0, 3).map((u) => u.samAccountName));
    expect(three.truncated).toBe(true);
    const all = await directory.lookup(classifyWho('team@contoso.com'), 5);
    expect(all.users).toHaveLength(5);
    expect(all.truncated).toBe(false);
  });

  it('loads every *.json file in the folder and ignores other files', async () => {
    const a = fixtureUser({ samAccountName: 'from-a' });
    const b = fixtureUser({ samAccountName: 'from-b' });
    const dir = writeFixtureDir({ 'a.json': [a], 'b.json': [b], 'notes.txt': 'not json at all' });
    const directory = createFixtureDirectory(dir, { sourceAnchor: 'auto' });
    await directory.check();
    expect((await directory.lookup(classifyWho('from-b'), 10)).users).toHaveLength(1);
  });

  it('hands out copies, so a caller cannot change the directory', async () => {
    const [first] = (await sandbox.lookup(classifyWho('lmatched'), 1)).users;
    if (first) {
      first.samAccountName = 'changed';
      first.proxyAddresses.push('smtp:added@contoso.com');
      first.anchor.immutableId = 'changed';
    }
    const [again] = (await sandbox.lookup(classifyWho('lmatched'), 1)).users;
    expect(again?.samAccountName).toBe('lmatched');
    expect(again?.proxyAddresses).not.toContain('smtp:added@contoso.com');
    expect(again?.anchor.immutableId).not.toBe('changed');
    // The same for a whole-directory read's pages.
    for await (const page of sandbox.users({ kind: 'sync-scope' }, 1000))
      for (const user of page) {
        user.proxyAddresses.push('smtp:added@contoso.com');
        user.anchor.immutableId = 'changed';
      }
    for await (const page of sandbox.users({ kind: 'sync-scope' }, 1000))
      for (const user of page) expect(user.proxyAddresses).not.toContain('smtp:added@contoso.com');
  });
});

describe('fixture directory: bounded by a base DN, as LDAP_BASE_DN bounds AD', () => {
  const inside = fixtureUser({ dn: 'CN=Doe\\, Jane,OU=Scoped,DC=contoso,DC=com', samAccountName: 'jane' });
  const outside = fixtureUser({ dn: 'CN=Administrator,CN=Users,DC=contoso,DC=com', samAccountName: 'Administrator' });
  const lookalike = fixtureUser({ dn: 'CN=Admin\\,OU=Scoped,DC=contoso,DC=com', samAccountName: 'lookalike' });
  const dir = writeFixtureDir({ 'u.json': [inside, outside, lookalike] });
  const scoped = createFixtureDirectory(dir, { sourceAnchor: 'auto', baseDn: 'OU=Scoped,DC=contoso,DC=com' });
  const find = async (who: string): Promise<unknown> => scoped.lookup(classifyWho(who), 10);
  const sams = async (who: string): Promise<string[]> => (await scoped.lookup(classifyWho(who), 10)).users.map((u) => u.samAccountName);

  it('finds a DN inside the base RDN-wise: any case, spaces after commas, escapes decoded', async () => {
    for (const typed of ['CN=Doe\\, Jane,OU=Scoped,DC=contoso,DC=com', 'cn=doe\\2c jane, ou=SCOPED, dc=contoso, dc=com']) {
      expect(await sams(typed), typed).toEqual(['jane']);
    }
  });

  it('answers a DN outside the base exactly like a DN that does not exist', async () => {
    const none = await find('CN=Nobody,OU=Scoped,DC=contoso,DC=com');
    expect(none).toEqual({ users: [], truncated: false });
    for (const typed of [String(outside.dn), 'cn=administrator, cn=users, dc=contoso, dc=com'])
      expect(await find(typed), typed).toEqual(none);
    // Unbounded, the same files do hold it: the base is what hides it.
    const all = createFixtureDirectory(dir, { sourceAnchor: 'auto' });
    expect((await all.lookup(classifyWho(String(outside.dn)), 10)).users.map((u) => u.samAccountName)).toEqual(['Administrator']);
  });

  it('keeps every other kind of look-up inside the base too', async () => {
    expect(await sams('Administrator')).toEqual([]);
    expect(await sams(String(outside.userPrincipalName))).toEqual([]);
    expect(await sams(String(outside.objectGuid))).toEqual([]);
    // The escaped comma makes "Admin,OU=Scoped" one RDN under DC=contoso: outside the base.
    expect(await sams('lookalike')).toEqual([]);
    expect(await sams('jane')).toEqual(['jane']);
  });
});

describe('fixture directory: bad files', () => {
  it('names the file when it is not JSON', async () => {
    const err = await failure(writeFixtureDir({ 'broken.json': '[{"dn": ' }));
    expect(err.code).toBe('DIRECTORY_FAILED');
    expect(err.message).toContain('broken.json is not valid JSON');
  });

  it('names the file and the field that is wrong', async () => {
    const err = await failure(writeFixtureDir({ 'bad.json': [fixtureUser(), fixtureUser({ objectGuid: 'not-a-guid' })] }));
    expect(err.message).toMatch(/bad\.json: \[1\]\.objectGuid: must be a GUID/);
    const missing = fixtureUser();
    delete missing.enabled;
    const err2 = await failure(writeFixtureDir({ 'missing.json': [missing] }));
    expect(err2.message).toMatch(/missing\.json: \[0\]\.enabled/);
  });

  it('refuses a dn that is not a DN', async () => {
    const err = await failure(writeFixtureDir({ 'dn.json': [fixtureUser({ dn: 'jdoe' })] }));
    expect(err.message).toMatch(/dn\.json: \[0\]\.dn: must be a DN like CN=/);
  });

  it('refuses an unknown field (a typo would otherwise be silently ignored)', async () => {
    const err = await failure(writeFixtureDir({ 'typo.json': [fixtureUser({ consistencyGUID: null })] }));
    expect(err.message).toContain('typo.json');
  });

  it('refuses two users with one objectGUID, naming both', async () => {
    const first = fixtureUser({ samAccountName: 'first' });
    const second = fixtureUser({ samAccountName: 'second', objectGuid: first.objectGuid });
    const err = await failure(writeFixtureDir({ 'a.json': [first], 'b.json': [second] }));
    expect(err.message).toContain('b.json');
    expect(err.message).toContain('first (a.json)');
  });

  it('says when the folder is missing or has no fixture files', async () => {
    expect((await failure('/nonexistent/hardmatch-fixtures')).message).toContain(
      '/nonexistent/hardmatch-fixtures (RELAY_FIXTURES) cannot be read',
    );
    expect((await failure(writeFixtureDir({ 'readme.txt': 'x' }))).message).toContain('has no *.json files');
  });

  it('reads a fixed file again without a restart', async () => {
    const dir = writeFixtureDir({ 'u.json': '[' });
    const directory = createFixtureDirectory(dir, { sourceAnchor: 'auto' });
    await expect(directory.check()).rejects.toBeInstanceOf(DirectoryError);
    writeFileSync(join(dir, 'u.json'), JSON.stringify([fixtureUser({ samAccountName: 'fixed' })]));
    await directory.check();
    expect((await directory.lookup(classifyWho('fixed'), 10)).users).toHaveLength(1);
  });
});

describe('sandbox fixtures', () => {
  it('hold one user per scenario named in the README, plus the controls', async () => {
    const expected = [
      'jdoe',
      'asmith',
      'bwayne',
      'cmigrated',
      'dscope',
      'elocal',
      'fsynced',
      'gfed',
      'hadmin',
      'ibulk1',
      'ibulk2',
      'ibulk3',
      'kdisabled',
      'lmatched',
      'zoe.odegard',
      'share1',
      'share2',
    ];
    for (const sam of expected) expect(await names(sam), sam).toEqual([sam]);
  });

  it('give each scenario user the property its scenario needs', async () => {
    const one = async (sam: string) => (await sandbox.lookup(classifyWho(sam), 1)).users[0];
    const cmigrated = await one('cmigrated');
    expect(cmigrated?.consistencyGuid).not.toBe(cmigrated?.objectGuid);
    expect((await one('elocal'))?.userPrincipalName).toMatch(/@contoso\.local$/);
    expect((await one('gfed'))?.userPrincipalName).toBe('gfed@fabrikam.com');
    expect((await one('kdisabled'))?.enabled).toBe(false);
    for (const sam of ['ibulk1', 'ibulk2', 'ibulk3']) expect((await one(sam))?.dn).toMatch(/,OU=Migrated,DC=contoso,DC=com$/);
  });
});
