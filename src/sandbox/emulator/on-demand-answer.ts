/**
 * An on-demand run in the two shapes Graph gives it:
 * - provisionOnDemand's answer: a `stringKeyStringValuePair` whose `key` is the JSON of
 *   `{result, details}` and whose `value` is the JSON of the run (provisioningSteps, action,
 *   modifiedProperties, source/target identity and system, statusInfo), as the Cloud Sync example
 *   of synchronization-synchronizationjob-provisionondemand.md shows;
 * - the provisioning log entry (`provisioningObjectSummary`, provisioningobjectsummary.md) that
 *   `GET /auditLogs/provisioning` lists.
 */
import type { ProvisioningObjectSummary, ProvisioningResult, ProvisioningStepType } from '@microsoft/microsoft-graph-types';
import type { CloudSyncService, OnDemandRun } from './cloud-sync.ts';

export interface RunTimes {
  startTime: string;
  endTime: string;
  changeId: string;
}

const SOURCE_SYSTEM = 'Active Directory';
const TARGET_SYSTEM = 'Azure Active Directory';

export function onDemandAnswer(run: OnDemandRun, times: RunTimes): object {
  const details = run.error ? { errorCode: run.error.code, errorMessage: run.error.message } : {};
  const value = {
    provisioningSteps: run.steps.map((s) => ({ ...s, timestamp: times.endTime })),
    modifiedProperties: run.modifiedProperties.map((p) => ({ ...p })),
    action: run.action,
    changeId: times.changeId,
    endTime: times.endTime,
    reportableIdentifier: run.reportableIdentifier,
    sourceIdentity: { id: run.sourceObjectId, type: 'user' },
    sourceSystem: { name: SOURCE_SYSTEM },
    startTime: times.startTime,
    statusInfo: run.error ? { status: run.result, errorCode: run.error.code, reason: run.error.message } : { status: run.result },
    targetIdentity: { id: run.targetUserId, type: 'User' },
    targetSystem: { name: TARGET_SYSTEM },
  };
  return {
    '@odata.context': 'https://syncfabric.windowsazure.com/api/$metadata#microsoft.synchronization.stringKeyStringValuePair',
    key: JSON.stringify({ result: run.result, details }),
    value: JSON.stringify(value),
  };
}

const STEP_TYPE: Record<OnDemandRun['steps'][number]['type'], ProvisioningStepType> = {
  Import: 'import',
  Scoping: 'scoping',
  Matching: 'matching',
  Export: 'export',
};

const lower = (status: string): ProvisioningResult => status.toLowerCase() as ProvisioningResult;

export function provisioningLogEntry(
  run: OnDemandRun,
  times: RunTimes & { id: string; tenantId: string },
  service: CloudSyncService,
): ProvisioningObjectSummary & { id: string } {
  return {
    id: times.id,
    activityDateTime: times.endTime,
    changeId: times.changeId,
    cycleId: times.changeId,
    durationInMilliseconds: Math.max(0, Date.parse(times.endTime) - Date.parse(times.startTime)),
    initiatedBy: { id: '', displayName: 'Provision on demand', initiatorType: 'user' },
    jobId: service.job.id,
    modifiedProperties: run.modifiedProperties.map((p) => ({ displayName: p.displayName, oldValue: null, newValue: p.newValue })),
    provisioningAction:
      run.action === 'Create' ? 'create' : run.action === 'Update' ? 'update' : run.action === 'Delete' ? 'delete' : 'other',
    provisioningStatusInfo: {
      status: lower(run.result),
      errorInformation: run.error
        ? {
            errorCode: run.error.code,
            reason: run.error.message,
            errorCategory: 'failure',
            additionalDetails: null,
            recommendedAction: null,
          }
        : null,
    },
    provisioningSteps: run.steps.map((s) => ({
      name: s.name,
      provisioningStepType: STEP_TYPE[s.type],
      status: lower(s.status),
      description: s.description,
      details: { ...s.details },
    })),
    servicePrincipal: { id: service.servicePrincipal.id, displayName: service.servicePrincipal.displayName ?? null },
    sourceIdentity: { id: run.sourceObjectId, displayName: run.reportableIdentifier, identityType: 'user' },
    sourceSystem: { id: null, displayName: SOURCE_SYSTEM },
    targetIdentity: { id: run.targetUserId, displayName: run.reportableIdentifier, identityType: 'User' },
    targetSystem: { id: null, displayName: TARGET_SYSTEM },
    tenantId: times.tenantId,
  };
}
