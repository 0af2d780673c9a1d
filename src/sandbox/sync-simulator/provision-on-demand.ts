/**
 * The Cloud Sync provisioning agent for the Entra emulator's provisionOnDemand: reads the AD object
 * by its DN from the same source the delta sync reads, runs the sync engine for that one object
 * (`syncSubject`: same prediction, same service rules), and reports the run as Cloud Sync's steps:
 * import, scoping, matching, export. Scoping filters are not applied to on-demand runs (Learn,
 * "Provision on demand": the object is provisioned even outside the configured scope).
 */
import type { OnPremUser } from '../../domain/onprem-user.ts';
import type { EmulatorState, OnDemandRun, OnDemandStep, ProvisioningAgent } from '../emulator/index.ts';
import { syncSubject, type SyncRunResult } from './run-delta-sync.ts';

export interface ProvisioningAgentOptions {
  state: EmulatorState;
  /** Every AD user the agent can see, read at each run. */
  listUsers: () => Promise<OnPremUser[]>;
}

const JOINS: Record<string, string> = {
  HARD_MATCH: 'sourceAnchor (onPremisesImmutableId)',
  SOFT_MATCH: 'proxyAddresses / userPrincipalName (soft match)',
  UPDATE: 'sourceAnchor (already joined)',
  RESTORE: 'sourceAnchor (soft-deleted user)',
};

export function createProvisioningAgent(options: ProvisioningAgentOptions): ProvisioningAgent {
  return async (dn) => {
    const users = await options.listUsers();
    const onPrem = users.find((u) => u.dn.toLowerCase() === dn.trim().toLowerCase());
    if (!onPrem) return notFound(dn);
    return reportRun(onPrem, syncSubject(options.state, { onPrem, inScope: true }));
  };
}

function notFound(dn: string): OnDemandRun {
  const message = `The object '${dn}' could not be found in Active Directory.`;
  return {
    result: 'Failure',
    action: 'Other',
    steps: [{ name: 'EntryImport', type: 'Import', status: 'Failure', description: message, details: { distinguishedName: dn } }],
    targetUserId: null,
    sourceObjectId: null,
    reportableIdentifier: dn,
    modifiedProperties: [],
    error: { code: 'ObjectNotFound', message },
  };
}

function reportRun(onPrem: OnPremUser, result: SyncRunResult): OnDemandRun {
  const name = onPrem.userPrincipalName ?? onPrem.dn;
  const imported: OnDemandStep = {
    name: 'EntryImport',
    type: 'Import',
    status: 'Success',
    description: `Retrieved user '${name}' from Active Directory`,
    details: {
      distinguishedName: onPrem.dn,
      sAMAccountName: onPrem.samAccountName,
      objectGUID: onPrem.objectGuid,
      sourceAnchor: onPrem.anchor.immutableId,
    },
  };
  const scoped: OnDemandStep = {
    name: 'EntrySynchronizationScoping',
    type: 'Scoping',
    status: 'Success',
    description: 'Determine if user in scope by evaluating against each scoping filter',
    details: { 'Active in the source system': String(onPrem.enabled), 'Scoping filter evaluation passed': 'True' },
  };
  const base = { targetUserId: result.userId ?? null, sourceObjectId: onPrem.objectGuid, reportableIdentifier: name };
  const steps = [imported, scoped, matchingStep(result)];
  if (result.error) {
    const failed: OnDemandStep = {
      name: 'EntryExportUpdate',
      type: 'Export',
      status: 'Failure',
      description: result.error.message,
      details: { errorCode: result.error.code },
    };
    return { ...base, result: 'Failure', action: actionOf(result), steps: [...steps, failed], modifiedProperties: [], error: result.error };
  }
  if (result.skipped) {
    const skip: OnDemandStep = {
      name: 'EntrySynchronizationSkip',
      type: 'Export',
      status: 'Skipped',
      description: result.skipped,
      details: { SkipReason: 'CloudManaged' },
    };
    return {
      ...base,
      result: 'Skipped',
      action: 'Other',
      steps: [...steps, skip],
      modifiedProperties: [],
      error: { code: 'CloudManaged', message: result.skipped },
    };
  }
  const action = actionOf(result);
  const exported: OnDemandStep = {
    name: action === 'Create' ? 'EntryExportAdd' : 'EntryExportUpdate',
    type: 'Export',
    status: 'Success',
    description: `User '${name}' was ${action === 'Create' ? 'created' : 'updated'} in Azure Active Directory`,
    details: {},
  };
  return { ...base, result: 'Success', action, steps: [...steps, exported], modifiedProperties: modified(onPrem) };
}

/** What matched, on what, and which cloud object the AD object joins (or that none did). */
function matchingStep(result: SyncRunResult): OnDemandStep {
  const via = JOINS[result.outcome];
  if (via && result.userId) {
    return {
      name: 'EntryImportByMatch',
      type: 'Matching',
      status: 'Success',
      description: `Matched cloud user '${result.userId}' on ${via}`,
      details: { matchedObjectId: result.userId, matchedBy: via, outcome: result.outcome },
    };
  }
  const none = result.outcome === 'CREATE' ? 'No matching cloud user: a new user is created' : `No join (${result.outcome})`;
  return {
    name: 'EntryImportByMatch',
    type: 'Matching',
    status: 'Success',
    description: none,
    details: { outcome: result.outcome, ...(result.userId ? { objectId: result.userId } : {}) },
  };
}

function actionOf(result: SyncRunResult): OnDemandRun['action'] {
  if (result.outcome === 'CREATE') return 'Create';
  if (result.outcome === 'DELETE') return 'Delete';
  return result.userId ? 'Update' : 'Other';
}

function modified(onPrem: OnPremUser): OnDemandRun['modifiedProperties'] {
  const props: [string, string | null][] = [
    ['AccountEnabled', String(onPrem.enabled)],
    ['DisplayName', onPrem.displayName],
    ['Mail', onPrem.mail],
    ['OnPremisesDistinguishedName', onPrem.dn],
    ['OnPremisesSamAccountName', onPrem.samAccountName],
    ['OnPremisesUserPrincipalName', onPrem.userPrincipalName],
    ['SourceAnchor', onPrem.anchor.immutableId],
  ];
  return props.flatMap(([displayName, newValue]) => (newValue === null ? [] : [{ displayName, newValue }]));
}
