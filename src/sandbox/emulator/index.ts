/**
 * The Entra emulator's public surface: start it (HTTP API + typed state), or use the state alone.
 * See README.md in this folder for the seed format and the Graph behaviour it reproduces.
 */
export { startEmulator, type EmulatorOptions, type RunningEmulator } from './server.ts';
export { EmulatorState, type AnchorHolder, type EmulatorStateOptions } from './state.ts';
export { loadSeedFile, parseSeed, type Seed, type SeedInput } from './seed.ts';
export { GraphServiceError, isGraphServiceError, type GraphErrorDetail } from './graph-errors.ts';
export type { UserPatch } from './user-writes.ts';
export type { RestoreOptions } from './recycle-bin.ts';
export type { SyncedUserAttributes } from './sync-writes.ts';
export type {
  DirectoryMember,
  DirectoryRoleRecord,
  DomainRecord,
  GroupRecord,
  ProvisioningError,
  SyncSettingsRecord,
  TenantRecord,
  UserRecord,
} from './model.ts';
export type { OnDemandRun, OnDemandStep, ProvisioningAgent } from './cloud-sync.ts';
export { CLOUD_SYNC_APPLICATION_TEMPLATE_ID, CLOUD_SYNC_JOB_TEMPLATE_ID, CLOUD_SYNC_USER_RULE_ID } from './cloud-sync.ts';
export type { RoleEligibilityRecord, SyncEngine } from './model.ts';
export { seededRandom } from './prng.ts';
export { trustCertificateInProcess } from './tls-certificate.ts';
