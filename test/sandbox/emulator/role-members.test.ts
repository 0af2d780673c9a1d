/** EmulatorState.setDirectoryRoleMember: what an admin does in the portal to a user's roles. */
import { describe, expect, it } from 'vitest';
import { EmulatorState, type SeedInput } from '../../../src/sandbox/emulator/index.ts';
import { CONTOSO_TENANT } from '../../support/contoso-seed.ts';

const seed: SeedInput = {
  tenant: CONTOSO_TENANT,
  domains: [{ id: 'contoso.onmicrosoft.com', isVerified: true, isInitial: true, authenticationType: 'Managed' }],
  onPremisesSynchronization: {
    id: '5e8f3a21-6b7c-4d9e-8f01-2a3b4c5d6e7f',
    features: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true },
  },
  users: [{ id: '11111111-1111-4111-8111-111111111111', userPrincipalName: 'h@contoso.onmicrosoft.com', displayName: 'H' }],
  directoryRoles: [
    {
      id: '22222222-2222-4222-8222-222222222222',
      displayName: 'Global Administrator',
      roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
      members: ['11111111-1111-4111-8111-111111111111'],
    },
  ],
};

describe('EmulatorState.setDirectoryRoleMember', () => {
  it('removes and re-assigns a role, by role name or id', () => {
    const state = EmulatorState.fromSeed(seed);
    expect(state.directoryRolesOf('h@contoso.onmicrosoft.com').map((r) => r.displayName)).toEqual(['Global Administrator']);
    state.setDirectoryRoleMember('global administrator', 'h@contoso.onmicrosoft.com', false);
    expect(state.directoryRolesOf('h@contoso.onmicrosoft.com')).toEqual([]);
    state.setDirectoryRoleMember('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111', true);
    state.setDirectoryRoleMember('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111', true);
    expect(state.directoryRolesOf('h@contoso.onmicrosoft.com')[0]?.members).toEqual(['11111111-1111-4111-8111-111111111111']);
  });

  it('answers 404 for an unknown role or user, changing nothing', () => {
    const state = EmulatorState.fromSeed(seed);
    expect(() => state.setDirectoryRoleMember('Nope', 'h@contoso.onmicrosoft.com', false)).toThrow(/Nope/);
    expect(() => state.setDirectoryRoleMember('Global Administrator', 'x@contoso.onmicrosoft.com', false)).toThrow(/x@contoso/);
    expect(state.directoryRolesOf('h@contoso.onmicrosoft.com')).toHaveLength(1);
  });
});
