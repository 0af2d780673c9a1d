/** Shared test helpers for the relay agent and client: fixture dirs, signed requests, captured logs. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RelayAgentConfig } from '../../../src/config/load-relay-config.ts';
import { createLogger, type Logger } from '../../../src/logging/logger.ts';
import type { SyncTrigger, SyncTriggerResult } from '../../../src/ports/sync-trigger.ts';
import { signRequest } from '../../../src/relay/protocol/signing.ts';

export const SANDBOX_FIXTURES = fileURLToPath(new URL('../../../src/sandbox/fixtures/directory', import.meta.url));

/** 44 characters, like a key from a password generator; distinctive so leaks are easy to find. */
export const KEY = 'tK9vQ2mX7pL4wR8nB3cZ6yH1jD5fG0sA-relay-key!';

export interface CapturedLog {
  logger: Logger;
  /** Every line written so far. */
  text(): string;
  entries(): Record<string, unknown>[];
}

export function captureLogger(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (s: string) => void lines.push(s) } });
  return {
    logger,
    text: () => lines.join(''),
    entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export function silentLogger(): Logger {
  return createLogger({ level: 'silent' });
}

export function writeFixtureDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hardmatch-fixtures-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

let guidCounter = 0;

/** A valid fixture user; each call gets a fresh objectGuid. */
export function fixtureUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  guidCounter += 1;
  const n = guidCounter.toString(16).padStart(12, '0');
  return {
    dn: `CN=User ${guidCounter},OU=Test,DC=contoso,DC=com`,
    samAccountName: `user${guidCounter}`,
    userPrincipalName: `user${guidCounter}@contoso.com`,
    mail: `user${guidCounter}@contoso.com`,
    proxyAddresses: [`SMTP:user${guidCounter}@contoso.com`],
    displayName: `User ${guidCounter}`,
    enabled: true,
    objectGuid: `11111111-2222-4333-8444-${n}`,
    consistencyGuid: null,
    whenChanged: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function relayConfig(overrides: Partial<RelayAgentConfig> = {}): RelayAgentConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    key: KEY,
    fixturesDir: SANDBOX_FIXTURES,
    syncCommand: 'true',
    sourceAnchor: 'auto',
    logLevel: 'silent',
    ...overrides,
  };
}

export interface SignedFetchOptions {
  method?: 'GET' | 'POST' | 'PUT';
  /** Path signed; also sent unless `sendPath` differs. */
  path: string;
  body?: string;
  key?: string;
  now?: number;
  nonce?: string;
  /** Send something other than what was signed (tampering). */
  sendPath?: string;
  sendBody?: string;
  /** Leave the signature headers off. */
  unsigned?: boolean;
}

export async function signedFetch(baseUrl: string, o: SignedFetchOptions): Promise<{ status: number; headers: Headers; json: unknown }> {
  const method = o.method ?? 'POST';
  const body = o.body ?? '';
  const signed = signRequest(
    o.key ?? KEY,
    { method, path: o.path, body },
    o.now ?? Date.now(),
    o.nonce ?? randomBytes(16).toString('base64url'),
  );
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(o.unsigned ? {} : signed) };
  const sendBody = o.sendBody ?? body;
  const res = await fetch(`${baseUrl}${o.sendPath ?? o.path}`, {
    method,
    headers,
    ...(method === 'GET' ? {} : { body: sendBody }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) };
}

/**
 * A SYNC_COMMAND that runs `script` (JavaScript) with this Node: a tiny stand-in for PowerShell's
 * Start-ADSyncSyncCycle. Extra `args` follow the script on the command line.
 */
export function syncCommand(script: string, ...args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hardmatch-sync-'));
  const file = join(dir, 'fake-sync.mjs');
  writeFileSync(file, script);
  return [process.execPath, file, ...args].map((word) => `"${word}"`).join(' ');
}

export interface ControlledSync extends SyncTrigger {
  /** How many runs have started. */
  readonly started: number;
  /** Ends the oldest unfinished run with this result (or error). */
  finish(result: SyncTriggerResult | Error): void;
}

/** A sync trigger whose runs end only when the test says so (to hold one "running"). */
export function controlledSync(): ControlledSync {
  const pending: { resolve(r: SyncTriggerResult): void; reject(e: Error): void }[] = [];
  let started = 0;
  return {
    get started() {
      return started;
    },
    triggerSync() {
      started += 1;
      return new Promise<SyncTriggerResult>((resolve, reject) => pending.push({ resolve, reject }));
    },
    finish(result) {
      const next = pending.shift();
      if (!next) throw new Error('no sync run is waiting');
      if (result instanceof Error) next.reject(result);
      else next.resolve(result);
    },
  };
}

/** `Directory.users` for fakes that are never scanned: no pages at all. */
export function noPages(): AsyncIterable<never> {
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) };
}
