/**
 * The sandbox's cloud side: the Entra emulator over HTTPS on a free port, seeded with the scenario
 * catalog (or the tenant file SANDBOX_TENANT names), its certificate trusted in this process only,
 * so the bot's real cloud directory module talks Graph to it exactly as in production.
 * Also the sandbox's AD (fixtures or SANDBOX_DIRECTORY) and the simulated Entra Connect delta sync
 * over it that the sandbox relay runs.
 */
import type { Env } from '../config/parse-env.ts';
import { startEmulator, trustCertificateInProcess, loadSeedFile, type EmulatorState, type Seed } from './emulator/index.ts';
import { ConfigError } from '../errors/index.ts';
import type { Logger } from '../logging/logger.ts';
import type { SyncTrigger } from '../ports/sync-trigger.ts';
import { createSimulatedSync, syncResultOf, type SyncRunReport } from './sync-simulator/index.ts';
import { loadSandboxDirectory, type SandboxDirectory } from './sandbox-directory.ts';
import { buildSandboxSeed, inSandboxSyncScope } from './scenarios/index.ts';

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

/** The tenant to emulate: SANDBOX_TENANT's file (validated, errors name the file and field), else the catalog. */
export async function sandboxTenant(env: Env): Promise<{ seed: Seed; source: string }> {
  const file = env.SANDBOX_TENANT;
  if (!file) return { seed: buildSandboxSeed(), source: 'catalog' };
  try {
    return { seed: await loadSeedFile(file), source: file };
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
    listUsers: () => directory.users(),
    inScope: inSandboxSyncScope,
    logger: logger.child({ part: 'sync' }),
  });
  const syncTrigger: SyncTrigger = {
    triggerSync: async () => syncResultOf(await simulated.runDelta()),
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
