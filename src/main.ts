/**
 * Production entry point (`npm run bot`): configuration from the environment (and `.env`), the
 * relay client when RELAY_URL is set, the cloud directory (Microsoft Graph, always configured in
 * production: DefaultAzureCredential finds the managed identity or the AZURE_* variables), the bot
 * behind restify. The sandbox is `npm start`.
 */
import { DefaultAzureCredential } from '@azure/identity';
import dotenv from 'dotenv';
import { createBot } from './bot/create-bot.ts';
import { createCloudDirectory } from './cloud-directory/index.ts';
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
  if (!relay) logger.warn('RELAY_URL is not set: `guid` converts GUIDs and ImmutableIDs but cannot look users up by name, and `match` cannot run');
  // The credential is only used at the first Graph call; a missing identity shows as CLOUD_AUTH_FAILED on the card.
  const cloud = createCloudDirectory({
    graphBaseUrl: config.graphBaseUrl,
    graphTimeoutMs: config.graphTimeoutMs,
    credential: new DefaultAzureCredential(),
    logger,
  });
  const bot = createBot({ sandbox: false, logger, cloud, ...(relay ? { relay } : {}) });
  const server = createServer({ config, logger, bot, version: BOT_VERSION });
  const url = await server.listen(config.port, config.host);
  logger.info(
    { url, version: BOT_VERSION, relay: config.relay?.url ?? null, graph: config.graphBaseUrl, tenantId: config.tenantId ?? null },
    'hardmatch bot listening',
  );
  onShutdown(
    () => server.close(),
    (message, err) => (err ? logger.error({ err }, message) : logger.info(message)),
  );
}

main().catch(exitOnStartupError);
