/**
 * The sync simulator's runner: Entra Connect's matching rules (src/domain/sync/predict.ts) applied
 * to the Entra emulator. The sandbox uses it as its delta sync; tests use it to play a sync.
 */
export { runDeltaSync, syncSubject, type RunDeltaSyncOptions, type SyncRunReport, type SyncRunResult } from './run-delta-sync.ts';
export { createProvisioningAgent, type ProvisioningAgentOptions } from './provision-on-demand.ts';
export { createSimulatedSync, type SimulatedSync, type SimulatedSyncOptions } from './simulated-sync.ts';
export { syncTenantOf, tenantFactsOf, toCloudGroup, toCloudUser } from './sync-tenant.ts';
export { syncedAttributesOf } from './synced-attributes.ts';
export { summarizeRun, syncResultOf } from './summary.ts';
export type { ExportError } from './export-errors.ts';
