/**
 * `GET /auditLogs/provisioning` (permission AuditLog.Read.All): the provisioning logs, Graph's
 * `provisioningObjectSummary` entries, newest first; `$filter` on `jobId`, `changeId`, `cycleId`.
 * Only a Cloud Sync tenant has any (provisionOnDemand writes them; see README).
 */
import type { ProvisioningObjectSummary } from '@microsoft/microsoft-graph-types';
import { listCollection } from '../http/collection.ts';
import type { Route } from '../http/router.ts';
import type { RouteHandler } from '../http/types.ts';
import type { FilterSchema, FilterValue } from '../odata-filter.ts';
import { project, type ResourceShape } from '../projection.ts';

const PROPERTIES = [
  'id',
  'activityDateTime',
  'changeId',
  'cycleId',
  'durationInMilliseconds',
  'initiatedBy',
  'jobId',
  'modifiedProperties',
  'provisioningAction',
  'provisioningStatusInfo',
  'provisioningSteps',
  'servicePrincipal',
  'sourceIdentity',
  'sourceSystem',
  'targetIdentity',
  'targetSystem',
  'tenantId',
];
const SHAPE: ResourceShape = { type: 'provisioningObjectSummary', properties: PROPERTIES, defaults: PROPERTIES };
const FILTER: FilterSchema = {
  resource: 'ProvisioningObjectSummary',
  scalars: { jobId: 'caseInsensitive', changeId: 'caseInsensitive', cycleId: 'caseInsensitive' },
  collections: {},
  startsWith: [],
};

type Entry = ProvisioningObjectSummary & { id: string };

const valueOf = (e: Entry, property: string): FilterValue => {
  const value = (e as unknown as Record<string, unknown>)[property];
  return typeof value === 'string' ? value : null;
};

const listProvisioning: RouteHandler = (request, _params, context) => {
  const entries = context.state.cloudSync?.provisioningLogs() ?? [];
  // The collection orders by key: a zero-padded rank keeps newest first and stable paging cursors.
  const rank = new Map(entries.map((e, i) => [e.id, String(i).padStart(10, '0')]));
  return listCollection(request, context, {
    items: entries,
    key: (e) => `${rank.get(e.id) ?? ''}|${e.id}`,
    shape: SHAPE,
    filterSchema: FILTER,
    filterValue: valueOf,
    render: (e, select) => project(e, SHAPE, select),
    contextPath: 'auditLogs/provisioning',
  });
};

export const auditLogRoutes: Route[] = [{ pattern: '/auditLogs/provisioning', handlers: { GET: listProvisioning } }];
