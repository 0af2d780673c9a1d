/**
 * Production entry point (`npm run bot`): configuration from the environment (and `.env`), the
 * relay client when RELAY_URL is set, the bot behind restify. The sandbox is `npm start`.
 */
import dotenv from 'dotenv';
import { createBot } from './bot/create-bot.ts';
import { loadConfig } from './config/load-config.ts';
import { createLogger } from './logging/logger.ts';
import { createRelayClient } from './relay-client/relay-client.ts';
import { createServer } from './transport/create-server.ts';
import { exitOnStartupError, onShutdown } from './transport/process-lifecycle.ts';
import { BOT_VERSION } from './transport/version.ts';

async function main(): Promise<void> {
  // `.env` fills in only what the real environment leaves unset.
  dotenv.config({ quiet: true });
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, name: 'hardmatch-bot' });
  const relay = config.relay ? createRelayClient(config.relay, { logger }) : undefined;
  if (!relay) logger.warn('RELAY_URL is not set: `guid` converts GUIDs and ImmutableIDs but cannot look users up by name');
  const bot = createBot({ sandbox: false, logger, ...(relay ? { relay } : {}) });
  const server = createServer({ config, logger, bot, version: BOT_VERSION });
  const url = await server.listen(config.port);
  logger.info({ url, version: BOT_VERSION, relay: config.relay?.url ?? null, tenantId: config.tenantId ?? null }, 'hardmatch bot listening');
  onShutdown(
    () => server.close(),
    (message, err) => (err ? logger.error({ err }, message) : logger.info(message)),
  );
}

main().catch(exitOnStartupError);
