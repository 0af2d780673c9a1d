/**
 * The sandbox's cloud side: the Entra emulator over HTTPS on a free port, seeded with the scenario
 * catalog (or the tenant file SANDBOX_TENANT names), its certificate trusted in this process only,
 * so the bot's real cloud directory module talks Graph to it exactly as in production.
 * Also the sandbox's AD (fixtures or SANDBOX_DIRECTORY) and the simulated Entra Connect delta sync
 * over it that the sandbox relay runs.
 */
import type { Env } from '../config/parse-env.ts';
import {
  startEmulator,
  trustCertificateInProcess,
  loadSeedFile,
  type EmulatorState,
  type Seed,
  type SyncEngine,
} from './emulator/index.ts';
import { ConfigError, SyncError } from '../errors/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { SyncTrigger } from '../ports/sync-trigger.ts';
import { createProvisioningAgent, createSimulatedSync, syncResultOf, type SyncRunReport } from './sync-simulator/index.ts';
import { loadSandboxDirectory, type SandboxDirectory } from './sandbox-directory.ts';
import { buildSandboxSeed, inSandboxSyncScope } from './scenarios/index.ts';

/** What PowerShell answers on a server without the ADSync module (no Entra Connect Sync installed). */
const NO_CONNECT_SYNC =
  "The term 'Start-ADSyncSyncCycle' is not recognized as a name of a cmdlet, function, script file, or executable program. " +
  '(The sandbox tenant runs Entra Cloud Sync only: there is no Entra Connect Sync server; sync one user with provisionOnDemand.)';

export interface SandboxCloud {
  /** The emulator's Graph base URL, e.g. https://127.0.0.1:41234. */
  url: string;
  /** The emulated tenant, for tests and the simulated sync. */
  state: EmulatorState;
  /** 'catalog', or the SANDBOX_TENANT file the tenant came from. */
  tenantSource: string;
  /** The sandbox's AD (fixtures or SANDBOX_DIRECTORY): what the sync reads and the relay serves. */
  directory: SandboxDirectory;
  /** One simulated delta sync over the sandbox directory (scope: everything but OU=Not Synced). */
  sync(): Promise<SyncRunReport>;
  /** The same sync as the relay runs it for POST /v1/sync. */
  syncTrigger: SyncTrigger;
  close(): Promise<void>;
}

const SYNC_ENGINES: readonly SyncEngine[] = ['connect-sync', 'cloud-sync', 'both'];

/** SANDBOX_SYNC_ENGINE, when set: which engine syncs the sandbox tenant (over the seed's `syncEngine`). */
export function sandboxSyncEngine(env: Env): SyncEngine | undefined {
  const raw = env.SANDBOX_SYNC_ENGINE?.trim();
  if (!raw) return undefined;
  const engine = SYNC_ENGINES.find((e) => e === raw.toLowerCase());
  if (!engine) throw new ConfigError([`SANDBOX_SYNC_ENGINE: must be one of ${SYNC_ENGINES.join(', ')}, got "${raw}"`]);
  return engine;
}

/**
 * The tenant to emulate: SANDBOX_TENANT's file (validated, errors name the file and field), else the
 * catalog; SANDBOX_SYNC_ENGINE overrides the seed's sync engine.
 */
export async function sandboxTenant(env: Env): Promise<{ seed: Seed; source: string }> {
  const engine = sandboxSyncEngine(env);
  const withEngine = (seed: Seed): Seed => (engine ? { ...seed, syncEngine: engine } : seed);
  const file = env.SANDBOX_TENANT;
  if (!file) return { seed: withEngine(buildSandboxSeed()), source: 'catalog' };
  try {
    return { seed: withEngine(await loadSeedFile(file)), source: file };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // loadSeedFile names the file only for read/JSON errors; say it for field errors too.
    throw new ConfigError(err.problems.map((p) => (p.includes(file) ? `SANDBOX_TENANT: ${p}` : `SANDBOX_TENANT (${file}): ${p}`)));
  }
}

export async function startSandboxCloud(env: Env, logger: Logger): Promise<SandboxCloud> {
  const { seed, source } = await sandboxTenant(env);
  // Before the emulator: a broken SANDBOX_DIRECTORY stops start-up with nothing to release.
  const directory = await loadSandboxDirectory(env);
  const emulator = await startEmulator({ seed, https: true, port: 0, host: '127.0.0.1', logger: logger.child({ part: 'emulator' }) });
  // Only this process trusts the throw-away certificate; nothing is written to disk.
  trustCertificateInProcess(emulator.caCertificate ?? '');
  const simulated = createSimulatedSync({
    state: emulator.state,
    // One Entra Connect over the sandbox's forest and the old forests it still syncs.
    listUsers: () => directory.syncUsers(),
    inScope: inSandboxSyncScope,
    logger: logger.child({ part: 'sync' }),
  });
  // Cloud Sync's provisioning agent reads the same AD the delta sync reads.
  emulator.state.cloudSync?.connectAgent(createProvisioningAgent({ state: emulator.state, listUsers: () => directory.users() }));
  const syncTrigger: SyncTrigger = {
    triggerSync: async () => {
      // A Cloud Sync-only tenant has no Entra Connect server: the relay's sync command is not there.
      if (emulator.state.syncEngine === 'cloud-sync') throw new SyncError('SYNC_FAILED', NO_CONNECT_SYNC);
      return syncResultOf(await simulated.runDelta());
    },
  };
  logger.info({ tenant: source, directory: directory.source, adUsers: directory.directory.users().length }, 'Entra emulator seeded');
  return {
    url: emulator.url,
    state: emulator.state,
    tenantSource: source,
    directory,
    sync: () => simulated.runDelta(),
    syncTrigger,
    close: () => emulator.close(),
  };
}
