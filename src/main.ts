/**
 * Production entry point (`npm run bot`): configuration from the environment (and `.env`), and
 * the bot composed over it (src/compose-bot.ts) with DefaultAzureCredential, which finds the
 * managed identity or the AZURE_* variables, for Graph and for an Azure Table store. The sandbox
 * is `npm start`.
 */
import { DefaultAzureCredential } from '@azure/identity';
import dotenv from 'dotenv';
import { composeBot } from './compose-bot.ts';
import { loadConfig } from './config/load-config.ts';
import { createLogger } from './logging/logger.ts';
import { exitOnStartupError, onShutdown } from './transport/process-lifecycle.ts';
import { BOT_VERSION } from './transport/version.ts';

async function main(): Promise<void> {
  // `.env` fills in only what the real environment leaves unset.
  dotenv.config({ quiet: true });
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, name: 'hardmatch-bot' });
  const credential = new DefaultAzureCredential();
  const bot = await composeBot({ config, logger, credential, storeCredential: credential });
  logger.info(
    {
      url: bot.url,
      version: BOT_VERSION,
      relay: config.relay?.url ?? null,
      graph: config.graphBaseUrl,
      tenantId: config.tenantId ?? null,
      store: config.storeUrl.split(':')[0],
    },
    'hardmatch bot listening',
  );
  onShutdown(
    () => bot.close(),
    (message, err) => (err ? logger.error({ err }, message) : logger.info(message)),
  );
}

main().catch(exitOnStartupError);
