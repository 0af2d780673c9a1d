/**
 * Production entry point (`npm run bot`): configuration from the environment (and `.env`), the
 * relay client when RELAY_URL is set, the cloud directory (Microsoft Graph, always configured in
 * production: DefaultAzureCredential finds the managed identity or the AZURE_* variables), the
 * request store (STORE_URL), the approval flow and the bot behind restify. The sandbox is `npm start`.
 */
import { DefaultAzureCredential } from '@azure/identity';
import dotenv from 'dotenv';
import { createBot } from './bot/create-bot.ts';
import { createMessenger } from './bot/teams/messenger.ts';
import { wireApprovals } from './bot/wire-approvals.ts';
import { createCloudDirectory } from './cloud-directory/index.ts';
import { loadConfig } from './config/load-config.ts';
import { createLogger } from './logging/logger.ts';
import { createRelayClient } from './relay-client/relay-client.ts';
import { openStore } from './store/index.ts';
import { createAdapter, createServer } from './transport/create-server.ts';
import { exitOnStartupError, onShutdown } from './transport/process-lifecycle.ts';
import { BOT_VERSION } from './transport/version.ts';

async function main(): Promise<void> {
  // `.env` fills in only what the real environment leaves unset.
  dotenv.config({ quiet: true });
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, name: 'hardmatch-bot' });
  const relay = config.relay ? createRelayClient(config.relay, { logger }) : undefined;
  if (!relay) logger.warn('RELAY_URL is not set: `guid` converts GUIDs and ImmutableIDs but cannot look users up by name, and `match` cannot run');
  const credential = new DefaultAzureCredential();
  // The credential is only used at the first Graph call; a missing identity shows as CLOUD_AUTH_FAILED on the card.
  const cloud = createCloudDirectory({ graphBaseUrl: config.graphBaseUrl, graphTimeoutMs: config.graphTimeoutMs, credential, logger });
  const store = await openStore(config.storeUrl, { credential });
  const adapter = createAdapter({ config, logger });
  const approvals = wireApprovals({
    sandbox: false,
    logger,
    approval: config.approval,
    tenantId: config.tenantId ?? '',
    store,
    cloud,
    ...(relay ? { relay } : {}),
    messenger: createMessenger(adapter, config.botAuth.MicrosoftAppId ?? ''),
  });
  if (!approvals.features.admins.configured) {
    logger.warn('Neither ADMIN_GROUP_ID nor ADMIN_IDS is set: `match` works, but nobody can request or approve a fix until one is set');
  }
  const bot = createBot({ sandbox: false, logger, cloud, approvals, ...(relay ? { relay } : {}) });
  const server = createServer({ config, logger, bot, version: BOT_VERSION, adapter });
  const url = await server.listen(config.port, config.host);
  // An execution another instance (or this one, before a restart) left mid-way is finished here.
  void approvals.resumeAbandoned().catch((err: unknown) => logger.error({ err }, 'could not resume abandoned executions'));
  const stopSweeper = approvals.startSweeper();
  logger.info(
    { url, version: BOT_VERSION, relay: config.relay?.url ?? null, graph: config.graphBaseUrl, tenantId: config.tenantId ?? null, store: config.storeUrl.split(':')[0] },
    'hardmatch bot listening',
  );
  onShutdown(
    async () => {
      stopSweeper();
      await server.close();
      await store.close();
    },
    (message, err) => (err ? logger.error({ err }, message) : logger.info(message)),
  );
}

main().catch(exitOnStartupError);
