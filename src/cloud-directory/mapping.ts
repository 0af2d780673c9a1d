/**
 * Graph resources (Microsoft's own typings) → the domain's types. Only this module sees
 * `@microsoft/microsoft-graph-types`; everything past it speaks CloudUser, CloudGroup, TenantFacts.
 * The `$select` lists here are exactly the properties the mapping reads: Graph returns the
 * onPremises* properties only when they are selected.
 */
import type {
  DirectoryRole,
  Domain,
  Group,
  OnPremisesDirectorySynchronization,
  OnPremisesProvisioningError,
  User,
} from '@microsoft/microsoft-graph-types';
import type { CloudGroup, CloudUser, ProvisioningConflict, SyncSwitches, TenantDomain, TenantFacts } from '../domain/cloud.ts';

export const USER_SELECT = [
  'id',
  'userPrincipalName',
  'displayName',
  'mail',
  'proxyAddresses',
  'accountEnabled',
  'onPremisesImmutableId',
  'onPremisesSyncEnabled',
  'onPremisesLastSyncDateTime',
  'onPremisesProvisioningErrors',
  'onPremisesDistinguishedName',
  'onPremisesSamAccountName',
  'onPremisesUserPrincipalName',
  'createdDateTime',
] as const;

/**
 * The same on beta, plus the 2026 properties only beta has: the on-premises object the user is
 * mapped to, and (expanded) its source of authority. `BETA_USER_EXPAND` goes with it.
 */
export const BETA_USER_SELECT = [...USER_SELECT, 'onPremisesObjectIdentifier'] as const;
export const BETA_USER_EXPAND = 'onPremisesSyncBehavior($select=isCloudManaged)';

/** A user as beta answers it: Microsoft's v1.0 typing plus the beta properties the mapping reads. */
export type BetaUser = User & {
  onPremisesObjectIdentifier?: string | null;
  onPremisesSyncBehavior?: { isCloudManaged?: boolean | null } | null;
};

/** Users in the recycle bin: the same, plus when they were deleted. */
export const DELETED_USER_SELECT = [...USER_SELECT, 'deletedDateTime'] as const;

export const GROUP_SELECT = ['id', 'displayName', 'mail', 'proxyAddresses'] as const;
export const DOMAIN_SELECT = ['id', 'isVerified', 'isDefault', 'isInitial', 'authenticationType'] as const;
export const ROLE_SELECT = ['id', 'displayName'] as const;

/** Graph's defaults for a tenant that never configured Entra Connect (no onPremisesSynchronization object). */
export const DEFAULT_SWITCHES: SyncSwitches = {
  blockSoftMatchEnabled: false,
  blockCloudObjectTakeoverThroughHardMatchEnabled: false,
  softMatchOnUpnEnabled: true,
};

export function toCloudUser(user: BetaUser, adminRoles: readonly string[] = []): CloudUser {
  const beta: Partial<CloudUser> = {};
  if (user.onPremisesObjectIdentifier !== undefined) beta.onPremisesObjectIdentifier = user.onPremisesObjectIdentifier;
  if (user.onPremisesSyncBehavior !== undefined) beta.cloudManaged = user.onPremisesSyncBehavior?.isCloudManaged === true;
  return {
    ...beta,
    id: (user.id ?? '').toLowerCase(),
    userPrincipalName: user.userPrincipalName ?? '',
    displayName: user.displayName ?? null,
    mail: user.mail ?? null,
    proxyAddresses: [...(user.proxyAddresses ?? [])],
    accountEnabled: user.accountEnabled ?? null,
    immutableId: user.onPremisesImmutableId ?? null,
    synced: user.onPremisesSyncEnabled === true,
    lastSyncDateTime: user.onPremisesLastSyncDateTime ?? null,
    onPremisesDistinguishedName: user.onPremisesDistinguishedName ?? null,
    onPremisesSamAccountName: user.onPremisesSamAccountName ?? null,
    onPremisesUserPrincipalName: user.onPremisesUserPrincipalName ?? null,
    provisioningErrors: (user.onPremisesProvisioningErrors ?? []).map(toConflict),
    createdDateTime: user.createdDateTime ?? null,
    deletedDateTime: user.deletedDateTime ?? null,
    adminRoles: [...adminRoles],
  };
}

function toConflict(error: OnPremisesProvisioningError): ProvisioningConflict {
  return {
    category: error.category ?? '',
    property: error.propertyCausingError ?? '',
    value: error.value ?? '',
    occurredDateTime: error.occurredDateTime ?? null,
  };
}

export function toCloudGroup(group: Group): CloudGroup {
  return {
    id: (group.id ?? '').toLowerCase(),
    displayName: group.displayName ?? '',
    mail: group.mail ?? null,
    proxyAddresses: [...(group.proxyAddresses ?? [])],
  };
}

export function roleNames(roles: readonly DirectoryRole[]): string[] {
  return [...new Set(roles.map((r) => r.displayName ?? r.id ?? '').filter((name) => name !== ''))].sort();
}

function toTenantDomain(domain: Domain): TenantDomain {
  return {
    name: (domain.id ?? '').toLowerCase(),
    verified: domain.isVerified === true,
    federated: (domain.authenticationType ?? '').toLowerCase() === 'federated',
    initial: domain.isInitial === true,
    default: domain.isDefault === true,
  };
}

export function toSwitches(sync: OnPremisesDirectorySynchronization | undefined): SyncSwitches {
  const features = sync?.features;
  return {
    blockSoftMatchEnabled: features?.blockSoftMatchEnabled ?? DEFAULT_SWITCHES.blockSoftMatchEnabled,
    blockCloudObjectTakeoverThroughHardMatchEnabled:
      features?.blockCloudObjectTakeoverThroughHardMatchEnabled ?? DEFAULT_SWITCHES.blockCloudObjectTakeoverThroughHardMatchEnabled,
    softMatchOnUpnEnabled: features?.softMatchOnUpnEnabled ?? DEFAULT_SWITCHES.softMatchOnUpnEnabled,
  };
}

/** The initial domain is the one Graph flags `isInitial`; every tenant has exactly one. */
export function toTenantFacts(
  domains: readonly Domain[],
  sync: OnPremisesDirectorySynchronization | undefined,
  roleHolders: Readonly<Record<string, string[]>> = {},
): TenantFacts {
  const mapped = domains.map(toTenantDomain).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const initial = mapped.find((d) => d.initial) ?? mapped.find((d) => d.name.endsWith('.onmicrosoft.com'));
  return { initialDomain: initial?.name ?? '', domains: mapped, switches: toSwitches(sync), roleHolders: { ...roleHolders } };
}
