/**
 * Group and role membership as Graph reports it: transitive members expand nested groups (each
 * object once, cycles harmless), and soft-deleted users drop out until they are restored.
 */
import { foldCase } from './directory-values.ts';
import { copyGroup, copyUser, type DirectoryMember, type DirectoryRoleRecord } from './model.ts';
import type { DirectoryStore } from './store.ts';

/** Every user and group under `groupId`, nested groups included; undefined when no such group. */
export function transitiveMembers(store: DirectoryStore, groupId: string): DirectoryMember[] | undefined {
  const root = store.groups.get(foldCase(groupId));
  if (!root) return undefined;
  const seen = new Set<string>([root.id]);
  const out: DirectoryMember[] = [];
  const queue = [...root.members];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const user = store.users.get(id);
    if (user && user.deletedDateTime === null) out.push({ kind: 'user', user: copyUser(user) });
    const group = store.groups.get(id);
    if (group) {
      out.push({ kind: 'group', group: copyGroup(group) });
      queue.push(...group.members);
    }
  }
  return out;
}

/**
 * The directory roles an active user holds: directly, or through a role-assignable group it is a
 * member of (what `transitiveMemberOf/microsoft.graph.directoryRole` answers).
 */
export function directoryRolesOf(store: DirectoryStore, userId: string): DirectoryRoleRecord[] {
  const id = foldCase(userId);
  const holds = (r: DirectoryRoleRecord): boolean =>
    r.members.includes(id) ||
    r.members.some((m) => transitiveMembers(store, m)?.some((x) => x.kind === 'user' && x.user.id === id) === true);
  return [...store.roles.values()].filter(holds).map((r) => ({ ...r, members: [...r.members] }));
}

/** A role's direct members (active users and role-assignable groups), by role id or template id. */
export function roleMembers(store: DirectoryStore, role: DirectoryRoleRecord): DirectoryMember[] {
  return role.members.flatMap((m): DirectoryMember[] => {
    const user = store.users.get(m);
    if (user) return user.deletedDateTime === null ? [{ kind: 'user', user: copyUser(user) }] : [];
    const group = store.groups.get(m);
    return group ? [{ kind: 'group', group: copyGroup(group) }] : [];
  });
}
