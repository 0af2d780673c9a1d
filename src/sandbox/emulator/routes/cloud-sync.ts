/**
 * Entra Cloud Sync through Graph: `/servicePrincipals` (the Cloud Sync service principal, found by
 * `$filter=applicationTemplateId eq '1a4721b3-e57f-4451-ae87-ef078703ec94'`), its synchronization
 * job(s) and schema, `provisionOnDemand` (one AD object by DN, rate-limited at 5 requests per 10 s
 * with 429 + Retry-After), and `/auditLogs/provisioning` (every on-demand run, newest first).
 * A tenant without Cloud Sync has no such service principal: the list is empty, ids are 404.
 */
import type { ServicePrincipal } from '@microsoft/microsoft-graph-types';
import { z } from 'zod';
import type { CloudSyncService } from '../cloud-sync.ts';
import { CLOUD_SYNC_USER_RULE_ID } from '../cloud-sync.ts';
import { GraphServiceError, graphErrors } from '../graph-errors.ts';
import { listCollection } from '../http/collection.ts';
import { readJsonObject } from '../http/json-body.ts';
import { parseEntityQuery } from '../http/query-options.ts';
import { contextUrl, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { RouteContext, RouteHandler } from '../http/types.ts';
import { runOnDemand } from './on-demand.ts';
import type { FilterSchema, FilterValue } from '../odata-filter.ts';
import { project, type ResourceShape } from '../projection.ts';

const SP_PROPERTIES = ['id', 'accountEnabled', 'appId', 'applicationTemplateId', 'displayName', 'servicePrincipalType', 'tags'];
const SP_SHAPE: ResourceShape = { type: 'servicePrincipal', properties: SP_PROPERTIES, defaults: SP_PROPERTIES };
const SP_FILTER: FilterSchema = {
  resource: 'ServicePrincipal',
  scalars: { id: 'caseInsensitive', appId: 'caseInsensitive', applicationTemplateId: 'caseInsensitive', displayName: 'caseInsensitive' },
  collections: {},
  startsWith: ['displayName'],
};
const JOB_PROPERTIES = ['id', 'templateId', 'schedule', 'status', 'synchronizationJobSettings'];
const JOB_SHAPE: ResourceShape = { type: 'synchronizationJob', properties: JOB_PROPERTIES, defaults: JOB_PROPERTIES };

const spValue = (sp: ServicePrincipal, property: string): FilterValue => {
  const value = (sp as unknown as Record<string, unknown>)[property];
  return typeof value === 'string' ? value : null;
};

/** The Cloud Sync service principal with this id, or Graph's 404. */
function cloudSyncOf(context: RouteContext, spId: string): CloudSyncService {
  const service = context.state.cloudSync;
  if (!service || service.servicePrincipal.id !== spId.toLowerCase()) throw graphErrors.resourceNotFound(spId);
  return service;
}

function jobOf(service: CloudSyncService, jobId: string): void {
  if (service.job.id.toLowerCase() !== jobId.toLowerCase()) throw graphErrors.resourceNotFound(jobId);
}

const listServicePrincipals: RouteHandler = (request, _params, context) =>
  listCollection(request, context, {
    items: context.state.cloudSync ? [context.state.cloudSync.servicePrincipal] : [],
    key: (sp) => sp.id,
    shape: SP_SHAPE,
    filterSchema: SP_FILTER,
    filterValue: spValue,
    render: (sp, select) => project(sp, SP_SHAPE, select),
    contextPath: 'servicePrincipals',
  });

const getServicePrincipal: RouteHandler = (request, params, context) => {
  const service = cloudSyncOf(context, params['id'] ?? '');
  const select = parseEntityQuery(request.query, SP_SHAPE);
  return ok({
    '@odata.context': contextUrl(context.root, 'servicePrincipals', select, true),
    ...project(service.servicePrincipal, SP_SHAPE, select),
  });
};

const listJobs: RouteHandler = (request, params, context) => {
  const service = cloudSyncOf(context, params['id'] ?? '');
  return listCollection(request, context, {
    items: [service.job],
    key: (j) => j.id,
    shape: JOB_SHAPE,
    render: (j, select) => project(j, JOB_SHAPE, select),
    contextPath: `servicePrincipals('${service.servicePrincipal.id}')/synchronization/jobs`,
  });
};

const getJob: RouteHandler = (request, params, context) => {
  const service = cloudSyncOf(context, params['id'] ?? '');
  jobOf(service, params['jobId'] ?? '');
  const select = parseEntityQuery(request.query, JOB_SHAPE);
  const path = `servicePrincipals('${service.servicePrincipal.id}')/synchronization/jobs`;
  return ok({ '@odata.context': contextUrl(context.root, path, select, true), ...project(service.job, JOB_SHAPE, select) });
};

/** The job's schema, reduced to what provisionOnDemand needs: the user rule's id. */
const getSchema: RouteHandler = (_request, params, context) => {
  const service = cloudSyncOf(context, params['id'] ?? '');
  jobOf(service, params['jobId'] ?? '');
  return ok({
    '@odata.context': contextUrl(
      context.root,
      `servicePrincipals('${service.servicePrincipal.id}')/synchronization/jobs('${service.job.id}')/schema`,
      undefined,
      true,
    ),
    id: service.job.id,
    version: 'Date:2026-01-01T00:00:00Z~###~Version:1',
    synchronizationRules: [
      {
        id: CLOUD_SYNC_USER_RULE_ID,
        name: 'USER_ACTIVEDIRECTORY_TO_AAD',
        sourceDirectoryName: 'Active Directory',
        targetDirectoryName: 'Azure Active Directory',
        editable: true,
      },
    ],
    directories: [],
  });
};

const onDemandBody = z.object({
  parameters: z
    .array(
      z.object({
        ruleId: z.string().min(1),
        subjects: z.array(z.object({ objectId: z.string().min(1), objectTypeName: z.string().min(1) })).min(1),
      }),
    )
    .length(1),
});

const provisionOnDemand: RouteHandler = async (request, params, context) => {
  const service = cloudSyncOf(context, params['id'] ?? '');
  jobOf(service, params['jobId'] ?? '');
  const parsed = onDemandBody.safeParse(readJsonObject(request));
  if (!parsed.success) {
    throw new GraphServiceError(
      400,
      'BadRequest',
      `Invalid provisionOnDemand payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const [parameter] = parsed.data.parameters;
  if (!parameter || parameter.ruleId !== CLOUD_SYNC_USER_RULE_ID) {
    throw new GraphServiceError(
      400,
      'BadRequest',
      `The synchronization rule '${parameter?.ruleId ?? ''}' does not exist in the job's schema.`,
    );
  }
  const [subject, ...more] = parameter.subjects;
  if (!subject || more.length > 0 || subject.objectTypeName.toLowerCase() !== 'user') {
    throw new GraphServiceError(
      400,
      'BadRequest',
      'Provision on demand takes one subject of objectTypeName "user" (its AD distinguished name) per request.',
    );
  }
  const admitted = service.admitOnDemand(context.now().getTime());
  if (!admitted.admitted) throw graphErrors.throttled(admitted.retryAfterSeconds);
  return ok(await runOnDemand(context, service, subject.objectId));
};

export const cloudSyncRoutes: Route[] = [
  { pattern: '/servicePrincipals', handlers: { GET: listServicePrincipals } },
  { pattern: '/servicePrincipals/:id', handlers: { GET: getServicePrincipal } },
  { pattern: '/servicePrincipals/:id/synchronization/jobs', handlers: { GET: listJobs } },
  { pattern: '/servicePrincipals/:id/synchronization/jobs/:jobId', handlers: { GET: getJob } },
  { pattern: '/servicePrincipals/:id/synchronization/jobs/:jobId/schema', handlers: { GET: getSchema } },
  { pattern: '/servicePrincipals/:id/synchronization/jobs/:jobId/provisionOnDemand', handlers: { POST: provisionOnDemand } },
];
