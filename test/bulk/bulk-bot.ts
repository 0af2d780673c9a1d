/**
 * A bot with scans wired, for tests through /api/messages: the sandbox configuration and wrapping
 * (anonymous Bot Framework requests, the SANDBOX frame), an in-memory store, two admins and one non-admin, the fake snapshot
 * reads over a bulk world, and Teams stand-ins posting to the bot and recording what it sends.
 */
import { staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { composeBot, type ComposedBot } from '../../src/compose-bot.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { sandboxBotOptions } from '../../src/sandbox/sandbox-options.ts';
import type { OnPremSnapshotSource } from '../../src/ports/snapshot.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { teamsClient, type Person } from '../support/teams-client.ts';
import { fakeCloudSnapshot, type BulkWorld } from '../support/bulk-directory.ts';

export const TENANT = '11111111-2222-4333-8444-555555555555';
export const ADMIN: Person = { aadObjectId: '00000000-0000-4000-8000-0000000000a1', name: 'Adele Admin' };
export const SECOND: Person = { aadObjectId: '00000000-0000-4000-8000-0000000000a2', name: 'Ben Approver' };
export const VIEWER: Person = { aadObjectId: '00000000-0000-4000-8000-0000000000b1', name: 'Nina Nonadmin' };

export interface BulkBot {
  bot: ComposedBot;
  connector: RecordingConnector;
  client(person: Person, conversation?: { id: string; type?: 'personal' | 'groupChat' | 'channel' }): ReturnType<typeof teamsClient>;
  close(): Promise<void>;
}

export async function startBulkBot(
  world: BulkWorld,
  onPrem: OnPremSnapshotSource,
  options: { answerWithinMs?: number; fetch?: typeof fetch; execute?: boolean } = {},
): Promise<BulkBot> {
  const connector = await startRecordingConnector();
  const config = loadConfig(
    {
      PORT: '0',
      STORE_URL: 'sqlite::memory:',
      ADMIN_IDS: `${ADMIN.aadObjectId},${SECOND.aadObjectId}`,
      MicrosoftAppTenantId: TENANT,
      GRAPH_BASE_URL: 'https://127.0.0.1:1',
      // Nothing answers there: each Graph call gives up after 1 s (a bulk user is tried again until poisoned).
      GRAPH_TIMEOUT_MS: '1000',
    },
    { sandbox: true },
  );
  const bot = await composeBot({
    config,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    credential: staticTokenCredential('test'),
    ...sandboxBotOptions(),
    scanSources: { onPrem, cloud: fakeCloudSnapshot(world.cloud), tenantFacts: () => Promise.resolve(world.tenant) },
    bulk: { answerWithinMs: options.answerWithinMs ?? 2_000, progressIntervalMs: 0, ...(options.fetch ? { fetch: options.fetch } : {}) },
    bulkExecution: { wavePollMs: 20, consumer: { pollMs: 20, retrySeconds: 0 } },
  });
  return {
    bot,
    connector,
    client: (person, conversation) =>
      teamsClient({ botUrl: bot.url, connector, tenantId: TENANT, person, ...(conversation ? { conversation } : {}) }),
    async close() {
      await bot.close();
      await connector.close();
    },
  };
}
