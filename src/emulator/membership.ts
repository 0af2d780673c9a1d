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

/** The directory roles an active user holds (role members are users). */
export function directoryRolesOf(store: DirectoryStore, userId: string): DirectoryRoleRecord[] {
  const id = foldCase(userId);
  return [...store.roles.values()].filter((r) => r.members.includes(id)).map((r) => ({ ...r, members: [...r.members] }));
}
