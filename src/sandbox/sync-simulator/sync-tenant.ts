/**
 * The emulated tenant as the sync engine sees it: EmulatorState's records mapped onto the domain's
 * SyncTenant (users active and deleted with their admin roles, address-holding groups, domains and
 * switches), so the pure prediction can run over it.
 */
import type { CloudGroup, CloudUser, TenantFacts } from '../../domain/cloud.ts';
import type { SyncTenant } from '../../domain/sync/types.ts';
import type { EmulatorState, GroupRecord, UserRecord } from '../emulator/index.ts';

/**
 * A user record as the domain sees it; `roles` are the display names of its directory roles,
 * `eligible` those it is eligible for through PIM.
 */
export function toCloudUser(record: UserRecord, roles: string[], eligible: string[] = []): CloudUser {
  // The 2026 facts, for a prediction that reads them (CloudUser's optional hardening fields).
  const hardening = {
    eligibleRoles: [...eligible],
    onPremisesObjectIdentifier: record.onPremisesObjectIdentifier,
    cloudManaged: record.isCloudManaged,
  };
  return {
    ...hardening,
    id: record.id,
    userPrincipalName: record.userPrincipalName,
    displayName: record.displayName,
    mail: record.mail,
    proxyAddresses: [...record.proxyAddresses],
    accountEnabled: record.accountEnabled,
    immutableId: record.onPremisesImmutableId,
    synced: record.onPremisesSyncEnabled === true,
    lastSyncDateTime: record.onPremisesLastSyncDateTime,
    onPremisesDistinguishedName: record.onPremisesDistinguishedName,
    onPremisesSamAccountName: record.onPremisesSamAccountName,
    onPremisesUserPrincipalName: record.onPremisesUserPrincipalName,
    provisioningErrors: record.onPremisesProvisioningErrors.map((e) => ({
      category: e.category,
      property: e.propertyCausingError,
      value: e.value,
      occurredDateTime: e.occurredDateTime,
    })),
    createdDateTime: record.createdDateTime,
    deletedDateTime: record.deletedDateTime,
    adminRoles: [...roles],
  };
}

export function toCloudGroup(record: GroupRecord): CloudGroup {
  return { id: record.id, displayName: record.displayName, mail: record.mail, proxyAddresses: [...record.proxyAddresses] };
}

/**
 * The whole tenant, read now. Roles are looked up for active users only: a deleted user's roles
 * never decide a match (it can only be restored or block its anchor).
 */
export function syncTenantOf(state: EmulatorState): SyncTenant {
  const eligible = eligibleByUser(state);
  const active = state.activeUsers().map((u) =>
    toCloudUser(
      u,
      state.directoryRolesOf(u.id).map((r) => r.displayName),
      eligible.get(u.id) ?? [],
    ),
  );
  const deleted = state.deletedUsers().map((u) => toCloudUser(u, []));
  const otherObjects = state
    .groups()
    .filter((g) => g.mail !== null || g.proxyAddresses.length > 0)
    .map(toCloudGroup);
  return { users: [...active, ...deleted], otherObjects, facts: tenantFactsOf(state) };
}

/** PIM eligibilities in force now, by user: one pass over them, not one per user. */
function eligibleByUser(state: EmulatorState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const principals = new Set(state.roleEligibilities().map((e) => e.principalId));
  for (const id of principals) {
    if (!state.activeUser(id)) continue;
    const roles = state.eligibleRolesOf(id);
    if (roles.length > 0) out.set(id, roles);
  }
  return out;
}

export function tenantFactsOf(state: EmulatorState): TenantFacts {
  const initialDomain = state.tenant.initialDomain;
  return {
    initialDomain,
    domains: state.domains().map((d) => ({
      name: d.id,
      verified: d.isVerified,
      federated: d.authenticationType === 'Federated',
      initial: d.isInitial,
      default: d.isDefault,
    })),
    switches: { ...state.synchronization().features },
    roleHolders: roleHoldersOf(state),
  };
}

/** Active users holding roles, as the tenant facts list them. */
function roleHoldersOf(state: EmulatorState): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const u of state.activeUsers()) {
    const roles = state.directoryRolesOf(u.id).map((r) => r.displayName);
    if (roles.length > 0) out[u.id] = [...new Set(roles)].sort();
  }
  return out;
}
