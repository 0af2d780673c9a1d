/**
 * /users: list with $filter/$select/$top/$count, get, update, soft delete, and the user's
 * directory roles (`transitiveMemberOf/microsoft.graph.directoryRole`). Under /beta the user also
 * has `onPremisesObjectIdentifier` (selectable; PATCH accepts only null, the 2026 recovery) and the
 * `onPremisesSyncBehavior` navigation (source of authority), which v1.0 does not have.
 */
import { graphErrors } from '../graph-errors.ts';
import { listCollection } from '../http/collection.ts';
import { readJsonObject } from '../http/json-body.ts';
import { parseEntityQuery } from '../http/query-options.ts';
import { contextUrl, noContent, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { RouteHandler } from '../http/types.ts';
import { SYNC_BEHAVIOR_WRITE, USER_WRITE } from '../permissions.ts';
import { DIRECTORY_ROLE_SHAPE, graphDirectoryRole, project, userShape } from '../projection.ts';
import type { UserPatch } from '../user-writes.ts';
import { syncBehaviorRoutes } from './sync-behavior.ts';
import { takeUserExpand, withExpanded } from './user-expand.ts';
import { OBJECT_IDENTIFIER, parseUserPatchBody } from './user-patch-body.ts';
import { renderUser, USER_FILTER_SCHEMA, userFilterValue } from './user-queries.ts';

const listUsers: RouteHandler = (request, _params, context) => {
  const { expand, rest } = takeUserExpand(request.query, context.version, context.permissions);
  return listCollection({ ...request, query: rest }, context, {
    items: context.state.listedUsers('active'),
    sorted: true,
    key: (u) => u.id,
    shape: userShape(context.version),
    filterSchema: USER_FILTER_SCHEMA,
    filterValue: userFilterValue,
    render: (u, select) => withExpanded(renderUser(u, select), u, expand),
    contextPath: 'users',
  });
};

const getUser: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  const user = context.state.activeUser(id);
  if (!user) throw graphErrors.resourceNotFound(id);
  const { expand, rest } = takeUserExpand(request.query, context.version, context.permissions);
  const select = parseEntityQuery(rest, userShape(context.version));
  return ok({ '@odata.context': contextUrl(context.root, 'users', select, true), ...withExpanded(renderUser(user, select), user, expand) });
};

const patchUser: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  if (!context.state.activeUser(id)) throw graphErrors.resourceNotFound(id);
  const patch = parseUserPatchBody(readJsonObject(request), context.version);
  assertPatchPermissions(patch, context.permissions);
  context.state.patchUser(id, patch);
  return noContent();
};

/**
 * The path admits `User.ReadWrite.All` or `User-OnPremisesSyncBehavior.ReadWrite.All`
 * (permissions.ts); which one a PATCH needs depends on what it changes: clearing
 * `onPremisesObjectIdentifier` needs the latter, every other property the former.
 */
function assertPatchPermissions(patch: UserPatch, granted: ReadonlySet<string>): void {
  const clears = patch.onPremisesObjectIdentifier === null;
  const others = Object.keys(patch).some((k) => k !== OBJECT_IDENTIFIER);
  if (clears && !SYNC_BEHAVIOR_WRITE.some((p) => granted.has(p))) throw graphErrors.insufficientPrivileges();
  if (others && !USER_WRITE.some((p) => granted.has(p))) throw graphErrors.insufficientPrivileges();
}

const deleteUser: RouteHandler = (_request, params, context) => {
  context.state.deleteUser(params['id'] ?? '');
  return noContent();
};

const listDirectoryRoles: RouteHandler = (request, params, context) =>
  listCollection(request, context, {
    items: context.state.directoryRolesOf(params['id'] ?? ''),
    key: (r) => r.id,
    shape: DIRECTORY_ROLE_SHAPE,
    render: (r, select) => project(graphDirectoryRole(r), DIRECTORY_ROLE_SHAPE, select),
    contextPath: 'directoryRoles',
  });

export const userRoutes: Route[] = [
  { pattern: '/users', handlers: { GET: listUsers } },
  ...syncBehaviorRoutes,
  { pattern: '/users/:id/transitiveMemberOf/microsoft.graph.directoryRole', handlers: { GET: listDirectoryRoles } },
  { pattern: '/users/:id', handlers: { GET: getUser, PATCH: patchUser, DELETE: deleteUser } },
];
