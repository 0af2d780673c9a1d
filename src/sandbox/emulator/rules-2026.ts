/**
 * Entra's 2026 matching rules (sources in README.md, "Rules and the errors they answer"), as checks
 * the sync writes (`sync-writes.ts`) and the Graph writes (`user-writes.ts`, the routes) call:
 * - remapping blocked (hard-match hardening, enforced July 1, 2026): an export may not map a user
 *   whose `onPremisesObjectIdentifier` names another on-premises object;
 * - MC1262584 (June 2026): no hard match onto a cloud-managed user who holds a Microsoft Entra role,
 *   assigned or eligible through PIM;
 * - source of authority: a user with `isCloudManaged` takes no export;
 * - clearing `onPremisesObjectIdentifier` needs Global Administrator or Hybrid Identity Administrator
 *   on the caller (the app's own service principal here).
 */
import { graphErrors } from './graph-errors.ts';
import { directoryRolesOf } from './membership.ts';
import type { UserRecord } from './model.ts';
import { roleDefinition } from './role-definitions.ts';
import type { DirectoryStore } from './store.ts';

/** What an export does to an existing user: a plain update (or restore), or a join by hard or soft match. */
export type ExportKind = 'update' | 'hard-match' | 'soft-match';

/** Roles whose holders may clear a mapping (Graph's recovery for the hardening). */
const CLEAR_ROLES = ['Global Administrator', 'Hybrid Identity Administrator'];

export function assertExportAllowed(
  store: DirectoryStore,
  user: UserRecord,
  export_: { objectIdentifier: string | null | undefined; kind: ExportKind; now: Date },
): void {
  const { objectIdentifier, kind, now } = export_;
  if (user.isCloudManaged) throw graphErrors.cloudManaged(user.id);
  const mapped = user.onPremisesObjectIdentifier;
  if (objectIdentifier != null && mapped !== null && mapped !== objectIdentifier.toLowerCase()) throw graphErrors.remapBlocked();
  if (kind === 'hard-match' && user.onPremisesSyncEnabled !== true) {
    const roles = rolesHeldOrEligible(store, user.id, now);
    if (roles.length > 0) throw graphErrors.roleHolderHardMatch(user.id, roles);
  }
}

/** Display names of the roles a user holds (directly or through a role-assignable group) or is eligible for, sorted. */
export function rolesHeldOrEligible(store: DirectoryStore, userId: string, now: Date): string[] {
  const held = directoryRolesOf(store, userId).map((r) => r.displayName);
  return [...new Set([...held, ...eligibleRoleNames(store, userId, now)])].sort();
}

/** Display names of the roles a user is eligible for (PIM) at `now`: started, not yet ended. */
export function eligibleRoleNames(store: DirectoryStore, userId: string, now: Date): string[] {
  const id = userId.toLowerCase();
  const at = now.getTime();
  return store.eligibilities
    .filter((e) => e.principalId === id && Date.parse(e.startDateTime) <= at && (e.endDateTime === null || Date.parse(e.endDateTime) > at))
    .map((e) => roleDefinition(e.roleDefinitionId)?.displayName ?? e.roleDefinitionId);
}

/** The caller may clear `onPremisesObjectIdentifier` only holding one of CLEAR_ROLES; else Graph's 403. */
export function assertMayClearObjectIdentifier(store: DirectoryStore): void {
  const allowed = CLEAR_ROLES.some((name) => {
    const id = roleDefinition(name)?.id;
    return id !== undefined && store.appRoleIds.has(id);
  });
  if (!allowed) throw graphErrors.insufficientPrivileges();
}
