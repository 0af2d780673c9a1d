/**
 * The neutral CloudUser every test builder starts from: active, cloud-only, no anchor, no
 * addresses, no roles, no provisioning errors. Builders add an id and a UPN and override the rest.
 */
import type { CloudUser } from '../../src/domain/cloud.ts';

export const CLOUD_USER_DEFAULTS: Readonly<Omit<CloudUser, 'id' | 'userPrincipalName'>> = Object.freeze({
  displayName: null,
  mail: null,
  proxyAddresses: [],
  accountEnabled: true,
  immutableId: null,
  synced: false,
  lastSyncDateTime: null,
  onPremisesDistinguishedName: null,
  onPremisesSamAccountName: null,
  onPremisesUserPrincipalName: null,
  provisioningErrors: [],
  createdDateTime: null,
  deletedDateTime: null,
  adminRoles: [],
});

/** A cloud user with the defaults above; arrays are fresh copies so a test can change them. */
export function baseCloudUser(overrides: Partial<CloudUser> & Pick<CloudUser, 'id' | 'userPrincipalName'>): CloudUser {
  return { ...CLOUD_USER_DEFAULTS, proxyAddresses: [], provisioningErrors: [], adminRoles: [], ...overrides };
}
