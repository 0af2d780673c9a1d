/**
 * /groups: the list with `$filter` (how the bot finds a mail-enabled group already holding an
 * address, Entra Connect's ObjectTypeMismatch), a single group, and
 * /groups/{id}/transitiveMembers (users and groups, nested groups expanded, each typed with
 * `@odata.type`) with its `microsoft.graph.user` cast (users only): how the bot checks that an
 * approver is in the admin group.
 */
import { graphErrors } from '../graph-errors.ts';
import { listCollection } from '../http/collection.ts';
import { parseEntityQuery } from '../http/query-options.ts';
import { contextUrl, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { RouteHandler } from '../http/types.ts';
import type { GroupRecord } from '../model.ts';
import type { FilterSchema, FilterValue } from '../odata-filter.ts';
import { GROUP_SHAPE, userShape } from '../projection.ts';
import { DIRECTORY_OBJECT_SHAPE, memberId, renderGroup, renderMember } from './directory-objects.ts';
import { renderUser } from './user-queries.ts';

/**
 * What $filter may touch on groups (group-list reference: `proxyAddresses` eq/startsWith through
 * any(), `mail`, `displayName`, `id`); addresses and names compare case-insensitively as Entra does.
 */
export const GROUP_FILTER_SCHEMA: FilterSchema = {
  resource: 'Group',
  scalars: { id: 'caseInsensitive', displayName: 'caseInsensitive', mail: 'caseInsensitive' },
  collections: { proxyAddresses: 'caseInsensitive' },
  startsWith: ['displayName', 'mail', 'proxyAddresses'],
};

function groupFilterValue(group: GroupRecord, property: string): FilterValue {
  switch (property) {
    case 'id':
      return group.id;
    case 'displayName':
      return group.displayName;
    case 'mail':
      return group.mail;
    case 'proxyAddresses':
      return group.proxyAddresses;
    default:
      return null;
  }
}

const listGroups: RouteHandler = (request, _params, context) =>
  listCollection(request, context, {
    items: context.state.groups(),
    key: (g) => g.id,
    shape: GROUP_SHAPE,
    filterSchema: GROUP_FILTER_SCHEMA,
    filterValue: groupFilterValue,
    render: renderGroup,
    contextPath: 'groups',
  });

const getGroup: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  const group = context.state.group(id);
  if (!group) throw graphErrors.resourceNotFound(id);
  const select = parseEntityQuery(request.query, GROUP_SHAPE);
  return ok({ '@odata.context': contextUrl(context.root, 'groups', select, true), ...renderGroup(group, select) });
};

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
    shape: userShape(context.version),
    render: renderUser,
    contextPath: 'users',
  });

export const groupRoutes: Route[] = [
  { pattern: '/groups', handlers: { GET: listGroups } },
  { pattern: '/groups/:id/transitiveMembers/microsoft.graph.user', handlers: { GET: listTransitiveUsers } },
  { pattern: '/groups/:id/transitiveMembers', handlers: { GET: listTransitiveMembers } },
  { pattern: '/groups/:id', handlers: { GET: getGroup } },
];
