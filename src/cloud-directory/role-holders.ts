/**
 * Who holds Entra admin roles, read two ways:
 * - `roleHoldersRequest` + `readRoleHolders`: every holder in the tenant, as a tenant fact. One
 *   GET `/directoryRoles?$expand=members($select=id)` (the activated roles and their members) that
 *   rides in the tenant-facts `$batch`. Graph caps an expanded directoryObject relationship at 20
 *   items without a next link, so a role showing 20 members is read again through
 *   `/directoryRoles/{id}/members` (up to 1,000, no paging); a role-assignable group among the
 *   members is expanded through `/groups/{id}/transitiveMembers/microsoft.graph.user`. Those
 *   follow-ups (rare: big roles, roles assigned to groups) go out together in one more `$batch`.
 * - `rolesOfUsers`: the roles of given users, read now (`transitiveMemberOf/microsoft.graph.directoryRole`,
 *   so roles held through a role-assignable group count too), for decisions that must not trust a cache.
 */
import type { DirectoryObject, DirectoryRole } from '@microsoft/microsoft-graph-types';
import type { Operation } from './errors.ts';
import type { BatchAnswer, BatchGet, GraphTransport } from './graph-transport.ts';
import { roleNames, ROLE_SELECT } from './mapping.ts';
import { collectionUrl, pathSegment } from './odata.ts';
import { answerOf, MAX_PAGE, valuesOf } from './queries.ts';

/** Graph's cap on an expanded directoryObject relationship (concepts/query-parameters.md). */
export const EXPAND_LIMIT = 20;

export const ROLES_OP: Operation = { what: "read the tenant's admin-role holders", permission: 'RoleManagement.Read.Directory' };

/** Object id (lower case) → display names of the roles it holds, sorted. */
export type RoleHolders = Record<string, string[]>;

type ExpandedRole = DirectoryRole & { members?: (DirectoryObject & { '@odata.type'?: string })[] };

export function roleHoldersRequest(id: string): BatchGet {
  return { id, url: collectionUrl('/directoryRoles', { select: ROLE_SELECT, expand: 'members($select=id)' }) };
}

const isGroup = (m: { '@odata.type'?: string }): boolean => m['@odata.type'] === '#microsoft.graph.group';

type Member = DirectoryObject & { '@odata.type'?: string };

/** Users and groups holding roles, as read so far: id → role names. */
class Holders {
  readonly users = new Map<string, Set<string>>();
  readonly groups = new Map<string, Set<string>>();

  add(members: readonly Member[], role: string): void {
    for (const m of members) {
      const id = (m.id ?? '').toLowerCase();
      if (id === '' || role === '') continue;
      const into = isGroup(m) ? this.groups : this.users;
      into.set(id, (into.get(id) ?? new Set()).add(role));
    }
  }

  toRecord(): RoleHolders {
    return Object.fromEntries([...this.users].map(([id, names]) => [id, [...names].sort()]));
  }
}

const groupUsersRequest = (id: string, groupId: string): BatchGet => ({
  id,
  url: collectionUrl(`/groups/${pathSegment(groupId)}/transitiveMembers/microsoft.graph.user`, { select: ['id'], top: MAX_PAGE }),
});

/**
 * The holders, from the answer to `roleHoldersRequest`. One more `$batch` reads, together, the full
 * member list of every role at the expand cap and the users of every group holding a role; a group
 * found only in such a full list needs a third.
 */
export async function readRoleHolders(transport: GraphTransport, answer: BatchAnswer): Promise<RoleHolders> {
  const roles = await valuesOf<ExpandedRole>(transport, ROLES_OP, answer, {});
  const holders = new Holders();
  const capped = new Map<string, string>();
  for (const role of roles) {
    const name = roleNames([role])[0] ?? '';
    const members = role.members ?? [];
    // A capped list is still right as far as it goes: its groups are expanded without waiting for the rest.
    holders.add(members, name);
    if (members.length >= EXPAND_LIMIT) capped.set(role.id ?? '', name);
  }
  const expanded = new Set<string>();
  const requests: BatchGet[] = [...capped.keys()].map((id, i) => ({
    id: `role-${i}`,
    url: collectionUrl(`/directoryRoles/${pathSegment(id)}/members`, { select: ['id'] }),
  }));
  const groupsNow = [...holders.groups.keys()];
  requests.push(...groupsNow.map((g, i) => groupUsersRequest(`group-${i}`, g)));
  if (requests.length === 0) return holders.toRecord();
  const answers = await transport.batch(ROLES_OP, requests);
  for (const [i, name] of [...capped.values()].entries()) {
    holders.add(await valuesOf<Member>(transport, ROLES_OP, answerOf(ROLES_OP, answers, `role-${i}`), {}), name);
  }
  for (const [i, g] of groupsNow.entries()) {
    expanded.add(g);
    const users = await valuesOf<Member>(transport, ROLES_OP, answerOf(ROLES_OP, answers, `group-${i}`), {});
    for (const role of holders.groups.get(g) ?? []) holders.add(users, role);
  }
  const later = [...holders.groups.keys()].filter((g) => !expanded.has(g));
  if (later.length > 0) {
    const more = await transport.batch(
      ROLES_OP,
      later.map((g, i) => groupUsersRequest(`group-${i}`, g)),
    );
    for (const [i, g] of later.entries()) {
      const users = await valuesOf<Member>(transport, ROLES_OP, answerOf(ROLES_OP, more, `group-${i}`), {});
      for (const role of holders.groups.get(g) ?? []) holders.add(users, role);
    }
  }
  return holders.toRecord();
}

const USER_ROLES_OP: Operation = { what: 'read the admin roles of the cloud candidates', permission: 'RoleManagement.Read.Directory' };

/** The request reading one user's roles now; `id` is its id within a `$batch`. */
export function userRolesRequest(id: string, userId: string): BatchGet {
  return {
    id,
    url: collectionUrl(`/users/${pathSegment(userId)}/transitiveMemberOf/microsoft.graph.directoryRole`, { select: ROLE_SELECT }),
  };
}

/** The roles in the answer to `userRolesRequest`; a user gone meanwhile (404) holds none. */
export async function readUserRoles(transport: GraphTransport, answers: ReadonlyMap<string, BatchAnswer>, id: string): Promise<string[]> {
  if (answers.get(id)?.status === 404) return [];
  return roleNames(await valuesOf<DirectoryRole>(transport, USER_ROLES_OP, answerOf(USER_ROLES_OP, answers, id), {}));
}

/** The roles of each user, read now (one `$batch`). A user gone meanwhile holds none. */
export async function rolesOfUsers(transport: GraphTransport, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const roles = new Map<string, string[]>();
  if (userIds.length === 0) return roles;
  const answers = await transport.batch(
    USER_ROLES_OP,
    userIds.map((id, i) => userRolesRequest(`roles-${i}`, id)),
  );
  await Promise.all(userIds.map(async (userId, i) => roles.set(userId, await readUserRoles(transport, answers, `roles-${i}`))));
  return roles;
}
