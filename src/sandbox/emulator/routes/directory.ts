/**
 * Tenant configuration the bot reads: /domains (verified? federated?) and
 * /directory/onPremisesSynchronization (the tenant's match switches). Graph answers the latter
 * as a collection even though a tenant has one.
 */
import { graphErrors } from '../graph-errors.ts';
import { listCollection } from '../http/collection.ts';
import { readJsonObject } from '../http/json-body.ts';
import { parseEntityQuery } from '../http/query-options.ts';
import { contextUrl, noContent, ok } from '../http/responses.ts';
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
  return ok({ '@odata.context': contextUrl(context.root, 'domains', select, true), ...project(graphDomain(domain), DOMAIN_SHAPE, select) });
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
  return ok({
    '@odata.context': contextUrl(context.root, SYNC_CONTEXT, select, true),
    ...project(graphSynchronization(sync), SYNC_SHAPE, select),
  });
};

const SWITCHES = ['blockSoftMatchEnabled', 'blockCloudObjectTakeoverThroughHardMatchEnabled', 'softMatchOnUpnEnabled'] as const;
type SwitchName = (typeof SWITCHES)[number];

/** PATCH with `{ "features": { "<switch>": true|false } }`; other features are not modelled. */
const patchSynchronization: RouteHandler = (request, params, context) => {
  const id = params['id'] ?? '';
  if (context.state.synchronization().id !== id.toLowerCase()) throw graphErrors.resourceNotFound(id);
  const body = readJsonObject(request);
  const changes: Partial<Record<SwitchName, boolean>> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name !== 'features') throw graphErrors.unknownProperty(name, 'microsoft.graph.onPremisesDirectorySynchronization');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw graphErrors.invalidPropertyValue('features', 'onPremisesDirectorySynchronization');
    }
    for (const [feature, enabled] of Object.entries(value as Record<string, unknown>)) {
      const known = SWITCHES.find((s) => s === feature);
      if (!known) throw graphErrors.unknownProperty(feature, 'microsoft.graph.onPremisesDirectorySynchronizationFeature');
      if (typeof enabled !== 'boolean') throw graphErrors.invalidPropertyValue(feature, 'onPremisesDirectorySynchronizationFeature');
      changes[known] = enabled;
    }
  }
  context.state.setSyncFeatures(changes);
  return noContent();
};

export const directoryRoutes: Route[] = [
  { pattern: '/domains', handlers: { GET: listDomains } },
  { pattern: '/domains/:id', handlers: { GET: getDomain } },
  { pattern: '/directory/onPremisesSynchronization', handlers: { GET: listSynchronization } },
  { pattern: '/directory/onPremisesSynchronization/:id', handlers: { GET: getSynchronization, PATCH: patchSynchronization } },
];
