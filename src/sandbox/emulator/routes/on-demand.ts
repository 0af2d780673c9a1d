/**
 * One provisionOnDemand run: hand the DN to the connected provisioning agent (the sandbox's sync
 * simulator for that one object), keep the run in the provisioning logs, answer in Graph's shape.
 * Without an agent the run fails at import, as a tenant whose agent is offline would.
 */
import type { CloudSyncService, OnDemandRun } from '../cloud-sync.ts';
import type { RouteContext } from '../http/types.ts';
import { onDemandAnswer, provisioningLogEntry } from '../on-demand-answer.ts';

function agentOffline(dn: string): OnDemandRun {
  const message = 'The provisioning agent could not be reached; no on-premises object was read.';
  return {
    result: 'Failure',
    action: 'Other',
    steps: [
      {
        name: 'EntryImport',
        type: 'Import',
        status: 'Failure',
        description: `Could not retrieve user '${dn}' from Active Directory`,
        details: { errorMessage: message },
      },
    ],
    targetUserId: null,
    sourceObjectId: null,
    reportableIdentifier: dn,
    modifiedProperties: [],
    error: { code: 'AgentUnavailable', message },
  };
}

export async function runOnDemand(context: RouteContext, service: CloudSyncService, dn: string): Promise<object> {
  const startTime = context.now().toISOString();
  const run = service.agent ? await service.agent(dn) : agentOffline(dn);
  const times = { startTime, endTime: context.now().toISOString(), changeId: context.newRequestId() };
  service.recordProvisioning(
    provisioningLogEntry(run, { ...times, id: context.newRequestId(), tenantId: context.state.tenant.id }, service),
  );
  return onDemandAnswer(run, times);
}
