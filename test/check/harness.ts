/**
 * A real configuration for `hardmatch check` to validate: the Entra emulator over HTTPS (with the
 * application permissions a test grants), a relay agent over HTTP serving the sandbox fixtures, and
 * a sqlite file; the configuration is loaded by the bot's own loadConfig in production mode. The
 * credential hands out an unsigned JWT whose `roles` are the granted permissions, the shape of an
 * Entra app-only token (the emulator, like Graph, does not take the token's word for them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterEach } from 'vitest';
import { runCheck, type CheckDeps } from '../../src/check/run-check.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { Env } from '../../src/config/parse-env.ts';
import { KNOWN_PERMISSIONS } from '../../src/sandbox/emulator/permissions.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/sandbox/emulator/server.ts';
import { trustCertificateInProcess } from '../../src/sandbox/emulator/tls-certificate.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RunningRelay } from '../../src/relay/agent/start-relay.ts';
import { startFixtureRelay } from '../../src/sandbox/fixture-relay.ts';
import { ID, testSeed } from '../sandbox/emulator/graph-harness.ts';
import { KEY, relayConfig } from '../relay/agent/helpers.ts';

export const TENANT_ID = '7b1c2f0e-4a8d-4e55-9d0a-1f6a2b3c4d5e';
export const APP_PASSWORD = 'bot-app-password-that-must-never-show-1234';
/** The bot's permissions, as infra/grant-graph-permissions.sh grants them. */
export const BOT_ROLES = [
  'User.ReadWrite.All',
  'User.DeleteRestore.All',
  'Domain.Read.All',
  'OnPremDirectorySynchronization.Read.All',
  'GroupMember.Read.All',
  'RoleManagement.Read.Directory',
  'User-OnPremisesSyncBehavior.ReadWrite.All',
  'RoleEligibilitySchedule.Read.Directory',
  'AuditLog.Read.All',
];
/** The emulator's group of two users (one directly, one through a nested group), and one with no members. */
export const ADMIN_GROUP = ID.admins;
export const EMPTY_GROUP = ID.sales;

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An Entra-shaped app-only token: header.payload.signature, `roles` = the granted permissions. */
export function appToken(roles: readonly string[], tenantId = TENANT_ID): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    aud: 'https://graph.microsoft.com',
    tid: tenantId,
    appid: '33333333-3333-4333-8333-333333333333',
    iat: now,
    exp: now + 3600,
    ...(roles.length > 0 ? { roles } : {}),
  };
  return `${b64url({ typ: 'JWT', alg: 'RS256' })}.${b64url(payload)}.c2lnbmF0dXJl`;
}

export function tokenCredential(token: string): TokenCredential {
  const accessToken: AccessToken = { token, expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' };
  return { getToken: () => Promise.resolve(accessToken) };
}

export interface CheckRun {
  code: number;
  output: string;
  /** The lines of one section, from its title to the next blank line. */
  section(title: string): string;
}

export interface Stack {
  emulator: RunningEmulator;
  relay: RunningRelay;
  /** The environment of a configuration where everything works. */
  env: Record<string, string>;
  dir: string;
  /** Runs the check on `env` (default this.env) with the given credential (default the full grant). */
  check(options?: { env?: Env; credential?: TokenCredential; sample?: string; timeoutMs?: number }): Promise<CheckRun>;
}

function sectionOf(output: string, title: string): string {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  if (start < 0) throw new Error(`no section "${title}" in:\n${output}`);
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** For a test file: `stack` starts the three services (the relay's clock `relayClockOffsetMs` ahead); all are stopped after each test. */
export function perTestStacks(): (options?: { emulator?: Partial<EmulatorOptions>; relayClockOffsetMs?: number }) => Promise<Stack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (options = {}) => {
    const emulator = await startEmulator({ seed: testSeed(), permissions: KNOWN_PERMISSIONS, ...options.emulator, https: true, port: 0 });
    cleanups.push(() => emulator.close());
    trustCertificateInProcess(emulator.caCertificate ?? '');
    const offset = options.relayClockOffsetMs ?? 0;
    const relay = await startFixtureRelay(relayConfig(), { logger: createLogger({ level: 'silent' }), now: () => Date.now() + offset });
    cleanups.push(() => relay.close());
    const dir = mkdtempSync(join(tmpdir(), 'hardmatch-check-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      MicrosoftAppId: '11111111-1111-4111-8111-111111111111',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppPassword: APP_PASSWORD,
      MicrosoftAppTenantId: TENANT_ID,
      GRAPH_BASE_URL: emulator.url,
      RELAY_URL: relay.url,
      RELAY_KEY: KEY,
      STORE_URL: `sqlite:${join(dir, 'data', 'hardmatch.db')}`,
      ADMIN_GROUP_ID: ADMIN_GROUP,
    };
    const check: Stack['check'] = async (run = {}) => {
      const lines: string[] = [];
      const deps: CheckDeps = {
        write: (line) => void lines.push(line),
        logger: createLogger({ level: 'silent' }),
        credential: run.credential ?? tokenCredential(appToken(BOT_ROLES)),
        ...(run.sample === undefined ? {} : { sample: run.sample }),
        ...(run.timeoutMs === undefined ? {} : { timeoutMs: run.timeoutMs }),
      };
      const code = await runCheck(loadConfig(run.env ?? env), deps);
      const output = lines.join('\n');
      return { code, output, section: (title) => sectionOf(output, title) };
    };
    return { emulator, relay, env, dir, check };
  };
}
