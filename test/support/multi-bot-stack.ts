/**
 * The shared side of several bot processes, started in this (the test's or bench's) process:
 * Azurite (the shared request store), the Entra emulator over HTTPS (optionally with latency) and
 * the relay over a fixture folder, whose delta sync is the simulated one over the emulator's state
 * (with a delay per lookup when asked). Bot processes are children (test/support/bot-process.ts)
 * configured by environment; `spawnBot` answers once one prints its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRelayConfig } from '../../src/config/load-relay-config.ts';
import type { OnPremUser } from '../../src/domain/onprem-user.ts';
import { startEmulator, type RunningEmulator, type SeedInput } from '../../src/sandbox/emulator/index.ts';
import { createLogger, type Logger } from '../../src/logging/logger.ts';
import { createFixtureDirectory } from '../../src/sandbox/fixture-directory.ts';
import { startFixtureRelay } from '../../src/sandbox/fixture-relay.ts';
import type { SyncTrigger } from '../../src/ports/sync-trigger.ts';
import { listFixtureUsers } from '../../src/sandbox/fixture-users.ts';
import { preciseDelay } from '../../src/sandbox/emulator/precise-delay.ts';
import { createSimulatedSync, syncResultOf } from '../../src/sandbox/sync-simulator/index.ts';
import { withLookupDelay, type DelayedDirectory } from '../../bench/support/delayed-directory.ts';
import { startAzurite, type RunningAzurite } from './azurite.ts';
import type { WriteQuotaLimit } from '../../src/sandbox/emulator/write-quota.ts';

const BOT_ENTRY = fileURLToPath(new URL('./bot-process.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface MultiBotOptions {
  seed: SeedInput;
  fixturesDir: string;
  /** Sync scope of the simulated delta sync; default everything. */
  inScope?: (user: OnPremUser) => boolean;
  graphLatencyMs?: number;
  relayLatencyMs?: number;
  /** Default a fresh Azurite (`azure-tables:`); a `sqlite:<file>` URL instead shares one file. */
  storeUrl?: string;
  /** The emulator's logger (the bench records its request timeline); default silent. */
  emulatorLogger?: Logger;
  /** Fraction of Graph requests the emulator answers 429 (Retry-After: 1); default 0. */
  throttleRate?: number;
  /** The emulator's write quota per app and tenant; default Graph's (3,000 per 150 s), null off. */
  writeQuota?: WriteQuotaLimit | null;
  /** Azurite serves queues too, and the bots queue bulk work items there (QUEUE_URL=azure-queues:); default the store. */
  queues?: boolean;
}

export interface BotChild {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the child printed on stdout so far. */
  stdout(): string;
  /** Resolves with the exit signal or code. */
  exited: Promise<NodeJS.Signals | number | null>;
  stop(): Promise<void>;
}

export interface MultiBotStack {
  emulator: RunningEmulator;
  storeUrl: string;
  relayUrl: string;
  directory: DelayedDirectory;
  /**
   * Each simulated delta sync run so far: when it started and how long it took (ms since the
   * epoch, ms). It runs in this process beside the emulator, which answers nothing meanwhile.
   */
  syncRuns(): { at: number; ms: number }[];
  /** Stops the relay and starts it again on the same port (an agent restart). */
  restartRelay(downMs?: number): Promise<void>;
  /** The emulator's CA certificate file the bots trust. */
  caFile: string;
  /** Starts a bot process; `env` adds to (or overrides) the shared configuration. */
  spawnBot(env?: Record<string, string>): Promise<BotChild>;
  close(): Promise<void>;
}

export async function startMultiBotStack(options: MultiBotOptions): Promise<MultiBotStack> {
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const stop of closers.reverse()) await stop().catch(() => undefined);
  };
  try {
    let azurite: RunningAzurite | undefined;
    if (!options.storeUrl) {
      azurite = await startAzurite({ queues: options.queues ?? false });
      closers.push(() => azurite?.stop() ?? Promise.resolve());
    }
    const storeUrl = options.storeUrl ?? `azure-tables:${azurite?.connectionString ?? ''}`;
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const emulator = await startEmulator({
      seed: options.seed,
      https: true,
      port: 0,
      host: '127.0.0.1',
      latencyMs: options.graphLatencyMs ?? 0,
      throttleRate: options.throttleRate ?? 0,
      ...(options.writeQuota !== undefined ? { writeQuota: options.writeQuota } : {}),
      logger: options.emulatorLogger ?? logger,
    });
    closers.push(() => emulator.close());
    const caDir = await mkdtemp(join(tmpdir(), 'hardmatch-ca-'));
    const caFile = join(caDir, 'emulator-ca.pem');
    await writeFile(caFile, emulator.caCertificate ?? '');
    // The stack's AD never changes while it runs: its fixtures are read once, at the first sync (as
    // Entra Connect keeps its connector space), not again on every delta sync.
    let adUsers: ReturnType<typeof listFixtureUsers> | undefined;
    const listUsers = (): ReturnType<typeof listFixtureUsers> => (adUsers ??= listFixtureUsers({ dir: options.fixturesDir }));
    const simulated = createSimulatedSync({ state: emulator.state, listUsers, inScope: options.inScope ?? (() => true) });
    const syncRuns: { at: number; ms: number }[] = [];
    const syncTrigger: SyncTrigger = {
      async triggerSync() {
        // The relay's latency applies to its sync call as to its look-ups.
        if (options.relayLatencyMs) await preciseDelay(options.relayLatencyMs);
        const at = Date.now();
        const report = await simulated.runDelta();
        syncRuns.push({ at, ms: Date.now() - at });
        return syncResultOf(report);
      },
    };
    const key = randomBytes(32).toString('base64url');
    const relayConfig = loadRelayConfig({
      RELAY_KEY: key,
      RELAY_FIXTURES: options.fixturesDir,
      RELAY_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    const directory = withLookupDelay(
      createFixtureDirectory(options.fixturesDir, { sourceAnchor: relayConfig.sourceAnchor }),
      options.relayLatencyMs ?? 0,
    );
    let relay = await startFixtureRelay({ ...relayConfig, port: 0 }, { logger, directory, syncTrigger });
    closers.push(() => relay.close());
    const relayPort = Number(new URL(relay.url).port);
    const restartRelay = async (downMs = 0): Promise<void> => {
      await relay.close();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      relay = await startFixtureRelay({ ...relayConfig, port: relayPort }, { logger, directory, syncTrigger });
    };
    const bots: BotChild[] = [];
    closers.push(async () => {
      for (const bot of bots) await bot.stop();
    });
    const shared: Record<string, string> = {
      GRAPH_BASE_URL: emulator.url,
      GRAPH_CA_FILE: caFile,
      RELAY_URL: relay.url,
      RELAY_KEY: key,
      STORE_URL: storeUrl,
      ...(options.queues && azurite ? { QUEUE_URL: `azure-queues:${azurite.connectionString}` } : {}),
      SERVED_TENANT_ID: emulator.state.tenant.id,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    };
    const spawnBot = async (env: Record<string, string> = {}): Promise<BotChild> => {
      const bot = await startBotChild({ ...shared, ...env });
      bots.push(bot);
      return bot;
    };
    return {
      emulator,
      storeUrl,
      relayUrl: relay.url,
      directory,
      syncRuns: () => syncRuns.map((r) => ({ ...r })),
      restartRelay,
      caFile,
      spawnBot,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function startBotChild(env: Record<string, string>): Promise<BotChild> {
  // The bot runs anonymous (like the sandbox): no bot identity from the parent's environment.
  const inherited: Record<string, string | undefined> = { ...process.env };
  for (const name of ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'CRASH_AT_BOUNDARY'])
    delete inherited[name];
  const child = spawn(process.execPath, [BOT_ENTRY], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    if (process.env.TEST_LOG_LEVEL) process.stderr.write(chunk);
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot process did not start within ${START_TIMEOUT_MS} ms: ${err}`)), START_TIMEOUT_MS);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`bot process exited (${String(how)}) before it listened: ${err}`));
    });
    const onData = (): void => {
      const url = /BOT_URL (\S+)/.exec(out)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        url,
        pid: child.pid ?? 0,
        child,
        stdout: () => out,
        exited,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timeout = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timeout);
        },
      });
    };
    child.stdout.on('data', onData);
  });
}
