/**
 * Mixed directoryObject collections (group and role members): each object typed with
 * `@odata.type`, `$select` naming a property of either type.
 */
import type { DirectoryMember, GroupRecord } from '../model.ts';
import { GROUP_SHAPE, graphGroup, project, USER_SHAPE, type ResourceShape } from '../projection.ts';
import { renderUser } from './user-queries.ts';

/** $select on a mixed directoryObject collection may name a property of either type. */
export const DIRECTORY_OBJECT_SHAPE: ResourceShape = {
  type: 'directoryObject',
  properties: [...new Set([...USER_SHAPE.properties, ...GROUP_SHAPE.properties])],
  defaults: [],
};

export const renderGroup = (group: GroupRecord, select: readonly string[] | undefined): object =>
  project(graphGroup(group), GROUP_SHAPE, select);

export function memberId(member: DirectoryMember): string {
  return member.kind === 'user' ? member.user.id : member.group.id;
}

export function renderMember(member: DirectoryMember, select: readonly string[] | undefined): object {
  if (member.kind === 'user') {
    const fields = select?.filter((p) => USER_SHAPE.properties.includes(p));
    return { '@odata.type': '#microsoft.graph.user', ...renderUser(member.user, fields) };
  }
  const fields = select?.filter((p) => GROUP_SHAPE.properties.includes(p));
  return { '@odata.type': '#microsoft.graph.group', ...renderGroup(member.group, fields) };
}
