/**
 * Writes as Entra Connect makes them (for the sync simulator): not bound by the "on-premises
 * mastered" rule, but by what the service does to an export:
 * - an ImmutableID held by any other user (active or soft-deleted) fails the export;
 * - an unverified UPN suffix (e.g. `.local`) becomes `@<initial>.onmicrosoft.com`;
 * - duplicate-attribute resiliency: a UPN taken by another user becomes
 *   `<prefix>+<4 digits>@<initial>.onmicrosoft.com`, a proxy address taken by another object is
 *   quarantined (dropped); both show in `onPremisesProvisioningErrors` (PropertyConflict), and a
 *   conflict that lasts keeps the time it first occurred;
 * - a soft-deleted synced user whose AD object comes back is restored by the export itself;
 * - 2026 hardening: an export that would map a user whose `onPremisesObjectIdentifier` names another
 *   on-premises object is refused (InvalidHardMatch, Microsoft's text); a hard match onto a cloud-only
 *   user assigned or eligible (PIM) for a directory role is refused (MC1262584); a user whose source
 *   of authority is the cloud (`isCloudManaged`) takes no export. A successful export stamps the
 *   AD object's identifier.
 */
import { domainOf, graphDateTime, localPartOf, sameText } from './directory-values.ts';
import { graphErrors } from './graph-errors.ts';
import { copyUser, type ProvisioningError, type UserRecord } from './model.ts';
import { assertAnchorFree, assertImmutableIdFormat } from './rules.ts';
import { assertExportAllowed, type ExportKind } from './rules-2026.ts';
import type { DirectoryStore } from './store.ts';

/** What Entra Connect exports for a user: the AD values, before the service adjusts them. */
export interface SyncedUserAttributes {
  onPremisesImmutableId: string;
  /** The AD UPN; the cloud UPN may differ (unverified suffix, duplicate). */
  userPrincipalName: string;
  displayName: string;
  mail?: string | null;
  proxyAddresses?: string[];
  accountEnabled?: boolean;
  onPremisesDistinguishedName?: string | null;
  onPremisesSamAccountName?: string | null;
  /** The AD object's objectGUID (GUID text); stamped as `onPremisesObjectIdentifier`. Absent: left as it is. */
  onPremisesObjectIdentifier?: string | null;
}

export interface SyncDeps {
  now: () => Date;
  random: () => number;
  newId: () => string;
}

export function createSyncedUser(store: DirectoryStore, attrs: SyncedUserAttributes, deps: SyncDeps): UserRecord {
  const user: UserRecord = {
    id: deps.newId().toLowerCase(),
    userPrincipalName: attrs.userPrincipalName,
    displayName: attrs.displayName,
    mail: null,
    proxyAddresses: [],
    accountEnabled: true,
    userType: 'Member',
    onPremisesImmutableId: null,
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: null,
    onPremisesDistinguishedName: null,
    onPremisesSamAccountName: null,
    onPremisesUserPrincipalName: null,
    onPremisesProvisioningErrors: [],
    createdDateTime: deps.now().toISOString(),
    deletedDateTime: null,
    onPremisesObjectIdentifier: null,
    isCloudManaged: false,
    upnBeforeDeletion: null,
  };
  applySyncedAttributes(store, user, attrs, deps);
  store.users.set(user.id, user);
  return copyUser(user);
}

/**
 * Export AD values onto an existing user. On a cloud-only user this is the join a hard or soft
 * match performs: it becomes synced and every synced attribute is overwritten from AD. `kind` says
 * which: the 2026 rules refuse a hard match onto a role holder, never a plain update.
 */
export function updateSyncedUser(
  store: DirectoryStore,
  id: string,
  attrs: Partial<SyncedUserAttributes>,
  deps: SyncDeps,
  kind: ExportKind = 'update',
): UserRecord {
  const user = store.activeUser(id);
  if (!user) throw graphErrors.resourceNotFound(id);
  assertExportAllowed(store, user, { objectIdentifier: attrs.onPremisesObjectIdentifier, kind, now: deps.now() });
  const anchor = attrs.onPremisesImmutableId ?? user.onPremisesImmutableId;
  if (anchor === null) throw graphErrors.invalidPropertyValue('onPremisesImmutableId');
  applySyncedAttributes(
    store,
    user,
    {
      onPremisesImmutableId: anchor,
      userPrincipalName: attrs.userPrincipalName ?? user.onPremisesUserPrincipalName ?? user.userPrincipalName,
      displayName: attrs.displayName ?? user.displayName,
      mail: attrs.mail === undefined ? user.mail : attrs.mail,
      proxyAddresses: attrs.proxyAddresses ?? user.proxyAddresses,
      accountEnabled: attrs.accountEnabled ?? user.accountEnabled,
      onPremisesDistinguishedName: attrs.onPremisesDistinguishedName ?? user.onPremisesDistinguishedName,
      onPremisesSamAccountName: attrs.onPremisesSamAccountName ?? user.onPremisesSamAccountName,
      onPremisesObjectIdentifier: attrs.onPremisesObjectIdentifier ?? user.onPremisesObjectIdentifier,
    },
    deps,
  );
  return copyUser(user);
}

/**
 * Entra Connect brings back a soft-deleted synced user whose AD object is in scope again: the
 * export restores it and writes the AD values under the export rules (a UPN or proxy address taken
 * meanwhile is substituted or quarantined, not refused as a Graph restore would refuse it).
 * Group and role links were kept in the recycle bin, so they come back too.
 */
export function restoreSyncedUser(store: DirectoryStore, id: string, attrs: SyncedUserAttributes, deps: SyncDeps): UserRecord {
  const user = store.deletedUser(id);
  if (!user) throw graphErrors.resourceNotFound(id);
  assertExportAllowed(store, user, { objectIdentifier: attrs.onPremisesObjectIdentifier, kind: 'update', now: deps.now() });
  const before = {
    deletedDateTime: user.deletedDateTime,
    userPrincipalName: user.userPrincipalName,
    upnBeforeDeletion: user.upnBeforeDeletion,
  };
  user.deletedDateTime = null;
  user.userPrincipalName = user.upnBeforeDeletion ?? user.userPrincipalName;
  user.upnBeforeDeletion = null;
  try {
    applySyncedAttributes(store, user, attrs, deps);
  } catch (err) {
    Object.assign(user, before);
    throw err;
  }
  return copyUser(user);
}

function applySyncedAttributes(store: DirectoryStore, user: UserRecord, attrs: SyncedUserAttributes, deps: SyncDeps): void {
  assertImmutableIdFormat(attrs.onPremisesImmutableId);
  assertAnchorFree(store, attrs.onPremisesImmutableId, user.id);
  const now = graphDateTime(deps.now());
  const errors: ProvisioningError[] = [];
  const upn = resolveUpn(store, user, attrs.userPrincipalName, deps.random);
  if (upn.conflict) errors.push(propertyConflict(user, 'UserPrincipalName', upn.wanted, now));
  const proxies: string[] = [];
  for (const address of attrs.proxyAddresses ?? []) {
    if (store.proxyHolder(address, user.id)) errors.push(propertyConflict(user, 'ProxyAddress', address, now));
    else proxies.push(address);
  }
  user.onPremisesImmutableId = attrs.onPremisesImmutableId;
  user.userPrincipalName = upn.value;
  user.onPremisesUserPrincipalName = attrs.userPrincipalName;
  user.displayName = attrs.displayName;
  user.mail = attrs.mail ?? null;
  user.proxyAddresses = proxies;
  user.accountEnabled = attrs.accountEnabled ?? true;
  user.onPremisesDistinguishedName = attrs.onPremisesDistinguishedName ?? null;
  user.onPremisesSamAccountName = attrs.onPremisesSamAccountName ?? null;
  if (attrs.onPremisesObjectIdentifier != null) user.onPremisesObjectIdentifier = attrs.onPremisesObjectIdentifier.toLowerCase();
  user.onPremisesSyncEnabled = true;
  user.onPremisesLastSyncDateTime = now;
  user.onPremisesProvisioningErrors = errors;
}

/** A PropertyConflict; one that persists from the user's previous sync keeps the time it first occurred. */
function propertyConflict(
  user: UserRecord,
  property: ProvisioningError['propertyCausingError'],
  value: string,
  now: string,
): ProvisioningError {
  const earlier = user.onPremisesProvisioningErrors.find((e) => e.propertyCausingError === property && sameText(e.value, value));
  return { category: 'PropertyConflict', occurredDateTime: earlier?.occurredDateTime ?? now, propertyCausingError: property, value };
}

interface ResolvedUpn {
  value: string;
  /** The UPN the service wanted to give before a conflict (after the suffix rule). */
  wanted: string;
  conflict: boolean;
}

function resolveUpn(store: DirectoryStore, user: UserRecord, adUpn: string, random: () => number): ResolvedUpn {
  const initial = store.tenant.initialDomain;
  const verified = store.domain(domainOf(adUpn))?.isVerified === true;
  const wanted = verified ? adUpn : `${localPartOf(adUpn)}@${initial}`;
  if (!store.upnHolder(wanted, user.id)) return { value: wanted, wanted, conflict: false };
  // Still in conflict on a later sync: keep the substitute Entra already gave, as the service does.
  const previous = user.onPremisesProvisioningErrors.find((e) => e.propertyCausingError === 'UserPrincipalName');
  if (previous?.value === wanted && user.userPrincipalName !== wanted) return { value: user.userPrincipalName, wanted, conflict: true };
  // A random start, then every other suffix in turn: terminates even with a constant `random`.
  const start = Math.floor(random() * 10_000);
  for (let i = 0; i < 10_000; i++) {
    const digits = String((start + i) % 10_000).padStart(4, '0');
    const candidate = `${localPartOf(wanted)}+${digits}@${initial}`;
    if (!store.upnHolder(candidate, user.id)) return { value: candidate, wanted, conflict: true };
  }
  const holder = store.upnHolder(wanted, user.id);
  throw graphErrors.objectConflict('userPrincipalName', { kind: 'User', id: holder?.id ?? '' });
}
