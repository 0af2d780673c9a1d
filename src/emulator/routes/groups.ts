/**
 * /groups/{id}/transitiveMembers (users and groups, nested groups expanded, each typed with
 * `@odata.type`) and its `microsoft.graph.user` cast (users only): how the bot checks that an
 * approver is in the admin group.
 */
import { listCollection } from '../http/collection.ts';
import type { Route } from '../http/router.ts';
import type { RouteHandler } from '../http/types.ts';
import type { DirectoryMember } from '../model.ts';
import { GROUP_SHAPE, graphGroup, project, USER_SHAPE, type ResourceShape } from '../projection.ts';
import { renderUser } from './user-queries.ts';

/** $select on a mixed directoryObject collection may name a property of either type. */
const DIRECTORY_OBJECT_SHAPE: ResourceShape = {
  type: 'directoryObject',
  properties: [...new Set([...USER_SHAPE.properties, ...GROUP_SHAPE.properties])],
  defaults: [],
};

function memberId(member: DirectoryMember): string {
  return member.kind === 'user' ? member.user.id : member.group.id;
}

function renderMember(member: DirectoryMember, select: readonly string[] | undefined): object {
  if (member.kind === 'user') {
    const fields = select?.filter((p) => USER_SHAPE.properties.includes(p));
    return { '@odata.type': '#microsoft.graph.user', ...renderUser(member.user, fields) };
  }
  const fields = select?.filter((p) => GROUP_SHAPE.properties.includes(p));
  return { '@odata.type': '#microsoft.graph.group', ...project(graphGroup(member.group), GROUP_SHAPE, fields) };
}

const listTransitiveMembers: RouteHandler = (request, params, context) =>
  listCollection(request, context, {
    items: context.state.transitiveMembers(params['id'] ?? ''),
    key: memberId,
    shape: DIRECTORY_OBJECT_SHAPE,
    render: renderMember,
    contextPath: 'directoryObjects',
  });

const listTransitiveUsers: RouteHandler = (request, params, context) =>
  listCollection(request, context, {
    items: context.state.transitiveMembers(params['id'] ?? '').flatMap((m) => (m.kind === 'user' ? [m.user] : [])),
    key: (u) => u.id,
    shape: USER_SHAPE,
    render: renderUser,
    contextPath: 'users',
  });

export const groupRoutes: Route[] = [
  { pattern: '/groups/:id/transitiveMembers/microsoft.graph.user', handlers: { GET: listTransitiveUsers } },
  { pattern: '/groups/:id/transitiveMembers', handlers: { GET: listTransitiveMembers } },
];
