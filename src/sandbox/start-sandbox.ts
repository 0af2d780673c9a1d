/**
 * The sandbox as one unit: the Entra emulator seeded with the scenario catalog (or SANDBOX_TENANT)
 * and the cloud directory over it, the relay over fixtures (or the admin's relay) whose delta sync
 * is the simulated one, the bot in sandbox mode pointed at both, and optionally the Agents
 * Playground pointed at the bot. Used by `npm start` and by the tests, so both run exactly the
 * same wiring.
 */
import { createBot } from '../bot/create-bot.ts';
import { loadConfig } from '../config/load-config.ts';
import type { Env } from '../config/parse-env.ts';
import type { Logger } from '../logging/logger.ts';
import { createRelayClient } from '../relay-client/relay-client.ts';
import { createServer } from '../transport/create-server.ts';
import { isLoopbackHost } from '../transport/loopback.ts';
import { BOT_VERSION } from '../transport/version.ts';
import type { EmulatorState } from '../emulator/index.ts';
import type { SyncRunReport } from '../sync-simulator/index.ts';
import { startPlayground, type RunningPlayground } from './playground.ts';
import { startSandboxCloud } from './sandbox-cloud.ts';
import { startSandboxRelay } from './sandbox-relay.ts';

/** The bot's identity variables: the Playground sends no token, so the sandbox bot runs without them. */
const BOT_IDENTITY = ['MicrosoftAppId', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'MicrosoftAppPassword'] as const;

export interface SandboxOptions {
  env: Env;
  logger: Logger;
  /** Default: PORT (3978). 0 picks a free port. */
  botPort?: number;
  playground: boolean;
  /** Default 56150. */
  playgroundPort?: number;
  /** The Playground's CLI script (tests swap it); default the installed one. */
  playgroundBin?: string;
}

export interface RunningSandbox {
  botUrl: string;
  relayUrl: string;
  relayExternal: boolean;
  /** The Entra emulator's Graph base URL (HTTPS, certificate trusted in this process only). */
  emulatorUrl: string;
  /** The emulated tenant, as the bot's Graph calls see it. */
  emulatorState: EmulatorState;
  /** 'catalog', or the SANDBOX_TENANT file the tenant came from. */
  tenantSource: string;
  /** Run one simulated delta sync now (what the relay's POST /v1/sync runs), over the fixture directory. */
  sync(): Promise<SyncRunReport>;
  playgroundUrl?: string;
  /** Set when the Playground was wanted but did not start; the bot keeps running. */
  playgroundError?: string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { logger } = options;
  const env = withoutBotIdentity(options.env, logger);
  const emulator = await startSandboxCloud(env, logger);
  const closers: (() => Promise<void>)[] = [() => emulator.close()];
  // Stop in reverse order of start (Playground, bot, relay, emulator), each even if an earlier one failed.
  const closeAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (const close of [...closers].reverse()) await close().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw new AggregateError(failures, 'some sandbox parts did not stop cleanly');
  };
  try {
    const relay = await startSandboxRelay(env, logger, emulator.syncTrigger);
    if (relay) closers.push(() => relay.close());
    const config = loadConfig(relay ? { ...env, RELAY_URL: relay.url, RELAY_KEY: relay.key } : env, { sandbox: true });
    const relayClient = config.relay ? createRelayClient(config.relay, { logger: logger.child({ part: 'relay-client' }) }) : undefined;
    const bot = createBot({ sandbox: true, logger, cloud: emulator.cloud, ...(relayClient ? { relay: relayClient } : {}) });
    const server = createServer({ config, logger: logger.child({ part: 'bot' }), bot, version: BOT_VERSION });
    if (config.host && !isLoopbackHost(config.host)) {
      logger.warn({ host: config.host }, 'HOST makes the sandbox bot listen beyond this machine: its endpoint is anonymous, and with RELAY_URL it reads real AD users; anyone who can reach it can use it');
    }
    const botUrl = await server.listen(options.botPort ?? config.port, config.host);
    closers.push(() => server.close());
    const running: RunningSandbox = {
      botUrl,
      relayUrl: config.relay?.url ?? '(none)',
      relayExternal: !relay,
      emulatorUrl: emulator.url,
      emulatorState: emulator.state,
      tenantSource: emulator.tenantSource,
      sync: () => emulator.sync(),
      close: closeAll,
    };
    if (options.playground) {
      const playground = await tryPlayground(`${botUrl}/api/messages`, options, env);
      if ('url' in playground) {
        running.playgroundUrl = playground.url;
        closers.push(() => playground.stop());
      } else {
        running.playgroundError = playground.error;
      }
    }
    return running;
  } catch (err) {
    await closeAll();
    throw err;
  }
}

async function tryPlayground(botEndpoint: string, options: SandboxOptions, env: Env): Promise<RunningPlayground | { error: string }> {
  try {
    return await startPlayground({
      botEndpoint,
      env,
      logger: options.logger,
      ...(options.playgroundPort ? { port: options.playgroundPort } : {}),
      ...(options.playgroundBin ? { bin: options.playgroundBin } : {}),
    });
  } catch (err) {
    options.logger.warn({ err }, 'the Agents Playground did not start; the bot keeps running');
    return { error: `did not start (${err instanceof Error ? err.message : String(err)})` };
  }
}

function withoutBotIdentity(env: Env, logger: Logger): Env {
  const set = BOT_IDENTITY.filter((name) => env[name]);
  if (set.length === 0) return env;
  logger.warn({ ignored: set }, 'the sandbox ignores the bot identity (the Playground sends no token); use `npm run bot` for production');
  const copy: Record<string, string | undefined> = { ...env };
  for (const name of set) delete copy[name];
  return copy;
}
