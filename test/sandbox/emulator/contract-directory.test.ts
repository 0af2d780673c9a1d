/**
 * Contract: the tenant configuration and membership reads the bot relies on: domains,
 * onPremisesSynchronization, group transitive members, a user's directory roles.
 */
import type { Domain, OnPremisesDirectorySynchronization } from '@microsoft/microsoft-graph-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFailure, ID, startGraph, type Harness } from './graph-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startGraph();
});
afterAll(() => h.close());

interface Page<T> {
  '@odata.context': string;
  value: T[];
}

describe('domains', () => {
  it('lists every domain with its verification and authentication type', async () => {
    const page = (await h.client.api('/domains').get()) as Page<Domain>;
    expect(page['@odata.context']).toBe(`${h.emulator.url}/v1.0/$metadata#domains`);
    const summary = page.value.map((d) => [d.id, d.isVerified, d.authenticationType, d.isInitial, d.isDefault]);
    expect(summary).toEqual([
      ['contoso.com', true, 'Managed', false, true],
      ['contoso.net', false, 'Managed', false, false],
      ['contoso.onmicrosoft.com', true, 'Managed', true, false],
      ['fabrikam.com', true, 'Federated', false, false],
    ]);
  });

  it('gets one domain by name, case-insensitively; an unknown one is 404', async () => {
    const domain = (await h.client.api('/domains/Fabrikam.com').get()) as Domain;
    expect(domain).toMatchObject({ id: 'fabrikam.com', authenticationType: 'Federated', isVerified: true });
    const failure = await graphFailure(h.client.api('/domains/nowhere.example').get());
    expect(failure).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
  });
});

describe('onPremisesSynchronization', () => {
  it('answers a one-item collection carrying the seed switches and Graph’s other features', async () => {
    const page = (await h.client.api('/directory/onPremisesSynchronization').get()) as Page<OnPremisesDirectorySynchronization>;
    expect(page['@odata.context']).toBe(`${h.emulator.url}/v1.0/$metadata#directory/onPremisesSynchronization`);
    expect(page.value).toHaveLength(1);
    expect(page.value[0]?.id).toBe(ID.sync);
    expect(page.value[0]?.features).toMatchObject({
      blockSoftMatchEnabled: false,
      blockCloudObjectTakeoverThroughHardMatchEnabled: true,
      softMatchOnUpnEnabled: true,
      passwordSyncEnabled: false,
    });
  });

  it('gets the object by id', async () => {
    const sync = (await h.client.api(`/directory/onPremisesSynchronization/${ID.sync}`).get()) as OnPremisesDirectorySynchronization;
    expect(sync.features?.blockCloudObjectTakeoverThroughHardMatchEnabled).toBe(true);
    const failure = await graphFailure(h.client.api('/directory/onPremisesSynchronization/00000000-0000-4000-8000-000000000001').get());
    expect(failure.status).toBe(404);
  });
});

describe('onPremisesSynchronization PATCH (turning a match switch)', () => {
  const path = (): string => `/directory/onPremisesSynchronization/${ID.sync}`;

  it('turns only the switches given, answering 204', async () => {
    await h.client.api(path()).patch({ features: { blockCloudObjectTakeoverThroughHardMatchEnabled: false } });
    const sync = (await h.client.api(path()).get()) as OnPremisesDirectorySynchronization;
    expect(sync.features).toMatchObject({
      blockCloudObjectTakeoverThroughHardMatchEnabled: false,
      blockSoftMatchEnabled: false,
      softMatchOnUpnEnabled: true,
    });
    await h.client.api(path()).patch({ features: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } });
    expect(h.emulator.state.synchronization().features.blockCloudObjectTakeoverThroughHardMatchEnabled).toBe(true);
  });

  it('refuses unknown features, non-boolean values and other properties, changing nothing', async () => {
    for (const body of [
      { features: { passwordSyncEnabled: true } },
      { features: { blockSoftMatchEnabled: 'yes' } },
      { configuration: {} },
      { features: [] },
    ]) {
      const failure = await graphFailure(h.client.api(path()).patch(body));
      expect(failure.status).toBe(400);
    }
    expect(h.emulator.state.synchronization().features).toMatchObject({
      blockSoftMatchEnabled: false,
      blockCloudObjectTakeoverThroughHardMatchEnabled: true,
    });
  });
});

describe('group transitive members', () => {
  it('expands nested groups (cycles included) and types each member; deleted users are left out', async () => {
    const page = (await h.client.api(`/groups/${ID.admins}/transitiveMembers`).select(['id', 'displayName']).get()) as Page<
      Record<string, unknown>
    >;
    expect(page['@odata.context']).toBe(`${h.emulator.url}/v1.0/$metadata#directoryObjects(id,displayName)`);
    const members = page.value.map((m) => [m['@odata.type'], m['id']]);
    expect(members).toEqual(
      [
        ['#microsoft.graph.user', ID.admin],
        ['#microsoft.graph.group', ID.helpdesk],
        ['#microsoft.graph.user', ID.lead],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
  });

  it('casts to microsoft.graph.user: users only', async () => {
    const page = (await h.client
      .api(`/groups/${ID.admins}/transitiveMembers/microsoft.graph.user`)
      .select(['userPrincipalName'])
      .get()) as Page<Record<string, unknown>>;
    expect(page['@odata.context']).toBe(`${h.emulator.url}/v1.0/$metadata#users(userPrincipalName)`);
    expect(page.value.map((u) => u['userPrincipalName']).sort()).toEqual(['admin@contoso.onmicrosoft.com', 'helpdesk.lead@contoso.com']);
  });

  it('answers 404 for an unknown group', async () => {
    const failure = await graphFailure(h.client.api('/groups/00000000-0000-4000-8000-000000000002/transitiveMembers').get());
    expect(failure).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
  });
});

describe("a user's directory roles", () => {
  it('lists the roles a user holds, and none for an ordinary user', async () => {
    const admin = (await h.client.api(`/users/${ID.admin}/transitiveMemberOf/microsoft.graph.directoryRole`).get()) as Page<
      Record<string, unknown>
    >;
    expect(admin['@odata.context']).toBe(`${h.emulator.url}/v1.0/$metadata#directoryRoles`);
    expect(admin.value).toEqual([
      {
        id: ID.globalAdmin,
        deletedDateTime: null,
        description: null,
        displayName: 'Global Administrator',
        roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
      },
    ]);
    const plain = (await h.client.api(`/users/${ID.jane}/transitiveMemberOf/microsoft.graph.directoryRole`).get()) as Page<unknown>;
    expect(plain.value).toEqual([]);
  });

  it('finds the user by UPN too', async () => {
    const page = (await h.client
      .api('/users/admin@contoso.onmicrosoft.com/transitiveMemberOf/microsoft.graph.directoryRole')
      .get()) as Page<unknown>;
    expect(page.value).toHaveLength(1);
  });
});
