/**
 * Tenant configuration the bot reads: /domains (verified? federated?) and
 * /directory/onPremisesSynchronization (the tenant's match switches). Graph answers the latter
 * as a collection even though a tenant has one.
 */
import { graphErrors } from '../graph-errors.ts';
import { listCollection } from '../http/collection.ts';
import { parseEntityQuery } from '../http/query-options.ts';
import { contextUrl, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { RouteHandler } from '../http/types.ts';
import { DOMAIN_SHAPE, graphDomain, graphSynchronization, project, SYNC_SHAPE } from '../projection.ts';

const SYNC_CONTEXT = 'directory/onPremisesSynchronization';

const listDomains: RouteHandler = (request, _params, context) =>
  listCollection(request, context, {
    items: context.state.domains(),
    key: (d) => d.id,
    shape: DOMAIN_SHAPE,
    render: (d, select) => project(graphDomain(d), DOMAIN_SHAPE, select),
    contextPath: 'domains',
  });

const getDomain: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  const domain = context.state.domain(id);
  if (!domain) throw graphErrors.resourceNotFound(id);
  const select = parseEntityQuery(request.query, DOMAIN_SHAPE);
  return ok({ '@odata.context': contextUrl(context.origin, 'domains', select, true), ...project(graphDomain(domain), DOMAIN_SHAPE, select) });
};

const listSynchronization: RouteHandler = (request, _params, context) =>
  listCollection(request, context, {
    items: [context.state.synchronization()],
    key: (s) => s.id,
    shape: SYNC_SHAPE,
    render: (s, select) => project(graphSynchronization(s), SYNC_SHAPE, select),
    contextPath: SYNC_CONTEXT,
  });

const getSynchronization: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  const sync = context.state.synchronization();
  if (sync.id !== id.toLowerCase()) throw graphErrors.resourceNotFound(id);
  const select = parseEntityQuery(request.query, SYNC_SHAPE);
  return ok({ '@odata.context': contextUrl(context.origin, SYNC_CONTEXT, select, true), ...project(graphSynchronization(sync), SYNC_SHAPE, select) });
};

export const directoryRoutes: Route[] = [
  { pattern: '/domains', handlers: { GET: listDomains } },
  { pattern: '/domains/:id', handlers: { GET: getDomain } },
  { pattern: '/directory/onPremisesSynchronization', handlers: { GET: listSynchronization } },
  { pattern: '/directory/onPremisesSynchronization/:id', handlers: { GET: getSynchronization } },
];
