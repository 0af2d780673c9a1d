/**
 * The records the emulated tenant holds. They are the Graph resource types with the fields the
 * rules need made non-optional, so rule code never guesses whether "missing" means null.
 * Records handed out of EmulatorState are copies: callers cannot change the tenant behind its back.
 */
import type { Domain, OnPremisesProvisioningError, User } from '@microsoft/microsoft-graph-types';

export interface ProvisioningError extends OnPremisesProvisioningError {
  category: string;
  occurredDateTime: string;
  propertyCausingError: 'UserPrincipalName' | 'ProxyAddress';
  value: string;
}

export interface UserRecord extends Required<
  Pick<
    User,
    | 'mail'
    | 'onPremisesImmutableId'
    | 'onPremisesSyncEnabled'
    | 'onPremisesLastSyncDateTime'
    | 'onPremisesDistinguishedName'
    | 'onPremisesSamAccountName'
    | 'onPremisesUserPrincipalName'
    | 'deletedDateTime'
  >
> {
  id: string;
  /** While the user is in the recycle bin this is the renamed UPN Entra shows for deleted users. */
  userPrincipalName: string;
  displayName: string;
  proxyAddresses: string[];
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  onPremisesProvisioningErrors: ProvisioningError[];
  /** When the object was created (ISO 8601); null when the seed did not say. */
  createdDateTime: string | null;
  /**
   * Beta property (2026 hard-match hardening): the on-premises object the user is mapped to, the
   * AD objectGUID as GUID text; stamped by the sync on join or create, cleared only through Graph.
   */
  onPremisesObjectIdentifier: string | null;
  /** `onPremisesSyncBehavior.isCloudManaged` (source of authority moved to the cloud): the sync skips the user. */
  isCloudManaged: boolean;
  /** Set only while deleted: the UPN a restore gives back. Never returned over Graph. */
  upnBeforeDeletion: string | null;
}

export interface GroupRecord {
  id: string;
  displayName: string;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  proxyAddresses: string[];
  isAssignableToRole: boolean;
  /** Direct members: ids of users or groups. */
  members: string[];
}

export interface DirectoryRoleRecord {
  id: string;
  displayName: string;
  roleTemplateId: string;
  /** Direct members: ids of users and of role-assignable groups. */
  members: string[];
}

export interface DomainRecord extends Required<Pick<Domain, 'id' | 'isVerified' | 'isDefault' | 'isInitial'>> {
  id: string;
  isVerified: boolean;
  isDefault: boolean;
  isInitial: boolean;
  authenticationType: 'Managed' | 'Federated';
}

export interface TenantRecord {
  id: string;
  displayName: string;
  initialDomain: string;
}

export interface SyncFeatureSwitches {
  blockSoftMatchEnabled: boolean;
  blockCloudObjectTakeoverThroughHardMatchEnabled: boolean;
  softMatchOnUpnEnabled: boolean;
}

export interface SyncSettingsRecord {
  id: string;
  features: SyncFeatureSwitches;
}

/** A PIM role eligibility (`unifiedRoleEligibilityScheduleInstance`), tenant-wide (`directoryScopeId` '/'). */
export interface RoleEligibilityRecord {
  id: string;
  principalId: string;
  /** The role definition's id (its template id for built-in roles). */
  roleDefinitionId: string;
  startDateTime: string;
  /** Null: eligible without an end date (a permanent eligibility). */
  endDateTime: string | null;
}

/** Which sync engine writes to the tenant: Entra Connect Sync, Entra Cloud Sync, or both. */
export type SyncEngine = 'connect-sync' | 'cloud-sync' | 'both';

/** A transitive member of a group: the object and what kind it is. */
export type DirectoryMember = { kind: 'user'; user: UserRecord } | { kind: 'group'; group: GroupRecord };

export function copyUser(user: UserRecord): UserRecord {
  return {
    ...user,
    proxyAddresses: [...user.proxyAddresses],
    onPremisesProvisioningErrors: user.onPremisesProvisioningErrors.map((e) => ({ ...e })),
  };
}

export function copyGroup(group: GroupRecord): GroupRecord {
  return { ...group, proxyAddresses: [...group.proxyAddresses], members: [...group.members] };
}
