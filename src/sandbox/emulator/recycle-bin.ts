/**
 * Soft delete, restore and purge. A soft-deleted user keeps its ImmutableID (so it still blocks
 * that anchor, the trap behind most failed hard matches) and its proxy addresses, but gives up
 * its UPN: Entra renames it to `<id without dashes><UPN>` until it is restored.
 *
 * A synced user sits in the recycle bin because its AD object was deleted or left sync scope (only
 * the sync deletes a synced user). Restored through Graph (or the admin center), it comes back
 * **cloud-only**: `onPremisesSyncEnabled` is false, the rest (ImmutableID, the on-premises values
 * Entra last saw, `onPremisesObjectIdentifier`) as it was. That is the documented way to free a
 * cloud account from its AD object (docs/domain.md, scenario 7). Entra Connect bringing its AD
 * object back into scope restores it synced instead (sync-writes.ts, `restoreSyncedUser`).
 */
import { graphDateTime, recycleBinUpn } from './directory-values.ts';
import { graphErrors } from './graph-errors.ts';
import { copyUser, type UserRecord } from './model.ts';
import { assertUpnDomainVerified, assertUpnFree } from './rules.ts';
import type { DirectoryStore } from './store.ts';

export interface RestoreOptions {
  /** Restore under this UPN instead of the original (Graph's `newUserPrincipalName`). */
  newUserPrincipalName?: string;
  /** Drop proxy addresses an active object has taken meanwhile instead of failing. */
  autoReconcileProxyConflict?: boolean;
}

export function softDeleteUser(store: DirectoryStore, idOrUpn: string, now: Date): UserRecord {
  const user = store.activeUser(idOrUpn);
  if (!user) throw graphErrors.resourceNotFound(idOrUpn);
  user.deletedDateTime = graphDateTime(now);
  user.upnBeforeDeletion = user.userPrincipalName;
  user.userPrincipalName = recycleBinUpn(user.id, user.userPrincipalName);
  return copyUser(user);
}

export function restoreDeletedUser(store: DirectoryStore, id: string, options: RestoreOptions = {}): UserRecord {
  const user = store.deletedUser(id);
  if (!user) throw graphErrors.resourceNotFound(id);
  const upn = options.newUserPrincipalName ?? user.upnBeforeDeletion ?? user.userPrincipalName;
  if (options.newUserPrincipalName !== undefined) assertUpnDomainVerified(store, upn);
  assertUpnFree(store, upn, user.id);
  const kept: string[] = [];
  for (const address of user.proxyAddresses) {
    const holder = store.proxyHolder(address, user.id);
    if (!holder) kept.push(address);
    else if (options.autoReconcileProxyConflict !== true) throw graphErrors.objectConflict('proxyAddresses', holder);
  }
  user.proxyAddresses = kept;
  user.userPrincipalName = upn;
  user.deletedDateTime = null;
  user.upnBeforeDeletion = null;
  if (user.onPremisesSyncEnabled === true) user.onPremisesSyncEnabled = false;
  return copyUser(user);
}

/** `DELETE /directory/deletedItems/{id}`: gone for good, its ImmutableID free again. */
export function purgeDeletedUser(store: DirectoryStore, id: string): void {
  const user = store.deletedUser(id);
  if (!user) throw graphErrors.resourceNotFound(id);
  store.users.delete(user.id);
  store.unlink(user.id);
}

/** Remove a user, active or deleted, without passing through the recycle bin. */
export function hardDeleteUser(store: DirectoryStore, id: string): void {
  const user = store.activeUser(id) ?? store.deletedUser(id);
  if (!user) throw graphErrors.resourceNotFound(id);
  store.users.delete(user.id);
  store.unlink(user.id);
}
