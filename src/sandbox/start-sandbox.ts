/**
 * The sandbox as one unit: relay over fixtures (or the admin's relay), the bot in sandbox mode
 * pointed at it, and optionally the Agents Playground pointed at the bot. Used by `npm start` and
 * by the end-to-end test, so both run exactly the same wiring.
 */
import { createBot } from '../bot/create-bot.ts';
import { loadConfig } from '../config/load-config.ts';
import type { Env } from '../config/parse-env.ts';
import type { Logger } from '../logging/logger.ts';
import { createRelayClient } from '../relay-client/relay-client.ts';
import { createServer } from '../transport/create-server.ts';
import { BOT_VERSION } from '../transport/version.ts';
import { startPlayground, type RunningPlayground } from './playground.ts';
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
  playgroundUrl?: string;
  /** Set when the Playground was wanted but did not start; the bot keeps running. */
  playgroundError?: string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { logger } = options;
  const env = withoutBotIdentity(options.env, logger);
  const relay = await startSandboxRelay(env, logger);
  const closers: (() => Promise<void>)[] = relay ? [() => relay.close()] : [];
  // Stop in reverse order of start (Playground, bot, relay), each even if an earlier one failed.
  const closeAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (const close of [...closers].reverse()) await close().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw new AggregateError(failures, 'some sandbox parts did not stop cleanly');
  };
  try {
    const config = loadConfig(relay ? { ...env, RELAY_URL: relay.url, RELAY_KEY: relay.key } : env, { sandbox: true });
    const relayClient = config.relay ? createRelayClient(config.relay, { logger: logger.child({ part: 'relay-client' }) }) : undefined;
    const bot = createBot({ sandbox: true, logger, ...(relayClient ? { relay: relayClient } : {}) });
    const server = createServer({ config, logger: logger.child({ part: 'bot' }), bot, version: BOT_VERSION });
    const botUrl = await server.listen(options.botPort ?? config.port);
    closers.push(() => server.close());
    const running: RunningSandbox = { botUrl, relayUrl: config.relay?.url ?? '(none)', relayExternal: !relay, close: closeAll };
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
