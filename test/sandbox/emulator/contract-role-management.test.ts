/**
 * Contract: /roleManagement/directory through the real Graph client: PIM eligibility schedule
 * instances (seeded, listed tenant-wide or by `principalId eq`, ended ones gone, permissions as
 * documented) and the built-in role definitions (ids = template ids; `isPrivileged` on beta only).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { graphFailure, ID, startGraph, testSeed, type Harness } from './graph-harness.ts';

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const EXCHANGE_ADMIN = '29232cdf-9323-42fd-ade2-1d097af3e4de';

function seed() {
  return {
    ...testSeed(),
    roleEligibilities: [
      { principalId: ID.jane, role: 'Global Administrator' },
      { principalId: ID.bob, role: EXCHANGE_ADMIN, startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2027-01-01T00:00:00Z' },
      { principalId: ID.alice, role: 'User Administrator', endDateTime: '2026-02-01T00:00:00Z' },
    ],
  };
}

interface Instance {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  memberType: string;
  endDateTime: string | null;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const PATH = '/roleManagement/directory/roleEligibilityScheduleInstances';

describe('roleEligibilityScheduleInstances', () => {
  it('lists the instances in force tenant-wide (an ended eligibility is gone)', async () => {
    h = await startGraph({ seed: seed() });
    const body = (await h.client.api(PATH).get()) as { value: Instance[]; '@odata.context': string };
    expect(body['@odata.context']).toContain('/v1.0/$metadata#roleManagement/directory/roleEligibilityScheduleInstances');
    expect(body.value.map((i) => [i.principalId, i.roleDefinitionId]).sort()).toEqual(
      [
        [ID.jane, GLOBAL_ADMIN],
        [ID.bob, EXCHANGE_ADMIN],
      ].sort(),
    );
    expect(body.value[0]).toMatchObject({ directoryScopeId: '/', memberType: 'Direct' });
  });

  it("filters by principalId eq '...'", async () => {
    h = await startGraph({ seed: seed() });
    const body = (await h.client.api(PATH).filter(`principalId eq '${ID.bob}'`).get()) as { value: Instance[] };
    expect(body.value).toHaveLength(1);
    expect(body.value[0]).toMatchObject({ principalId: ID.bob, roleDefinitionId: EXCHANGE_ADMIN, endDateTime: '2027-01-01T00:00:00Z' });
    const none = (await h.client.api(PATH).filter(`principalId eq '${ID.alice}'`).get()) as { value: Instance[] };
    expect(none.value).toEqual([]);
  });

  it('reads with RoleEligibilitySchedule.Read.Directory or RoleManagement.Read.Directory, 403 with neither', async () => {
    for (const permission of ['RoleEligibilitySchedule.Read.Directory', 'RoleManagement.Read.Directory']) {
      h = await startGraph({ seed: seed(), permissions: [permission] });
      await expect(h.client.api(PATH).get()).resolves.toBeTruthy();
      await h.close();
    }
    h = await startGraph({ seed: seed(), permissions: ['User.Read.All', 'Directory.Read.All'] });
    const failure = await graphFailure(h.client.api(PATH).get());
    expect(failure).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });
  });

  it('refuses a filter on a property it does not support', async () => {
    h = await startGraph({ seed: seed() });
    const failure = await graphFailure(h.client.api(PATH).filter("memberType eq 'Direct'").get());
    expect(failure).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery' });
  });

  it('follows the emulator state: an admin adds and removes an eligibility', async () => {
    h = await startGraph({ seed: seed() });
    h.emulator.state.setRoleEligibility('Privileged Role Administrator', ID.lead, true);
    expect(h.emulator.state.eligibleRolesOf(ID.lead)).toEqual(['Privileged Role Administrator']);
    h.emulator.state.setRoleEligibility('Privileged Role Administrator', ID.lead, false);
    const body = (await h.client.api(PATH).filter(`principalId eq '${ID.lead}'`).get()) as { value: Instance[] };
    expect(body.value).toEqual([]);
  });
});

describe('roleDefinitions', () => {
  it('lists built-in definitions with template ids; isPrivileged only under beta', async () => {
    h = await startGraph();
    const v1 = (await h.client.api('/roleManagement/directory/roleDefinitions').filter("displayName eq 'Global Administrator'").get()) as {
      value: Record<string, unknown>[];
    };
    expect(v1.value).toEqual([
      expect.objectContaining({ id: GLOBAL_ADMIN, templateId: GLOBAL_ADMIN, isBuiltIn: true, displayName: 'Global Administrator' }),
    ]);
    expect(v1.value[0]).not.toHaveProperty('isPrivileged');
    const beta = (await h.client
      .api('/roleManagement/directory/roleDefinitions')
      .version('beta')
      .select('id,displayName,isPrivileged')
      .get()) as {
      value: { displayName: string; isPrivileged: boolean }[];
    };
    const privileged = Object.fromEntries(beta.value.map((d) => [d.displayName, d.isPrivileged]));
    expect(privileged).toMatchObject({
      'Global Administrator': true,
      'Hybrid Identity Administrator': true,
      'Exchange Administrator': false,
    });
  });

  it('answers Graph’s 400 to $select=isPrivileged on v1.0', async () => {
    h = await startGraph();
    const failure = await graphFailure(h.client.api('/roleManagement/directory/roleDefinitions').select('isPrivileged').get());
    expect(failure).toMatchObject({
      status: 400,
      message: "Could not find a property named 'isPrivileged' on type 'microsoft.graph.unifiedRoleDefinition'.",
    });
  });

  it('gets one definition by id, 404 for anything else', async () => {
    h = await startGraph();
    const one = (await h.client.api(`/roleManagement/directory/roleDefinitions/${EXCHANGE_ADMIN}`).version('beta').get()) as Record<
      string,
      unknown
    >;
    expect(one).toMatchObject({ displayName: 'Exchange Administrator', isPrivileged: false });
    const failure = await graphFailure(h.client.api('/roleManagement/directory/roleDefinitions/Global Administrator').get());
    expect(failure).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
  });
});

describe('seed', () => {
  it('refuses an eligibility naming an unknown role or user', async () => {
    const bad = {
      ...testSeed(),
      roleEligibilities: [
        { principalId: ID.jane, role: 'Global Admin' },
        { principalId: '00000000-0000-4000-8000-000000000009', role: 'User Administrator' },
      ],
    };
    await expect(startGraph({ seed: bad })).rejects.toThrow(
      /roleEligibilities\[0\]\.role: "Global Admin" is not a built-in role name[\s\S]*roleEligibilities\[1\]\.principalId: no user has id/,
    );
  });
});
