/**
 * /directory/deletedItems: the recycle bin. Listing requires the OData cast to
 * `microsoft.graph.user` (Graph does not support listing without a type); a single deleted item
 * comes back typed as a directoryObject with its `@odata.type`.
 */
import { graphErrors } from '../graph-errors.ts';
import { listCollection } from '../http/collection.ts';
import { readJsonObject } from '../http/json-body.ts';
import { parseEntityQuery } from '../http/query-options.ts';
import { contextUrl, noContent, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { RouteHandler } from '../http/types.ts';
import type { RestoreOptions } from '../recycle-bin.ts';
import { deletedUserShape, renderDeletedUser, renderUser, USER_FILTER_SCHEMA, userFilterValue } from './user-queries.ts';

const listDeletedUsers: RouteHandler = (request, _params, context) =>
  listCollection(request, context, {
    items: context.state.listedUsers('deleted'),
    sorted: true,
    key: (u) => u.id,
    shape: deletedUserShape(context.version),
    filterSchema: USER_FILTER_SCHEMA,
    filterValue: userFilterValue,
    render: renderDeletedUser,
    contextPath: 'users',
  });

const getDeletedItem: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  const user = context.state.deletedUser(id);
  if (!user) throw graphErrors.resourceNotFound(id);
  const select = parseEntityQuery(request.query, deletedUserShape(context.version));
  return ok({
    '@odata.context': contextUrl(context.root, 'directoryObjects', select, true),
    '@odata.type': '#microsoft.graph.user',
    ...renderDeletedUser(user, select),
  });
};

const purgeDeletedItem: RouteHandler = (_request, params, context) => {
  context.state.purgeDeletedUser(params['id'] ?? '');
  return noContent();
};

const restoreDeletedItem: RouteHandler = (request, params, context) => {
  const user = context.state.restoreDeletedUser(params['id'] ?? '', readRestoreOptions(readJsonObject(request, true)));
  return ok({
    '@odata.context': contextUrl(context.root, 'directoryObjects', undefined, true),
    '@odata.type': '#microsoft.graph.user',
    ...renderUser(user, undefined),
  });
};

/** The restore action's optional body: `newUserPrincipalName`, `autoReconcileProxyConflict`. */
function readRestoreOptions(body: Record<string, unknown>): RestoreOptions {
  const options: RestoreOptions = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'newUserPrincipalName' && typeof value === 'string') options.newUserPrincipalName = value;
    else if (name === 'autoReconcileProxyConflict' && typeof value === 'boolean') options.autoReconcileProxyConflict = value;
    else if (name === 'newUserPrincipalName' || name === 'autoReconcileProxyConflict') throw graphErrors.invalidPropertyValue(name);
    else throw graphErrors.unknownProperty(name, 'microsoft.graph.restore');
  }
  return options;
}

export const deletedItemRoutes: Route[] = [
  { pattern: '/directory/deletedItems/microsoft.graph.user', handlers: { GET: listDeletedUsers } },
  { pattern: '/directory/deletedItems/:id/restore', handlers: { POST: restoreDeletedItem } },
  { pattern: '/directory/deletedItems/:id', handlers: { GET: getDeletedItem, DELETE: purgeDeletedItem } },
];
