/**
 * Unit: Graph resources → domain types, including what Graph leaves out (null, missing) and a
 * tenant that never configured Entra Connect (Graph's default switches).
 */
import { describe, expect, it } from 'vitest';
import { roleNames, toCloudGroup, toCloudUser, toTenantFacts } from '../../src/cloud-directory/mapping.ts';

describe('toCloudUser', () => {
  it('fills what Graph omitted with null / empty, lower-cases the id, and reads synced strictly', () => {
    expect(
      toCloudUser({ id: 'ABC-DEF', userPrincipalName: 'x@contoso.com', onPremisesSyncEnabled: null }, ['Global Administrator']),
    ).toEqual({
      id: 'abc-def',
      userPrincipalName: 'x@contoso.com',
      displayName: null,
      mail: null,
      proxyAddresses: [],
      accountEnabled: null,
      immutableId: null,
      synced: false,
      lastSyncDateTime: null,
      onPremisesDistinguishedName: null,
      onPremisesSamAccountName: null,
      onPremisesUserPrincipalName: null,
      provisioningErrors: [],
      createdDateTime: null,
      deletedDateTime: null,
      adminRoles: ['Global Administrator'],
    });
  });

  it('keeps createdDateTime: a synced user created with its first conflict was made by the sync', () => {
    expect(toCloudUser({ id: 'a', userPrincipalName: 'x@contoso.com', createdDateTime: '2026-03-01T10:00:00Z' }).createdDateTime).toBe(
      '2026-03-01T10:00:00Z',
    );
  });

  it('maps provisioning errors onto ProvisioningConflict', () => {
    const user = toCloudUser({
      id: 'a',
      onPremisesProvisioningErrors: [
        { category: 'PropertyConflict', propertyCausingError: 'ProxyAddress', value: 'smtp:x@y', occurredDateTime: null },
      ],
    });
    expect(user.provisioningErrors).toEqual([
      { category: 'PropertyConflict', property: 'ProxyAddress', value: 'smtp:x@y', occurredDateTime: null },
    ]);
  });
});

describe('toCloudGroup / roleNames', () => {
  it('maps a group and lists role names once, sorted', () => {
    expect(toCloudGroup({ id: 'G', displayName: 'Sales', mail: 'sales@contoso.com', proxyAddresses: ['SMTP:sales@contoso.com'] })).toEqual({
      id: 'g',
      displayName: 'Sales',
      mail: 'sales@contoso.com',
      proxyAddresses: ['SMTP:sales@contoso.com'],
    });
    expect(
      roleNames([{ displayName: 'User Administrator' }, { displayName: 'Global Administrator' }, { displayName: 'User Administrator' }]),
    ).toEqual(['Global Administrator', 'User Administrator']);
  });
});

describe('toTenantFacts', () => {
  it('marks federated and initial domains, and uses Graph defaults when sync was never configured', () => {
    const facts = toTenantFacts(
      [
        { id: 'Fabrikam.com', isVerified: true, authenticationType: 'Federated' },
        { id: 'contoso.onmicrosoft.com', isVerified: true, isInitial: true, authenticationType: 'Managed' },
      ],
      undefined,
    );
    expect(facts).toEqual({
      initialDomain: 'contoso.onmicrosoft.com',
      domains: [
        { name: 'contoso.onmicrosoft.com', verified: true, federated: false, initial: true, default: false },
        { name: 'fabrikam.com', verified: true, federated: true, initial: false, default: false },
      ],
      switches: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true },
      roleHolders: {},
    });
  });

  it('reads the switches Graph reports', () => {
    const facts = toTenantFacts([], {
      features: { blockSoftMatchEnabled: true, blockCloudObjectTakeoverThroughHardMatchEnabled: true, softMatchOnUpnEnabled: false },
    });
    expect(facts.switches).toEqual({
      blockSoftMatchEnabled: true,
      blockCloudObjectTakeoverThroughHardMatchEnabled: true,
      softMatchOnUpnEnabled: false,
    });
  });
});
