/**
 * The relay the sandbox bot talks to: the real `hardmatch-relay` code, in-process, serving the
 * sandbox's editable directory (the fixtures, or SANDBOX_DIRECTORY's users), with a fresh random key per run; its delta sync (POST /v1/sync) is the
 * simulated one over the Entra emulator. With RELAY_URL/RELAY_KEY set, the sandbox uses that relay
 * instead (a real AD, read-only: the bot only ever looks users up).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadRelayConfig } from '../config/load-relay-config.ts';
import type { Env } from '../config/parse-env.ts';
import type { Logger } from '../logging/logger.ts';
import { startFixtureRelay } from './fixture-relay.ts';
import type { FixtureSource } from './fixture-directory.ts';
import type { SyncTrigger } from '../ports/sync-trigger.ts';

export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/directory', import.meta.url));

export interface SandboxRelay {
  url: string;
  key: string;
  /** True when RELAY_URL pointed the sandbox at a relay it did not start. */
  external: boolean;
  close(): Promise<void>;
}

/** Undefined when the environment names its own relay (loadConfig then validates the pair). */
/** `fixtures`: the users it serves, read at each look-up (the sandbox directory, as edited). */
export async function startSandboxRelay(
  env: Env,
  logger: Logger,
  syncTrigger: SyncTrigger,
  fixtures: FixtureSource,
): Promise<SandboxRelay | undefined> {
  if (env.RELAY_URL || env.RELAY_KEY) return undefined;
  const key = randomBytes(32).toString('base64url');
  const config = loadRelayConfig({
    RELAY_KEY: key,
    RELAY_FIXTURES: FIXTURES_DIR,
    RELAY_HOST: '127.0.0.1',
    LOG_LEVEL: env.LOG_LEVEL,
  });
  // Port 0: any free port, so the sandbox never collides with a relay already on 7443.
  const relay = await startFixtureRelay({ ...config, port: 0 }, { logger: logger.child({ part: 'relay' }), syncTrigger, fixtures });
  return { url: relay.url, key, external: false, close: () => relay.close() };
}
