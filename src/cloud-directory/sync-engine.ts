/**
 * Which engine syncs the tenant, read with the other tenant facts (tenant-facts.ts):
 * - Cloud Sync: service principals created from application template CLOUD_SYNC_TEMPLATE_ID, their
 *   jobs of template AD2AADProvisioning, and each job's schema (the rule id `provisionOnDemand`
 *   takes, and the OUs the job syncs: `containerFilter.includedContainers`). The service principal
 *   look-up rides in the tenant-facts `$batch`; jobs and schemas (Cloud Sync tenants only) follow
 *   in two more, overlapping the relay look-up like the rest of the tenant facts.
 * - Connect Sync: the tenant's `onPremisesSynchronization` names the Entra Connect version
 *   (`configuration.synchronizationClientVersion`) when a Connect server exports to it. A tenant
 *   without Cloud Sync is taken as a Connect Sync tenant, as before 2026.
 * A read the bot may not make (403) leaves that engine unknown and names the permission.
 */
import type {
  OnPremisesDirectorySynchronization,
  ServicePrincipal,
  SynchronizationJob,
  SynchronizationSchema,
} from '@microsoft/microsoft-graph-types';
import { CLOUD_SYNC_JOB_TEMPLATE, CLOUD_SYNC_TEMPLATE_ID, type CloudSyncJob, type SyncEngine } from '../domain/cloud.ts';
import type { Operation } from './errors.ts';
import type { BatchAnswer, BatchGet, GraphTransport } from './graph-transport.ts';
import { collectionUrl, eqFilter, pathSegment } from './odata.ts';
import { answerOf, valuesOf } from './queries.ts';

export const CLOUD_SYNC_OP: Operation = { what: "find the tenant's Entra Cloud Sync configuration", permission: 'Application.Read.All' };
const JOBS_OP: Operation = { what: 'read the Cloud Sync jobs', permission: 'Synchronization.ReadWrite.All' };

/** The tenant-facts `$batch` item finding Cloud Sync's service principals. */
export function cloudSyncRequest(id: string): BatchGet {
  return {
    id,
    url: collectionUrl('/servicePrincipals', {
      filter: eqFilter('applicationTemplateId', CLOUD_SYNC_TEMPLATE_ID),
      select: ['id', 'displayName'],
    }),
  };
}

/** 401/403: the bot may not read it; the caller names the permission instead of failing. */
export function refused(answer: BatchAnswer | undefined): boolean {
  return answer?.status === 403 || answer?.status === 401;
}

/**
 * A 4xx other than a refusal (e.g. 400/404 from a cloud or API version without the resource): the
 * fact is unknown, and `match` goes on without it. Throttling and 5xx were retried by the transport
 * and still fail the read.
 */
export function unavailable(answer: BatchAnswer | undefined): boolean {
  return answer !== undefined && answer.status >= 400 && answer.status < 500 && answer.status !== 429 && !refused(answer);
}

/** The Entra Connect version the tenant reports, or null (the property is beta's; read when present). */
export function connectVersionOf(sync: OnPremisesDirectorySynchronization | undefined): string | null {
  const configuration = sync?.configuration as { synchronizationClientVersion?: string | null } | null | undefined;
  const version = configuration?.synchronizationClientVersion;
  return typeof version === 'string' && version.trim() !== '' ? version.trim() : null;
}

type SchemaWithRules = SynchronizationSchema & {
  synchronizationRules?: { id?: string | null; containerFilter?: { includedContainers?: string[] | null } | null }[] | null;
};

const jobsRequest = (id: string, spId: string): BatchGet => ({ id, url: `/servicePrincipals/${pathSegment(spId)}/synchronization/jobs` });
const schemaRequest = (id: string, spId: string, jobId: string): BatchGet => ({
  id,
  url: `/servicePrincipals/${pathSegment(spId)}/synchronization/jobs/${pathSegment(jobId)}/schema`,
});

/**
 * Cloud Sync's jobs from the service principals' answer: jobs and schemas read in two `$batch`es.
 * Undefined when a read was refused (the permission is then in `missing`).
 */
export async function readCloudSyncJobs(
  transport: GraphTransport,
  answer: BatchAnswer | undefined,
  missing: string[],
): Promise<CloudSyncJob[] | undefined> {
  if (refused(answer)) {
    missing.push(CLOUD_SYNC_OP.permission);
    return undefined;
  }
  if (unavailable(answer)) return undefined;
  const principals = await valuesOf<ServicePrincipal>(
    transport,
    CLOUD_SYNC_OP,
    answerOf(CLOUD_SYNC_OP, new Map([['sp', answer as BatchAnswer]]), 'sp'),
    {},
  );
  const ids = principals.map((p) => p.id ?? '').filter((id) => id !== '');
  if (ids.length === 0) return [];
  const jobAnswers = await transport.batch(
    JOBS_OP,
    ids.map((sp, i) => jobsRequest(`jobs-${i}`, sp)),
  );
  if (ids.some((_, i) => refused(jobAnswers.get(`jobs-${i}`)))) {
    missing.push(JOBS_OP.permission);
    return undefined;
  }
  const jobs: { servicePrincipalId: string; jobId: string }[] = [];
  for (const [i, sp] of ids.entries()) {
    const found = await valuesOf<SynchronizationJob>(transport, JOBS_OP, answerOf(JOBS_OP, jobAnswers, `jobs-${i}`), {});
    for (const job of found)
      if (job.id && (job.templateId ?? CLOUD_SYNC_JOB_TEMPLATE) === CLOUD_SYNC_JOB_TEMPLATE)
        jobs.push({ servicePrincipalId: sp, jobId: job.id });
  }
  if (jobs.length === 0) return [];
  const schemas = await transport.batch(
    JOBS_OP,
    jobs.map((j, i) => schemaRequest(`schema-${i}`, j.servicePrincipalId, j.jobId)),
  );
  return jobs.map((job, i) => ({ ...job, ...ruleOf(schemas.get(`schema-${i}`)) }));
}

/** The job's first rule (Cloud Sync has one per object flow) and its container filter; unknown when the schema was not read. */
function ruleOf(answer: BatchAnswer | undefined): { ruleId: string | null; includedContainers: string[] | null } {
  if (!answer || answer.status < 200 || answer.status >= 300) return { ruleId: null, includedContainers: null };
  const rules = (answer.body as SchemaWithRules | null)?.synchronizationRules ?? [];
  const rule = rules.find((r) => typeof r.id === 'string' && r.id !== '');
  const containers = rules.flatMap((r) => r.containerFilter?.includedContainers ?? []);
  return { ruleId: rule?.id ?? null, includedContainers: containers.length > 0 ? containers : null };
}

/** The engines, from what was read: Cloud Sync jobs (undefined: unknown) and the Connect version. */
export function syncEngineOf(jobs: CloudSyncJob[] | undefined, connectVersion: string | null): SyncEngine {
  const cloudSync = jobs ?? [];
  return { connectSync: connectVersion !== null || cloudSync.length === 0, connectVersion, cloudSync };
}
