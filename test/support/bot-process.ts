/**
 * One bot process for the multi-instance tests and the approval-race bench: composed like
 * production and the sandbox (src/compose-bot.ts), in sandbox mode (the sandbox's wrapping:
 * anonymous bot auth, the SANDBOX frame; 127.0.0.1),
 * over the Graph, relay and store the environment names.
 * Environment: GRAPH_BASE_URL, GRAPH_CA_FILE (the emulator's certificate, trusted in this process
 * only), RELAY_URL/RELAY_KEY, STORE_URL, ADMIN_IDS, REQUIRED_APPROVALS, SERVED_TENANT_ID,
 * ENGINE_LEASE_MS, ENGINE_POLL_MS; CRASH_AT_BOUNDARY=N (tests only) kills this process with
 * SIGKILL at the engine's N-th step boundary (1-based). Prints `BOT_URL <url>` on stdout.
 */
import { readFileSync } from 'node:fs';
import { staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { composeBot } from '../../src/compose-bot.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { trustCertificateInProcess } from '../../src/sandbox/emulator/index.ts';
import type { BoundaryPhase } from '../../src/execution/engine.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { sandboxBotOptions } from '../../src/sandbox/sandbox-options.ts';

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
  const onBoundary = crashHook(Number(env.CRASH_AT_BOUNDARY ?? 0));
  const bot = await composeBot({
    config: { ...config, tenantId: env.SERVED_TENANT_ID ?? '' },
    logger,
    credential: staticTokenCredential('hardmatch-test'),
    engine: {
      leaseMs: Number(env.ENGINE_LEASE_MS ?? 1500),
      pollIntervalMs: Number(env.ENGINE_POLL_MS ?? 25),
      syncBusyRetryMs: 50,
      ...(onBoundary ? { onBoundary } : {}),
    },
    ...sandboxBotOptions(),
  });
  process.stdout.write(`BOT_URL ${bot.url} RESUMED ${await bot.resumed}\n`);
  process.once('SIGTERM', () => {
    void bot.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bot process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
