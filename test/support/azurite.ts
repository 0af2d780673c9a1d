/**
 * Azurite's Table service (and, asked for, its Queue service) for tests: each started on a free
 * port as a child process (in memory, no telemetry), stopped by its PID. Several stores or bot processes given the same connection string
 * share one emulated account, as bot instances share one storage account in Azure.
 * Plain functions (no vitest), so a test, a benchmark or a bot process can use them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Azurite's published development account (docs: "Azurite: well-known storage account and key"). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const MAIN = fileURLToPath(new URL('../../node_modules/azurite/dist/src/table/main.js', import.meta.url));
const QUEUE_MAIN = fileURLToPath(new URL('../../node_modules/azurite/dist/src/queue/main.js', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface RunningAzurite {
  /**
   * An account-key connection string for `azure-tables:` (TableEndpoint http://127.0.0.1:<port>/devstoreaccount1),
   * and for `azure-queues:` too when started with queues (QueueEndpoint).
   */
  connectionString: string;
  port: number;
  /** The Queue service's port, when started with queues. */
  queuePort?: number;
  pid: number;
  /** Kills this Azurite by its PID and removes its folder. */
  stop(): Promise<void>;
}

export function devConnectionString(port: number, queuePort?: number): string {
  const queue = queuePort ? `QueueEndpoint=http://127.0.0.1:${queuePort}/${DEV_ACCOUNT};` : '';
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};${queue}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitForPort(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`azurite exited with ${child.exitCode}:\n${output()}`);
    if (await answers(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`azurite did not listen on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = exited(child);
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}

/** One Azurite service (`table` or `queue`) on a free port in `dir`, once it answers. */
async function startService(dir: string, service: 'table' | 'queue'): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  // process.execPath: Azurite needs Node 22+, which is what runs the tests (the `node` devDependency).
  const args = [
    service === 'table' ? MAIN : QUEUE_MAIN,
    '--inMemoryPersistence',
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--silent',
  ];
  args.push(`--${service}Host`, '127.0.0.1', `--${service}Port`, String(port));
  // In its own folder: Azurite may still write a debug or extent file into its working directory.
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitForPort(child, port, () => output);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { child, port };
}

/** Starts Azurite's Table service (and with `queues`, its Queue service) on free ports and waits until they answer. */
export async function startAzurite(options: { queues?: boolean } = {}): Promise<RunningAzurite> {
  const dir = await mkdtemp(join(tmpdir(), 'hardmatch-azurite-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(stopChild));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const table = await startService(dir, 'table');
    children.push(table.child);
    const queue = options.queues ? await startService(dir, 'queue') : undefined;
    if (queue) children.push(queue.child);
    return {
      connectionString: devConnectionString(table.port, queue?.port),
      port: table.port,
      ...(queue ? { queuePort: queue.port } : {}),
      pid: table.child.pid ?? 0,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
