/**
 * /users: list with $filter/$select/$top/$count, get, update, soft delete, and the user's
 * directory roles (`transitiveMemberOf/microsoft.graph.directoryRole`).
 */
import { graphErrors } from '../graph-errors.ts';
import { listCollection } from '../http/collection.ts';
import { readJsonObject } from '../http/json-body.ts';
import { parseEntityQuery } from '../http/query-options.ts';
import { contextUrl, noContent, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { RouteHandler } from '../http/types.ts';
import { DIRECTORY_ROLE_SHAPE, graphDirectoryRole, project, USER_SHAPE } from '../projection.ts';
import { parseUserPatchBody } from './user-patch-body.ts';
import { renderUser, USER_FILTER_SCHEMA, userFilterValue } from './user-queries.ts';

const listUsers: RouteHandler = (request, _params, context) =>
  listCollection(request, context, {
    items: context.state.listedUsers('active'),
    sorted: true,
    key: (u) => u.id,
    shape: USER_SHAPE,
    filterSchema: USER_FILTER_SCHEMA,
    filterValue: userFilterValue,
    render: renderUser,
    contextPath: 'users',
  });

const getUser: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  const user = context.state.activeUser(id);
  if (!user) throw graphErrors.resourceNotFound(id);
  const select = parseEntityQuery(request.query, USER_SHAPE);
  return ok({ '@odata.context': contextUrl(context.origin, 'users', select, true), ...renderUser(user, select) });
};

const patchUser: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  if (!context.state.activeUser(id)) throw graphErrors.resourceNotFound(id);
  context.state.patchUser(id, parseUserPatchBody(readJsonObject(request)));
  return noContent();
};

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
  { pattern: '/users/:id/transitiveMemberOf/microsoft.graph.directoryRole', handlers: { GET: listDirectoryRoles } },
  { pattern: '/users/:id', handlers: { GET: getUser, PATCH: patchUser, DELETE: deleteUser } },
];
