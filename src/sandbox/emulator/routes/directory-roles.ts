/**
 * /directoryRoles: the tenant's activated directory roles, with `$expand=members` (how the bot
 * reads every role holder in one request), and /directoryRoles/{id}/members.
 *
 * Graph's rules, enforced (sources in src/sandbox/emulator/README.md, "Fidelity decisions"):
 * - `$expand` on a directoryObject relationship returns at most 20 items per object and no
 *   `@odata.nextLink` (concepts/query-parameters.md): a role with more members shows 20, and the
 *   caller must read `/directoryRoles/{id}/members` for the rest;
 * - `$expand` is not supported with advanced queries (`$count=true`);
 * - only `members` can be expanded, optionally with a nested `$select`;
 * - `/directoryRoles/{id}/members` (id or roleTemplateId) returns up to 1,000 objects and does not
 *   page with `$top` (directoryrole-list-members.md): `$top` is refused.
 */
import { GraphServiceError, graphErrors } from '../graph-errors.ts';
import { listCollection } from '../http/collection.ts';
import { optionName } from '../http/query-options.ts';
import { contextUrl, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { RouteHandler } from '../http/types.ts';
import type { DirectoryRoleRecord } from '../model.ts';
import { DIRECTORY_ROLE_SHAPE, graphDirectoryRole, parseSelect, project } from '../projection.ts';
import type { EmulatorState } from '../state.ts';
import { DIRECTORY_OBJECT_SHAPE, renderMember } from './directory-objects.ts';

/** Graph's cap on an expanded directoryObject relationship. */
export const EXPAND_LIMIT = 20;
/** What /directoryRoles/{id}/members returns at most (no paging). */
export const ROLE_MEMBERS_LIMIT = 1000;

interface Expand {
  /** `$select` inside `members(...)`; undefined = the default properties. */
  select: string[] | undefined;
}

function parseExpand(raw: string): Expand {
  const m = /^\s*members\s*(?:\(\s*\$?select\s*=\s*([^)]*)\))?\s*$/i.exec(raw);
  if (!m) {
    const name = raw.split('(')[0]?.trim() ?? raw;
    throw new GraphServiceError(400, 'BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.directoryRole'.`);
  }
  return { select: parseSelect(m[1], DIRECTORY_OBJECT_SHAPE) };
}

/** Splits `$expand` off the query (listCollection refuses it), checking Graph's rules on it. */
function takeExpand(query: URLSearchParams): { expand: Expand | undefined; rest: URLSearchParams } {
  const rest = new URLSearchParams();
  let expand: Expand | undefined;
  let count = false;
  for (const [key, value] of query) {
    const name = optionName(key);
    if (name === 'expand') expand = parseExpand(value);
    else rest.append(key, value);
    if (name === 'count' && value.trim().toLowerCase() === 'true') count = true;
  }
  if (expand && count) throw graphErrors.unsupportedQuery('$expand is not supported with advanced queries ($count)');
  return { expand, rest };
}

function renderRole(
  state: EmulatorState,
  role: DirectoryRoleRecord,
  select: readonly string[] | undefined,
  expand: Expand | undefined,
): object {
  const body: Record<string, unknown> = project(graphDirectoryRole(role), DIRECTORY_ROLE_SHAPE, select);
  if (expand) {
    body['members'] = state
      .directoryRoleMembers(role.id)
      .slice(0, EXPAND_LIMIT)
      .map((m) => renderMember(m, expand.select));
  }
  return body;
}

const listRoles: RouteHandler = (request, _params, context) => {
  const { expand, rest } = takeExpand(request.query);
  return listCollection({ ...request, query: rest }, context, {
    items: context.state.directoryRoles(),
    key: (r) => r.id,
    shape: DIRECTORY_ROLE_SHAPE,
    render: (r, select) => renderRole(context.state, r, select, expand),
    contextPath: 'directoryRoles',
  });
};

const getRole: RouteHandler = (request, params, context) => {
  const { expand, rest } = takeExpand(request.query);
  const role = context.state.directoryRole(params['id'] ?? '');
  const select = parseSelect(rest.get('$select') ?? rest.get('select') ?? undefined, DIRECTORY_ROLE_SHAPE);
  return ok({
    '@odata.context': contextUrl(context.root, 'directoryRoles', select, true),
    ...renderRole(context.state, role, select, expand),
  });
};

const listRoleMembers: RouteHandler = (request, params, context) => {
  let select: string[] | undefined;
  for (const [key, value] of request.query) {
    const name = optionName(key);
    if (name === undefined) continue;
    if (name === 'select') select = parseSelect(value, DIRECTORY_OBJECT_SHAPE);
    else if (name === 'top')
      throw graphErrors.unsupportedQuery('/directoryRoles/{id}/members does not support $top (it returns up to 1000 objects)');
    else
      throw graphErrors.unsupportedQuery(
        `the $${name} query option is outside the emulated Graph surface (src/sandbox/emulator/README.md)`,
      );
  }
  const members = context.state.directoryRoleMembers(params['id'] ?? '').slice(0, ROLE_MEMBERS_LIMIT);
  return ok({ '@odata.context': contextUrl(context.root, 'directoryObjects', select), value: members.map((m) => renderMember(m, select)) });
};

export const directoryRoleRoutes: Route[] = [
  { pattern: '/directoryRoles', handlers: { GET: listRoles } },
  { pattern: '/directoryRoles/:id/members', handlers: { GET: listRoleMembers } },
  { pattern: '/directoryRoles/:id', handlers: { GET: getRole } },
];
