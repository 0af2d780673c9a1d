/**
 * Unit: seed validation. A bad seed fails at start-up with every problem named by its JSON path;
 * the shipped example seed is valid.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSeedFile, parseSeed, type SeedInput } from '../../../src/sandbox/emulator/seed.ts';
import { ConfigError } from '../../../src/errors/index.ts';
import { ID, testSeed } from './graph-harness.ts';

function problems(seed: unknown): readonly string[] {
  try {
    parseSeed(seed);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

function withUsers(...users: NonNullable<SeedInput['users']>): SeedInput {
  return { ...testSeed(), users, groups: [], directoryRoles: [] };
}

describe('parseSeed', () => {
  it('accepts the example seed shipped with the emulator', async () => {
    const seed = await loadSeedFile('src/sandbox/emulator/seeds/example.json');
    expect(seed.users.length).toBeGreaterThan(5);
    expect(seed.tenant.initialDomain).toBe('contoso.onmicrosoft.com');
  });

  it('fills defaults: empty groups and roles, members lists', () => {
    const { groups, directoryRoles, ...rest } = testSeed();
    expect(groups?.length).toBeGreaterThan(0);
    expect(directoryRoles?.length).toBeGreaterThan(0);
    const seed = parseSeed({ ...rest, users: [] });
    expect(seed.groups).toEqual([]);
    expect(seed.directoryRoles).toEqual([]);
  });

  it('names a missing or mistyped field by its path', () => {
    const seed = testSeed() as { users: Record<string, unknown>[] };
    seed.users[1] = { ...seed.users[1], displayName: undefined, onPremisesSyncEnabled: 'yes' };
    expect(problems(seed)).toEqual([
      expect.stringMatching(/^seed users\[1\]\.displayName: /),
      expect.stringMatching(/^seed users\[1\]\.onPremisesSyncEnabled: /),
    ]);
  });

  it('refuses an unknown field (a typo) instead of ignoring it', () => {
    const seed = testSeed() as { users: Record<string, unknown>[] };
    seed.users[0] = { ...seed.users[0], onPremisesImmutableID: 'x' };
    expect(problems(seed)).toEqual([expect.stringMatching(/^seed users\[0\]: .*onPremisesImmutableID/)]);
  });

  it('refuses what Entra could never hold: duplicate anchors (even against deleted users), duplicate UPNs, unverified suffixes', () => {
    const seed = withUsers(
      { id: ID.jane, userPrincipalName: 'a@contoso.com', displayName: 'A', onPremisesImmutableId: 'X==' },
      {
        id: ID.bob,
        userPrincipalName: 'b@contoso.com',
        displayName: 'B',
        onPremisesImmutableId: 'X==',
        deletedDateTime: '2026-01-01T00:00:00Z',
      },
      { id: ID.alice, userPrincipalName: 'A@CONTOSO.COM', displayName: 'C' },
      { id: ID.admin, userPrincipalName: 'd@contoso.local', displayName: 'D' },
      { id: ID.lead, userPrincipalName: 'e@contoso.net', displayName: 'E' },
    );
    expect(problems(seed)).toEqual([
      'seed users[1].onPremisesImmutableId: duplicates users[0] (unique across active and deleted users)',
      'seed users[2].userPrincipalName: duplicates users[0] (unique among active users)',
      'seed users[3].userPrincipalName: suffix @contoso.local is not a verified domain of the tenant',
      'seed users[4].userPrincipalName: suffix @contoso.net is not a verified domain of the tenant',
    ]);
  });

  it('refuses a synced user without an anchor, and $ or _ in an anchor', () => {
    const seed = withUsers(
      { id: ID.jane, userPrincipalName: 'a@contoso.com', displayName: 'A', onPremisesSyncEnabled: true },
      { id: ID.bob, userPrincipalName: 'b@contoso.com', displayName: 'B', onPremisesImmutableId: 'a_b' },
    );
    expect(problems(seed)).toEqual([
      'seed users[0].onPremisesImmutableId: a synced user (onPremisesSyncEnabled: true) always has an anchor',
      'seed users[1].onPremisesImmutableId: cannot contain $ or _',
    ]);
  });

  it('refuses a proxy address held twice, a member that does not exist, a reused object id', () => {
    const seed: SeedInput = {
      ...withUsers({ id: ID.jane, userPrincipalName: 'a@contoso.com', displayName: 'A', proxyAddresses: ['SMTP:sales@contoso.com'] }),
      groups: [
        { id: ID.sales, displayName: 'Sales', proxyAddresses: ['smtp:SALES@contoso.com'], members: [ID.bob] },
        { id: ID.jane, displayName: 'Clash', members: [] },
      ],
    };
    expect(problems(seed)).toEqual([
      `seed groups[1].id: object id ${ID.jane} is already used by users[0]`,
      'seed groups[0].proxyAddresses[0]: smtp:SALES@contoso.com is already held by users[0]',
      `seed groups[0].members[0]: no user or group has id ${ID.bob}`,
    ]);
  });

  it('checks the tenant’s initial domain', () => {
    const seed = { ...testSeed(), tenant: { ...testSeed().tenant, initialDomain: 'other.onmicrosoft.com' } };
    expect(problems(seed)).toContain('seed tenant.initialDomain: must also be listed in domains');
  });
});

describe('loadSeedFile', () => {
  it('names the file when it is missing or not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hm-seed-'));
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ "tenant": ', 'utf8');
    await expect(loadSeedFile(join(dir, 'absent.json'))).rejects.toThrow(`seed file ${join(dir, 'absent.json')}: file not found`);
    await expect(loadSeedFile(broken)).rejects.toThrow(new RegExp(`seed file ${broken.replaceAll('.', '\\.')}: not valid JSON`));
  });
});
