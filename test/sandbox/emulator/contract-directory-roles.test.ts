/**
 * Contract: /directoryRoles with `$expand=members` and /directoryRoles/{id}/members, through the
 * real Graph SDK, with Graph's documented limits: an expanded relationship holds at most 20 items
 * and no next link; `$expand` is refused in an advanced query; the members list takes no `$top`;
 * a role-assignable group can hold a role and its users count as holders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedInput } from '../../../src/sandbox/emulator/seed.ts';
import { graphFailure, ID, startGraph, testSeed, type Harness } from './graph-harness.ts';

const ROLE_ADMINS = 'e5f60718-293a-44b5-86d7-e8f90a1b2c3d';
const USER_ADMIN = 'f6071829-3a4b-45c6-97e8-f90a1b2c3d4e';
const USER_ADMIN_TEMPLATE = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const bulkId = (i: number): string => `00000000-0000-4000-8000-0000000${String(i).padStart(5, '0')}`;

function seed(): SeedInput {
  const base = testSeed(21);
  return {
    ...base,
    groups: [...(base.groups ?? []), { id: ROLE_ADMINS, displayName: 'Role Admins', isAssignableToRole: true, members: [ID.lead] }],
    directoryRoles: [
      ...(base.directoryRoles ?? []),
      {
        id: USER_ADMIN,
        displayName: 'User Administrator',
        roleTemplateId: USER_ADMIN_TEMPLATE,
        members: [ROLE_ADMINS, ...Array.from({ length: 21 }, (_, i) => bulkId(i))],
      },
    ],
  };
}

type Member = { '@odata.type': string; id: string };
type Role = { id: string; displayName: string; members?: Member[] };

let h: Harness;
beforeAll(async () => {
  h = await startGraph({ seed: seed() });
});
afterAll(() => h.close());

describe('GET /directoryRoles?$expand=members', () => {
  it('lists the activated roles with at most 20 typed members each and no next link', async () => {
    const page = (await h.client.api('/directoryRoles').select(['id', 'displayName']).expand('members($select=id)').get()) as {
      value: Role[];
    };
    const byName = Object.fromEntries(page.value.map((r) => [r.displayName, r]));
    expect(byName['Global Administrator']?.members).toEqual([{ '@odata.type': '#microsoft.graph.user', id: ID.admin }]);
    const capped = byName['User Administrator']?.members ?? [];
    expect(capped).toHaveLength(20);
    expect(capped[0]).toEqual({ '@odata.type': '#microsoft.graph.group', id: ROLE_ADMINS });
    expect(JSON.stringify(page)).not.toContain('nextLink');
  });

  it('refuses $expand in an advanced query, and any relationship but members', async () => {
    const advanced = await graphFailure(
      h.client.api('/directoryRoles').header('ConsistencyLevel', 'eventual').query({ $count: 'true' }).expand('members').get(),
    );
    expect(advanced).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery' });
    const unknown = await graphFailure(h.client.api('/directoryRoles').expand('owners').get());
    expect(unknown).toMatchObject({
      status: 400,
      code: 'BadRequest',
      message: "Could not find a property named 'owners' on type 'microsoft.graph.directoryRole'.",
    });
  });
});

describe('GET /directoryRoles/{id}/members', () => {
  it('returns every member (by role id or template id), without paging', async () => {
    for (const key of [USER_ADMIN, USER_ADMIN_TEMPLATE]) {
      const page = (await h.client.api(`/directoryRoles/${key}/members`).select(['id']).get()) as { value: Member[] };
      expect(page.value).toHaveLength(22);
      expect(JSON.stringify(page)).not.toContain('nextLink');
    }
  });

  it('refuses $top (Graph does not page this list) and answers 404 for an unknown role', async () => {
    expect(await graphFailure(h.client.api(`/directoryRoles/${USER_ADMIN}/members`).top(5).get())).toMatchObject({
      status: 400,
      code: 'Request_UnsupportedQuery',
    });
    expect(await graphFailure(h.client.api('/directoryRoles/00000000-0000-4000-8000-00000000dead/members').get())).toMatchObject({
      status: 404,
    });
  });
});

describe('roles held through a role-assignable group', () => {
  it("count in the user's transitiveMemberOf/microsoft.graph.directoryRole", async () => {
    const page = (await h.client.api(`/users/${ID.lead}/transitiveMemberOf/microsoft.graph.directoryRole`).get()) as { value: Role[] };
    expect(page.value.map((r) => r.displayName)).toEqual(['User Administrator']);
  });

  it('seed: only a role-assignable group may hold a role, and it holds no groups', async () => {
    const { parseSeed } = await import('../../../src/sandbox/emulator/seed.ts');
    const bad = seed();
    bad.groups = [
      ...(bad.groups ?? []).filter((g) => g.id !== ROLE_ADMINS),
      { id: ROLE_ADMINS, displayName: 'Role Admins', members: [ID.admins] },
    ];
    expect(() => parseSeed(bad)).toThrow(/not role-assignable/);
    bad.groups = [
      ...bad.groups.filter((g) => g.id !== ROLE_ADMINS),
      { id: ROLE_ADMINS, displayName: 'Role Admins', isAssignableToRole: true, members: [ID.admins] },
    ];
    expect(() => parseSeed(bad)).toThrow(/cannot have a group/);
  });
});
