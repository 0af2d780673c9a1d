/**
 * The 2026 writes and reads through Graph beta and Cloud Sync:
 * - `clearObjectIdentifier`: `PATCH /beta/users/{id}` `{"onPremisesObjectIdentifier": null}`
 *   (only null is accepted; User-OnPremisesSyncBehavior.ReadWrite.All, and the caller in the
 *   Hybrid Identity Administrator or Global Administrator role). Sent at most once in effect
 *   (writes.ts `writeOnce`: after a lost answer the mapping is read before sending again, and the
 *   clear counts as done once it no longer names the object it named: another request's sync may
 *   already have mapped the user to its new object, which a second clear would undo).
 * - `objectIdentifierOf`: the user's mapping now (beta `$select`), for the step's drift check.
 * - `provisionOnDemand`: `POST /servicePrincipals/{id}/synchronization/jobs/{jobId}/provisionOnDemand`
 *   with the AD DN. Graph answers a stringKeyStringValuePair whose `key` and `value` are JSON text
 *   (`{"result","details"}` and the provisioning record with its `provisioningSteps`); both are
 *   parsed here into ProvisionOnDemandResult. After a lost answer it is sent again: it syncs one
 *   object to the state AD holds, so a second run has the effect of one (Graph offers no read of
 *   whether a run happened other than the provisioning logs, which lag by minutes).
 * - `provisioningLogOf`: the newest `/auditLogs/provisioning` entry of the job, for the error
 *   Entra recorded (and what it recommends) when a run failed. The API allows 5 requests per 10 s: a 429 is retried
 *   after its Retry-After by the transport, within the deadline.
 */
import type { ProvisioningObjectSummary, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import type { ProvisioningLogError, ProvisionOnDemandResult, ProvisioningStepResult } from '../ports/cloud-directory.ts';
import { failureFromThrown, type Operation } from './errors.ts';
import type { GraphTransport } from './graph-transport.ts';
import { collectionUrl, eqFilter, pathSegment } from './odata.ts';
import { parseObjectId } from './users.ts';
import { writeOnce } from './writes.ts';

const CLEAR_PERMISSION = 'User-OnPremisesSyncBehavior.ReadWrite.All (and the Hybrid Identity Administrator role)';
const SYNC_PERMISSION = 'Synchronization.ReadWrite.All';

export async function clearObjectIdentifier(transport: GraphTransport, userId: string, previous?: string): Promise<void> {
  const id = parseObjectId(userId);
  const op: Operation = { what: `clear the onPremisesObjectIdentifier of cloud user ${id}`, permission: CLEAR_PERMISSION };
  const path = `/users/${pathSegment(id)}`;
  await writeOnce(
    transport,
    op,
    (request) => request(path).version('beta').patch({ onPremisesObjectIdentifier: null }) as Promise<unknown>,
    async (request) => {
      const user = (await request(path).version('beta').select(['onPremisesObjectIdentifier']).get()) as {
        onPremisesObjectIdentifier?: string | null;
      };
      const now = user.onPremisesObjectIdentifier ?? null;
      return previous === undefined ? now === null : now?.toLowerCase() !== previous.toLowerCase();
    },
  );
}

/** The user's onPremisesObjectIdentifier now; `exists` false when there is no such active user. */
export async function objectIdentifierOf(
  transport: GraphTransport,
  userId: string,
): Promise<{ exists: boolean; onPremisesObjectIdentifier: string | null }> {
  const id = parseObjectId(userId);
  const op: Operation = { what: `read the on-premises mapping of cloud user ${id}`, permission: 'User.Read.All' };
  return transport.call(op, async (request) => {
    try {
      const user = (await request(`/users/${pathSegment(id)}`)
        .version('beta')
        .select(['id', 'onPremisesObjectIdentifier'])
        .get()) as { onPremisesObjectIdentifier?: string | null };
      return { exists: true, onPremisesObjectIdentifier: user.onPremisesObjectIdentifier ?? null };
    } catch (err) {
      if (failureFromThrown(err).status === 404) return { exists: false, onPremisesObjectIdentifier: null };
      throw err;
    }
  });
}

interface CloudSyncTarget {
  servicePrincipalId: string;
  jobId: string;
  ruleId: string | null;
}

type SchemaRules = SynchronizationSchema & { synchronizationRules?: { id?: string | null }[] | null };

/** The rule to run: the one read with the tenant facts, else the job schema's first rule (read now). */
async function ruleIdOf(transport: GraphTransport, job: CloudSyncTarget, jobPath: string): Promise<string> {
  if (job.ruleId) return job.ruleId;
  const op: Operation = { what: `read the schema of Cloud Sync job ${job.jobId}`, permission: SYNC_PERMISSION };
  const schema = (await transport.call(op, (request) => request(`${jobPath}/schema`).get() as Promise<SchemaRules>)) ?? {};
  const rule = (schema.synchronizationRules ?? []).find((r) => typeof r.id === 'string' && r.id !== '');
  if (!rule?.id) throw new Error(`The schema of Cloud Sync job ${job.jobId} names no synchronization rule.`);
  return rule.id;
}

export async function provisionOnDemand(transport: GraphTransport, job: CloudSyncTarget, dn: string): Promise<ProvisionOnDemandResult> {
  const jobPath = `/servicePrincipals/${pathSegment(parseObjectId(job.servicePrincipalId))}/synchronization/jobs/${pathSegment(job.jobId)}`;
  const ruleId = await ruleIdOf(transport, job, jobPath);
  const op: Operation = { what: `sync ${dn} on demand through Cloud Sync`, permission: SYNC_PERMISSION };
  const body = { parameters: [{ ruleId, subjects: [{ objectId: dn, objectTypeName: 'user' }] }] };
  const answer = await transport.call(
    op,
    (request) => request(`${jobPath}/provisionOnDemand`).post(body) as Promise<{ key?: unknown; value?: unknown }>,
  );
  return parseProvisionAnswer(answer);
}

function parseJson(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Graph's stringKeyStringValuePair (JSON in both strings) as our result; tolerant of missing parts. */
export function parseProvisionAnswer(answer: { key?: unknown; value?: unknown } | null | undefined): ProvisionOnDemandResult {
  const key = parseJson(answer?.key);
  const record = parseJson(answer?.value);
  const details = (key.details ?? {}) as Record<string, unknown>;
  const statusInfo = (record.statusInfo ?? {}) as Record<string, unknown>;
  const steps: ProvisioningStepResult[] = (Array.isArray(record.provisioningSteps) ? record.provisioningSteps : []).map((raw: unknown) => {
    const step = (raw ?? {}) as Record<string, unknown>;
    const stepDetails = step.details && typeof step.details === 'object' ? (step.details as Record<string, unknown>) : {};
    return {
      name: text(step.name) ?? '',
      type: text(step.type) ?? '',
      status: text(step.status) ?? '',
      description: text(step.description) ?? '',
      details: Object.fromEntries(
        Object.entries(stepDetails)
          .filter(([, v]) => typeof v === 'string')
          .slice(0, 20),
      ) as Record<string, string>,
    };
  });
  const target = (record.targetIdentity ?? {}) as Record<string, unknown>;
  return {
    result: text(key.result) ?? text(statusInfo.status) ?? 'Unknown',
    steps,
    targetId: text(target.id)?.toLowerCase() ?? null,
    errorCode: text(details.errorCode) ?? text(statusInfo.errorCode),
    errorMessage: text(details.errorMessage) ?? text(statusInfo.reason),
  };
}

/** The newest provisioning-log entry of a Cloud Sync job, when it records an error (AuditLog.Read.All). */
export async function provisioningLogOf(transport: GraphTransport, jobId: string): Promise<ProvisioningLogError | null> {
  const op: Operation = { what: `read the provisioning logs of Cloud Sync job ${jobId}`, permission: 'AuditLog.Read.All' };
  const url = collectionUrl('/auditLogs/provisioning', { filter: eqFilter('jobId', jobId), top: 1 });
  const page = await transport.call(op, (request) => request(url).get() as Promise<{ value?: ProvisioningObjectSummary[] }>);
  const info = page.value?.[0]?.provisioningStatusInfo?.errorInformation;
  if (!info) return null;
  return { errorCode: info.errorCode ?? null, reason: info.reason ?? null, recommendedAction: info.recommendedAction ?? null };
}
