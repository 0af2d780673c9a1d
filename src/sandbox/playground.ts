/**
 * The Microsoft 365 Agents Playground (a Teams-like web chat) as a child process pointed at the
 * bot. It runs in its own process group so stopping it also stops anything it started, and only
 * what it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Env } from '../config/parse-env.ts';
import type { Logger } from '../logging/logger.ts';

export const PLAYGROUND_PORT = 56150;
const PLAYGROUND_BIN = fileURLToPath(new URL('../../node_modules/.bin/agentsplayground', import.meta.url));

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://localhost:3978/api/messages. */
  botEndpoint: string;
  logger: Logger;
  /** Environment for the child (TEAMSAPPTESTER_BROWSER=none is added so it opens no browser). */
  env: Env;
  /** Default 56150. The Playground moves to a random port when it is busy; we report the real one. */
  port?: number;
  /** How long to wait for it to answer. Default 60 s (first start unpacks its web client). */
  timeoutMs?: number;
  /** The Playground's CLI script. Default node_modules/.bin/agentsplayground (tests swap it). */
  bin?: string;
  /** Its configuration file (current user, tenant, chats); default its own built-in one. */
  configPath?: string;
}

export interface RunningPlayground {
  url: string;
  stop(): Promise<void>;
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const bin = options.bin ?? PLAYGROUND_BIN;
  if (!existsSync(bin)) {
    throw new Error(`the Agents Playground is not installed (${bin} is missing); run npm install`);
  }
  const port = options.port ?? PLAYGROUND_PORT;
  // Run its script with our own Node (24), not whatever `node` the shebang finds on PATH.
  const child = spawn(
    process.execPath,
    [realpathSync(bin), '-e', options.botEndpoint, '-c', 'msteams', '--disable-telemetry', '-p', String(port)],
    {
      env: {
        ...options.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        ...(options.configPath ? { M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath } : {}),
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const killOnExit = (): void => killGroup(child, 'SIGTERM');
  process.on('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await stopChild(child);
  };
  try {
    const actualPort = await waitUntilListening(child, options.logger, options.timeoutMs ?? 60_000);
    const url = `http://localhost:${actualPort ?? port}`;
    await waitUntilAnswering(url, child, options.timeoutMs ?? 60_000);
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Resolves with the port from its "Listening on <port>" line; rejects if it exits or errors first. */
function waitUntilListening(child: ChildProcess, logger: Logger, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`it did not report a port within ${timeoutMs / 1000} s`)), timeoutMs);
    let lastLines = '';
    const onData = (chunk: Buffer): void => {
      const textChunk = chunk.toString('utf8');
      lastLines = (lastLines + textChunk).slice(-2000);
      for (const line of textChunk.split(/\r?\n/).filter(Boolean)) logger.debug({ part: 'playground' }, line);
      const match = /Listening on (\d+)/.exec(textChunk);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`it exited (${signal ?? `code ${String(code)}`}) before listening: ${lastLines.trim().slice(-500)}`));
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // Not up yet: it prints "Listening" slightly before it serves.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative pid: the process group this child leads (detached: true), i.e. only what we started.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}
