/**
 * Composition of the relay agent: directory, sync trigger, nonce store, handler, the local HTTP(S)
 * listener and, when configured, the Azure Relay hybrid connection. Used by `hardmatch-relay serve`, the sandbox
 * and tests (port 0 picks a free port).
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RelayAgentConfig } from '../../config/load-relay-config.ts';
import { ConfigError, DirectoryError } from '../../errors/index.ts';
import { createLogger, type Logger } from '../../logging/logger.ts';
import type { SyncTrigger } from '../../ports/sync-trigger.ts';
import { createMemoryNonceStore } from '../protocol/signing.ts';
import { createDirectory, type OpenFixtures } from './create-directory.ts';
import type { Directory } from './directory.ts';
import { listenOnHybridConnection, type HycoModule } from './hybrid-connection.ts';
import { createRelayHandler, type RelayHandler } from './server.ts';
import { createCommandSyncTrigger } from './sync-command.ts';
import { createSchedulerCheck, withPreflight } from './sync-preflight.ts';
import { readRelayVersion } from './version.ts';

/** A request must arrive whole within this time; a client trickling bytes holds nothing longer. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface StartRelayDeps {
  logger?: Logger;
  /** Clock for signature checks, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Default: built from config (fixtures or LDAP). An injected directory is closed with the relay. */
  directory?: Directory;
  /** With RELAY_FIXTURES: opens the fixture directory (the sandbox injects it; the shipped relay has none). */
  openFixtures?: OpenFixtures;
  /** Default: the real hyco-https, loaded only when config.azureRelay is set. */
  hyco?: HycoModule;
  /** Runs POST /v1/sync. Default: SYNC_COMMAND through execFile (`sync-command.ts`); the sandbox injects its simulator. */
  syncTrigger?: SyncTrigger;
}

export interface RunningRelay {
  /** Local URL, e.g. http://127.0.0.1:7443. */
  url: string;
  port: number;
  close(): Promise<void>;
}

async function readTlsFile(variable: string, file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new ConfigError([`${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
}

async function createServer(config: RelayAgentConfig, handler: RelayHandler): Promise<http.Server> {
  if (!config.tls) return http.createServer(handler);
  const cert = await readTlsFile('RELAY_TLS_CERT_FILE', config.tls.certFile);
  const key = await readTlsFile('RELAY_TLS_KEY_FILE', config.tls.keyFile);
  return https.createServer({ cert, key }, handler);
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const where = `${host}:${port}`;
      if (err.code === 'EADDRINUSE') reject(new ConfigError([`RELAY_PORT: ${where} is already in use by another program`]));
      else if (err.code === 'EACCES')
        reject(new ConfigError([`RELAY_PORT: not allowed to listen on ${where} (ports below 1024 need privileges)`]));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
        reject(new ConfigError([`RELAY_HOST: ${host} is not an address of this machine`]));
      else reject(err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive connections would otherwise hold close() open for seconds.
    server.closeIdleConnections();
  });
}

/** Logged, not thrown: the relay keeps serving (health reports the problem) while AD is fixed. */
async function logDirectoryCheck(directory: Directory, logger: Logger): Promise<void> {
  try {
    await directory.check();
    logger.info({ directory: directory.kind }, 'directory check passed');
  } catch (err) {
    if (err instanceof DirectoryError) {
      logger.warn(
        { directory: directory.kind, code: err.code, problem: err.message },
        'directory check failed; run `hardmatch-relay check`',
      );
    } else {
      logger.error({ directory: directory.kind, err }, 'directory check failed unexpectedly');
    }
  }
}

function localUrl(config: RelayAgentConfig, port: number): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${port}`;
}

/** SYNC_COMMAND, behind the Get-ADSyncScheduler check when SYNC_STATUS_COMMAND is set. */
function commandTrigger(config: RelayAgentConfig, logger: Logger): SyncTrigger {
  const trigger = createCommandSyncTrigger({ command: config.syncCommand, logger });
  return config.syncStatusCommand
    ? withPreflight(trigger, createSchedulerCheck({ command: config.syncStatusCommand, logger }), logger)
    : trigger;
}

export async function startRelay(config: RelayAgentConfig, deps: StartRelayDeps = {}): Promise<RunningRelay> {
  const logger = deps.logger ?? createLogger({ level: config.logLevel, name: 'hardmatch-relay' });
  // Before the directory: a malformed SYNC_COMMAND stops start-up with nothing to release.
  const syncTrigger = deps.syncTrigger ?? commandTrigger(config, logger);
  const directory =
    deps.directory ?? (await createDirectory(config, { logger, ...(deps.openFixtures ? { openFixtures: deps.openFixtures } : {}) }));
  const handler = createRelayHandler({
    directory,
    key: config.key,
    now: deps.now ?? Date.now,
    nonces: createMemoryNonceStore(),
    logger,
    sourceAnchor: config.sourceAnchor,
    version: readRelayVersion(),
    syncTrigger,
  });
  let server: http.Server | undefined;
  try {
    server = await createServer(config, handler);
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    const port = await listen(server, config.port, config.host);
    const hybrid = config.azureRelay
      ? await listenOnHybridConnection({ azureRelay: config.azureRelay, handler, logger, ...(deps.hyco ? { hyco: deps.hyco } : {}) })
      : undefined;
    const url = localUrl(config, port);
    logger.info({ url, directory: directory.kind, azureRelay: config.azureRelay?.url ?? null }, 'hardmatch-relay listening');
    await logDirectoryCheck(directory, logger);
    const listening = server;
    return {
      url,
      port,
      async close() {
        await hybrid?.close();
        await closeServer(listening);
        await directory.close();
      },
    };
  } catch (err) {
    // Half-started: release what was opened so a caller (or a test) can simply try again.
    if (server?.listening) await closeServer(server);
    await directory.close();
    throw err;
  }
}
