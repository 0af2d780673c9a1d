/**
 * One bot process for the multi-instance tests and the approval-race bench: wired exactly like the
 * sandbox (anonymous bot auth, 127.0.0.1) over the Graph, relay and store the environment names.
 * Environment: GRAPH_BASE_URL, GRAPH_CA_FILE (the emulator's certificate, trusted in this process
 * only), RELAY_URL/RELAY_KEY, STORE_URL, ADMIN_IDS, REQUIRED_APPROVALS, SERVED_TENANT_ID,
 * ENGINE_LEASE_MS, ENGINE_POLL_MS; CRASH_AT_BOUNDARY=N (tests only) kills this process with
 * SIGKILL at the engine's N-th step boundary (1-based). Prints `BOT_URL <url>` on stdout.
 */
import { readFileSync } from 'node:fs';
import { createBot } from '../../src/bot/create-bot.ts';
import { createMessenger } from '../../src/bot/teams/messenger.ts';
import { wireApprovals } from '../../src/bot/wire-approvals.ts';
import { createCloudDirectory, staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { trustCertificateInProcess } from '../../src/emulator/index.ts';
import type { BoundaryPhase } from '../../src/execution/engine.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createRelayClient } from '../../src/relay-client/relay-client.ts';
import { openStore } from '../../src/store/index.ts';
import { createAdapter, createServer } from '../../src/transport/create-server.ts';
import { BOT_VERSION } from '../../src/transport/version.ts';

/** Each boundary the engine reached in this process, in order (the crash test counts them). */
function crashHook(crashAt: number): ((requestId: string, step: number, phase: BoundaryPhase) => void) | undefined {
  if (!Number.isInteger(crashAt) || crashAt <= 0) return undefined;
  let seen = 0;
  return (_requestId, step, phase) => {
    seen += 1;
    process.stdout.write(`BOUNDARY ${seen} ${step} ${phase}\n`);
    if (seen === crashAt) process.kill(process.pid, 'SIGKILL');
  };
}

async function main(): Promise<void> {
  const env = process.env;
  if (env.GRAPH_CA_FILE) trustCertificateInProcess(readFileSync(env.GRAPH_CA_FILE, 'utf8'));
  const config = loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' }, { sandbox: true });
  const logger = createLogger({ level: env.LOG_LEVEL ?? 'warn', name: `bot-${process.pid}` });
  const tenantId = env.SERVED_TENANT_ID ?? '';
  const relay = config.relay ? createRelayClient(config.relay, { logger }) : undefined;
  const cloud = createCloudDirectory({ graphBaseUrl: config.graphBaseUrl, graphTimeoutMs: config.graphTimeoutMs, credential: staticTokenCredential('hardmatch-test'), logger });
  const store = await openStore(config.storeUrl);
  const serverConfig = { ...config, tenantId };
  const adapter = createAdapter({ config: serverConfig, logger });
  const onBoundary = crashHook(Number(env.CRASH_AT_BOUNDARY ?? 0));
  const leaseMs = Number(env.ENGINE_LEASE_MS ?? 1500);
  const pollIntervalMs = Number(env.ENGINE_POLL_MS ?? 25);
  const approvals = wireApprovals({
    sandbox: true,
    logger,
    approval: config.approval,
    tenantId,
    store,
    cloud,
    ...(relay ? { relay } : {}),
    messenger: createMessenger(adapter, ''),
    engine: { leaseMs, pollIntervalMs, syncBusyRetryMs: 50, ...(onBoundary ? { onBoundary } : {}) },
  });
  const bot = createBot({ sandbox: true, logger, cloud, approvals, ...(relay ? { relay } : {}) });
  const server = createServer({ config: serverConfig, logger, bot, version: BOT_VERSION, adapter });
  const url = await server.listen(0, '127.0.0.1');
  const resumed = await approvals.resumeAbandoned();
  process.stdout.write(`BOT_URL ${url} RESUMED ${resumed}\n`);
  approvals.startSweeper(leaseMs);
  const stop = async () => {
    await server.close();
    await approvals.idle();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`bot process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
