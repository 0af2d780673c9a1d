/**
 * A tenant's Microsoft Entra Cloud Sync as Graph shows it: the service principal created from the
 * AD-to-Entra provisioning application template, its one synchronization job (template
 * `AD2AADProvisioning`, every 2 minutes), the provisioning logs its failed runs leave, and the
 * on-demand rate limit (5 requests per 10 seconds, synchronizationjob-provisionondemand.md).
 * Ids are derived from the tenant id, so a tenant's Cloud Sync objects are the same every run.
 */
import { createHash } from 'node:crypto';
import type { ProvisioningObjectSummary, ServicePrincipal, SynchronizationJob } from '@microsoft/microsoft-graph-types';

/** Entra Cloud Sync's application template ("AD2AAD provisioning"). */
export const CLOUD_SYNC_APPLICATION_TEMPLATE_ID = '1a4721b3-e57f-4451-ae87-ef078703ec94';
export const CLOUD_SYNC_JOB_TEMPLATE_ID = 'AD2AADProvisioning';
/** The user rule of an AD2AADProvisioning job (the ruleId of Graph's documented Cloud Sync example). */
export const CLOUD_SYNC_USER_RULE_ID = '6c409270-f78a-4bc6-af23-7cf3ab6482fe';
export const ON_DEMAND_LIMIT = 5;
export const ON_DEMAND_WINDOW_MS = 10_000;

function guidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One step of an on-demand run, as provisionOnDemand's `provisioningSteps` list them. */
export interface OnDemandStep {
  /** e.g. `EntryImport`, `EntrySynchronizationScoping`, `EntryImportByMatch`, `EntryExportUpdate`. */
  name: string;
  type: 'Import' | 'Scoping' | 'Matching' | 'Export';
  status: 'Success' | 'Failure' | 'Skipped' | 'Warning';
  description: string;
  details: Record<string, string>;
}

/** What the provisioning agent did with one AD object: the steps, and the cloud user it ended on. */
export interface OnDemandRun {
  result: 'Success' | 'Failure' | 'Skipped';
  action: 'Create' | 'Update' | 'Delete' | 'Other';
  steps: OnDemandStep[];
  /** The cloud user matched or written; null when none. */
  targetUserId: string | null;
  /** The AD object's objectGUID, or null when it was not found. */
  sourceObjectId: string | null;
  /** What the logs call the object: its UPN, else its DN. */
  reportableIdentifier: string;
  modifiedProperties: { displayName: string; newValue: string }[];
  /** Set when the run failed or was skipped: the error code and Microsoft's words. */
  error?: { code: string; message: string };
}

/**
 * The on-premises half of Cloud Sync: the provisioning agent, which reads the AD object by its DN
 * and runs the sync rules for it. The emulator has no AD of its own; the sandbox (or a test)
 * connects one (`connectAgent`), as installing the agent does.
 */
export type ProvisioningAgent = (dn: string) => Promise<OnDemandRun>;

export class CloudSyncService {
  readonly servicePrincipal: ServicePrincipal & { id: string };
  readonly job: SynchronizationJob & { id: string };
  readonly #logs: ProvisioningObjectSummary[] = [];
  /** Times (ms) of the on-demand requests admitted in the current window. */
  #onDemand: number[] = [];
  #agent: ProvisioningAgent | null = null;

  /** Connect the on-premises provisioning agent; without one, on-demand runs fail at import. */
  connectAgent(agent: ProvisioningAgent | null): void {
    this.#agent = agent;
  }

  get agent(): ProvisioningAgent | null {
    return this.#agent;
  }

  /** `domainName`: the AD domain the agent provisions from, which names the configuration in the portal. */
  constructor(tenantId: string, domainName: string) {
    const id = guidFrom(`cloud-sync-sp:${tenantId}`);
    const appId = guidFrom(`cloud-sync-app:${tenantId}`);
    this.servicePrincipal = {
      id,
      appId,
      displayName: domainName,
      applicationTemplateId: CLOUD_SYNC_APPLICATION_TEMPLATE_ID,
      servicePrincipalType: 'Application',
      accountEnabled: true,
      tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
    };
    this.job = {
      id: `${CLOUD_SYNC_JOB_TEMPLATE_ID}.${appId.replaceAll('-', '')}.${tenantId.toLowerCase()}`,
      templateId: CLOUD_SYNC_JOB_TEMPLATE_ID,
      schedule: { interval: 'PT2M', state: 'Active', expiration: null },
      status: { code: 'Active', countSuccessiveCompleteFailures: 0, escrowsPruned: false, quarantine: null, troubleshootingUrl: null },
      synchronizationJobSettings: [],
    };
  }

  /**
   * Admit one provisionOnDemand request at `nowMs`, or say how many whole seconds to wait
   * (`Retry-After`) when 5 were admitted in the last 10 seconds.
   */
  admitOnDemand(nowMs: number): { admitted: true } | { admitted: false; retryAfterSeconds: number } {
    this.#onDemand = this.#onDemand.filter((t) => t > nowMs - ON_DEMAND_WINDOW_MS);
    if (this.#onDemand.length >= ON_DEMAND_LIMIT) {
      const oldest = this.#onDemand[0] ?? nowMs;
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + ON_DEMAND_WINDOW_MS - nowMs) / 1000)) };
    }
    this.#onDemand.push(nowMs);
    return { admitted: true };
  }

  /** A provisioning log entry (Graph's provisioningObjectSummary); kept in arrival order. */
  recordProvisioning(entry: ProvisioningObjectSummary & { id: string }): void {
    this.#logs.push(structuredClone(entry));
  }

  /** Provisioning log entries, newest first (as the Entra admin center lists them). */
  provisioningLogs(): (ProvisioningObjectSummary & { id: string })[] {
    return this.#logs.map((e) => structuredClone(e) as ProvisioningObjectSummary & { id: string }).reverse();
  }
}
