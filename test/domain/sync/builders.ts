/** Small builders for the sync core's tests: cloud users, groups and a SyncTenant around them. */
import type { CloudGroup, CloudUser, SyncSwitches, TenantFacts } from '../../../src/domain/cloud.ts';
import type { SyncTenant } from '../../../src/domain/sync/types.ts';
import { baseCloudUser } from '../../support/cloud-user.ts';

export const INITIAL = 'contoso.onmicrosoft.com';

export const FACTS: TenantFacts = {
  initialDomain: INITIAL,
  domains: [
    { name: INITIAL, verified: true, federated: false, initial: true, default: false },
    { name: 'contoso.com', verified: true, federated: false, initial: false, default: true },
    { name: 'fabrikam.com', verified: true, federated: true, initial: false, default: false },
    { name: 'contoso.net', verified: false, federated: false, initial: false, default: false },
  ],
  switches: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true },
  roleHolders: {},
};

let counter = 0;

export function cloudUser(overrides: Partial<CloudUser> = {}): CloudUser {
  counter += 1;
  return baseCloudUser({
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    userPrincipalName: `user${counter}@contoso.com`,
    displayName: `User ${counter}`,
    ...overrides,
  });
}

/** A soft-deleted user: Entra renames its UPN to `<id without dashes><UPN>`. */
export function deletedUser(overrides: Partial<CloudUser> & { userPrincipalName: string }): CloudUser {
  const user = cloudUser(overrides);
  return {
    ...user,
    userPrincipalName: `${user.id.replaceAll('-', '')}${overrides.userPrincipalName}`,
    deletedDateTime: '2026-02-21T09:15:00Z',
  };
}

export function group(overrides: Partial<CloudGroup> = {}): CloudGroup {
  return { id: 'c3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b', displayName: 'Sales', mail: null, proxyAddresses: [], ...overrides };
}

export function tenant(users: CloudUser[], options: { otherObjects?: CloudGroup[]; switches?: Partial<SyncSwitches> } = {}): SyncTenant {
  return {
    users,
    otherObjects: options.otherObjects ?? [],
    facts: { ...FACTS, switches: { ...FACTS.switches, ...options.switches } },
  };
}
