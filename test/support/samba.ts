/**
 * A real Active Directory for tests and benchmarks: a Samba AD DC provisioned in a temp dir,
 * serving LDAPS on 127.0.0.1:636 with a certificate from a throw-away CA, seeded with the users in
 * `samba-seed.ts`. Plain functions (no vitest) so `bench/` can start one too.
 * Recipe: docs/platform.md. Only one Samba can own ports 389/636, so callers start one and share it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { Client } from 'ldapts';
import type { LdapConfig } from '../../src/config/load-relay-config.ts';
import { readBackUsers, seedUsers, type SambaUser, type SeedUserKey } from './samba-seed.ts';
import { createTestTls, type TestTls } from './samba-tls.ts';

export type { SambaUser, SeedUserKey } from './samba-seed.ts';

const run = promisify(execFile);

export const SAMBA_MISSING_LINE =
  '*** SAMBA NOT INSTALLED: skipping Samba integration tests (apt-get install samba samba-ad-dc samba-ad-provision ldap-utils) ***';

const REALM = 'CONTOSO.TEST';
const BASE_DN = 'DC=contoso,DC=test';
const LDAPS_PORT = 636;
const START_TIMEOUT_MS = 30_000;

/** What tests receive through `inject('samba')`: JSON only, it crosses into worker processes. */
export interface SambaContext {
  ldapUrl: string;
  caFile: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  realm: string;
  users: Record<SeedUserKey, SambaUser>;
}

export interface RunningSamba {
  context: SambaContext;
  pid: number;
  dir: string;
  /** Kills this samba by its PID and removes its directory. */
  stop(): Promise<void>;
}

/** The programs the harness runs that are not on PATH (empty when all are there). */
export function missingSambaTools(): string[] {
  const path = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  return ['samba', 'samba-tool', 'ldapsearch', 'openssl'].filter((tool) => !path.some((p) => existsSync(join(p, tool))));
}

/** An LdapConfig for the test DC; override fields to provoke a failure. */
export function ldapConfigFor(ctx: SambaContext, overrides: Partial<LdapConfig> = {}): LdapConfig {
  return {
    url: ctx.ldapUrl,
    bindDn: ctx.bindDn,
    bindPassword: ctx.bindPassword,
    baseDn: ctx.baseDn,
    caFile: ctx.caFile,
    connectTimeoutMs: 5_000,
    timeoutMs: 10_000,
    ...overrides,
  };
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function provision(dir: string, adminPassword: string): Promise<void> {
  const args = [
    'domain',
    'provision',
    `--realm=${REALM}`,
    '--domain=CONTOSO',
    '--server-role=dc',
    '--dns-backend=NONE',
    `--adminpass=${adminPassword}`,
    `--targetdir=${dir}`,
    '--host-name=dc1',
    '--option=interfaces=lo',
    '--option=bind interfaces only=yes',
    '--option=server services=ldap',
  ];
  try {
    await run('samba-tool', args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`samba-tool domain provision failed: ${stderr.trim().split('\n').slice(-5).join('\n')}`, { cause: err });
  }
}

/** The [global] lines the recipe adds: our own pid dir, logs in the temp dir, our certificate. */
async function configure(dir: string, tls: TestTls): Promise<string> {
  const conf = join(dir, 'etc', 'smb.conf');
  await mkdir(join(dir, 'run'), { recursive: true });
  const extra = [
    `pid directory = ${join(dir, 'run')}`,
    `log file = ${join(dir, 'log.%m')}`,
    'tls enabled = yes',
    `tls keyfile = ${tls.keyFile}`,
    `tls certfile = ${tls.certFile}`,
    `tls cafile = ${tls.caFile}`,
  ];
  const text = await readFile(conf, 'utf8');
  await writeFile(conf, text.replace(/^\[global\]\s*$/m, `[global]\n${extra.map((l) => `\t${l}`).join('\n')}`));
  return conf;
}

function startProcess(conf: string, output: string[]): ChildProcess {
  const child = spawn('samba', ['-s', conf, '-i', '-M', 'single'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 40));
  };
  // Without a listener a failed spawn would crash the process; waitForLdaps reports it instead.
  child.on('error', (err) => output.push(`spawn samba: ${err.message}`));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

async function tryBind(url: string, caFile: string, bindDn: string, password: string): Promise<Client | undefined> {
  const client = new Client({ url, tlsOptions: { ca: await readFile(caFile) }, connectTimeout: 2_000, timeout: 5_000 });
  try {
    await client.bind(bindDn, password);
    return client;
  } catch {
    await client.unbind().catch(() => undefined);
    return undefined;
  }
}

/** Polls until LDAPS accepts the Administrator bind; fails fast when samba exits. */
async function waitForLdaps(child: ChildProcess, ctx: Omit<SambaContext, 'users'>, output: string[]): Promise<Client> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`samba exited (${child.exitCode ?? child.signalCode}) before serving LDAPS:\n${output.join('\n')}`);
    }
    const client = await tryBind(ctx.ldapUrl, ctx.caFile, ctx.bindDn, ctx.bindPassword);
    if (client) return client;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`samba did not accept an LDAPS bind within ${START_TIMEOUT_MS} ms:\n${output.join('\n')}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Provision, start and seed a fresh DC (about 10 s). Throws, naming the step, when any step fails;
 * samba is then stopped and the directory removed.
 */
export async function startSamba(options: { log?: (line: string) => void } = {}): Promise<RunningSamba> {
  const log = options.log ?? ((): void => undefined);
  if (await portInUse(LDAPS_PORT)) {
    throw new Error(`Port ${LDAPS_PORT} is already in use (another samba?); only one test DC can run at a time.`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'hardmatch-samba-'));
  const bindPassword = `Hm1!${randomBytes(15).toString('base64url')}`;
  const output: string[] = [];
  let child: ChildProcess | undefined;
  const onExit = (): void => {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  };
  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const started = Date.now();
    const [tls] = await Promise.all([createTestTls(join(dir, 'tls')), provision(join(dir, 'dc'), bindPassword)]);
    log(`samba: provisioned in ${Date.now() - started} ms`);
    const conf = await configure(join(dir, 'dc'), tls);
    child = startProcess(conf, output);
    // A crashed test run must not leave a samba holding the ports.
    process.on('exit', onExit);
    const base = {
      ldapUrl: `ldaps://127.0.0.1:${LDAPS_PORT}`,
      caFile: tls.caFile,
      bindDn: `CN=Administrator,CN=Users,${BASE_DN}`,
      bindPassword,
      baseDn: BASE_DN,
      realm: REALM,
    };
    const admin = await waitForLdaps(child, base, output);
    log(`samba: LDAPS up (pid ${child.pid}) after ${Date.now() - started} ms`);
    try {
      await seedUsers(admin, BASE_DN);
    } finally {
      await admin.unbind();
    }
    const passwordFile = join(dir, 'bind-password');
    await writeFile(passwordFile, bindPassword, { mode: 0o600 });
    const users = await readBackUsers({ ...base, passwordFile });
    log(`samba: seeded ${Object.keys(users).length} users, ready after ${Date.now() - started} ms`);
    return { context: { ...base, users }, pid: child.pid ?? -1, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
