/**
 * `GET/PATCH /beta/users/{id}/onPremisesSyncBehavior` (source of authority, GA January 2026): the
 * resource exists under /beta only (api-reference/beta/api/onpremisessyncbehavior-get.md and
 * -update.md; no v1.0 page), so under /v1.0 the segment is unknown. Permission
 * `User-OnPremisesSyncBehavior.ReadWrite.All` for both (permissions.ts). PATCH takes
 * `isCloudManaged` only and answers 200 with the updated object, as the update page documents.
 */
import { graphErrors } from '../graph-errors.ts';
import { readJsonObject } from '../http/json-body.ts';
import { contextUrl, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { RouteContext, RouteHandler } from '../http/types.ts';
import type { UserRecord } from '../model.ts';

const SEGMENT = 'onPremisesSyncBehavior';
const TYPE = 'microsoft.graph.onPremisesSyncBehavior';

function betaOnly(context: RouteContext): void {
  if (context.version !== 'beta') throw graphErrors.segmentNotFound(SEGMENT);
}

function render(context: RouteContext, user: UserRecord): object {
  return {
    '@odata.context': contextUrl(context.root, `users('${user.id}')/${SEGMENT}`, undefined, true),
    '@odata.type': `#${TYPE}`,
    id: user.id,
    isCloudManaged: user.isCloudManaged,
  };
}

const getSyncBehavior: RouteHandler = (_request, params, context) => {
  betaOnly(context);
  const id = params['id'] ?? '';
  const user = context.state.activeUser(id);
  if (!user) throw graphErrors.resourceNotFound(id);
  return ok(render(context, user));
};

const patchSyncBehavior: RouteHandler = (request, params, context) => {
  betaOnly(context);
  const id = params['id'] ?? '';
  if (!context.state.activeUser(id)) throw graphErrors.resourceNotFound(id);
  let isCloudManaged: boolean | undefined;
  for (const [name, value] of Object.entries(readJsonObject(request))) {
    if (name.startsWith('@')) continue;
    if (name === 'id') throw graphErrors.readOnlyProperty(name);
    if (name !== 'isCloudManaged') throw graphErrors.unknownProperty(name, TYPE);
    if (typeof value !== 'boolean') throw graphErrors.invalidPropertyValue(name, 'onPremisesSyncBehavior');
    isCloudManaged = value;
  }
  const user = isCloudManaged === undefined ? context.state.activeUser(id) : context.state.setCloudManaged(id, isCloudManaged);
  if (!user) throw graphErrors.resourceNotFound(id);
  return ok(render(context, user));
};

export const syncBehaviorRoutes: Route[] = [
  { pattern: `/users/:id/${SEGMENT}`, handlers: { GET: getSyncBehavior, PATCH: patchSyncBehavior } },
];
