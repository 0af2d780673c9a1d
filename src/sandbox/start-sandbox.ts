/**
 * The sandbox as one unit: the Entra emulator seeded with the scenario catalog (or SANDBOX_TENANT),
 * the relay over the sandbox directory (fixtures or SANDBOX_DIRECTORY; or the admin's relay) whose
 * delta sync is the simulated one, the bot pointed at both (composed by src/compose-bot.ts, as in
 * production) with the sandbox's wrapping (sandbox-options.ts: the anonymous ingress, the SANDBOX
 * frame on every card, its person doing the confirmed MANUAL steps on those stand-ins), and
 * optionally the Agents Playground pointed at the bot. Used by `npm start` and by the tests, so
 * both run exactly the same wiring.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staticTokenCredential } from '../cloud-directory/index.ts';
import type { ComposedApprovals, EngineOptions } from '../compose-approvals.ts';
import { composeBot } from '../compose-bot.ts';
import { loadConfig } from '../config/load-config.ts';
import type { Env } from '../config/parse-env.ts';
import type { Logger } from '../logging/logger.ts';
import type { EmulatorState } from './emulator/index.ts';
import type { SyncRunReport } from './sync-simulator/index.ts';
import { PLAYGROUND_PORT, startPlayground, type RunningPlayground } from './playground.ts';
import { startSandboxCloud } from './sandbox-cloud.ts';
import type { EditableDirectory } from './scenarios/index.ts';
import { sandboxBotOptions } from './sandbox-options.ts';
import { startSandboxRelay } from './sandbox-relay.ts';
import { playgroundConfig, SANDBOX_ADMIN_IDS, type SandboxPersonKey } from './sandbox-users.ts';
import { sandboxAuditKey } from './audit-key.ts';

/** The bot's identity variables: the Playground sends no token, so the sandbox bot runs without them. */
const BOT_IDENTITY = ['MicrosoftAppId', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'MicrosoftAppPassword'] as const;

export interface SandboxOptions {
  env: Env;
  logger: Logger;
  /** Default: PORT (3978). 0 picks a free port. */
  botPort?: number;
  playground: boolean;
  /** Default 56150. */
  playgroundPort?: number;
  /** The Playground's CLI script (tests swap it); default the installed one. */
  playgroundBin?: string;
  /** Engine timings and hooks (tests shorten leases and polling). */
  engine?: EngineOptions;
  /** Default `sqlite::memory:` (the sandbox's tenant is new at every start, so are its requests); STORE_URL overrides. */
  storeUrl?: string;
  /**
   * Default true: a person's Done on a MANUAL step carries out its action on the stand-ins. False:
   * Done changes nothing, as when the person pressed it without doing the step (tests of the check).
   */
  personActs?: boolean;
}

export interface RunningSandbox {
  botUrl: string;
  relayUrl: string;
  relayExternal: boolean;
  /** The Entra emulator's Graph base URL (HTTPS, certificate trusted in this process only). */
  emulatorUrl: string;
  /** The emulated tenant, as the bot's Graph calls see it. */
  emulatorState: EmulatorState;
  /** 'catalog', or the SANDBOX_TENANT file the tenant came from. */
  tenantSource: string;
  /** The sandbox's AD as the relay serves it and the sync reads it (manualDone edits it). */
  directory: EditableDirectory;
  /** 'fixtures', or the SANDBOX_DIRECTORY file the AD users came from. */
  directorySource: string;
  /** The other forests the sandbox's Entra Connect syncs (not served by the relay); empty with SANDBOX_TENANT or SANDBOX_DIRECTORY. */
  otherForests: EditableDirectory;
  /** Run one simulated delta sync now (what the relay's POST /v1/sync runs), over the sandbox directory and the other forests. */
  sync(): Promise<SyncRunReport>;
  /** The served tenant: the emulator seed's tenant id (activities from any other are refused). */
  tenantId: string;
  /** The approval flow, for tests (idle, resume). */
  approvals: ComposedApprovals;
  /** Adele's Playground (the first admin). */
  playgroundUrl?: string;
  /** One Playground per sandbox admin: the Playground has one current user per instance. */
  playgroundUrls?: Partial<Record<SandboxPersonKey, string>>;
  /** Set when the Playground was wanted but did not start; the bot keeps running. */
  playgroundError?: string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { logger } = options;
  const env = withoutBotIdentity(options.env, logger);
  const emulator = await startSandboxCloud(env, logger);
  const closers: (() => Promise<void>)[] = [() => emulator.close()];
  // Stop in reverse order of start (Playground, bot, relay, emulator), each even if an earlier one failed.
  const closeAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (const close of [...closers].reverse()) await close().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw new AggregateError(failures, 'some sandbox parts did not stop cleanly');
  };
  try {
    const relay = await startSandboxRelay(env, logger, emulator.syncTrigger, emulator.directory.fixtures);
    if (relay) closers.push(() => relay.close());
    const storeUrl = options.storeUrl ?? env.STORE_URL ?? 'sqlite::memory:';
    const sandboxAd = relay
      ? {
          RELAY_URL: relay.url,
          RELAY_KEY: relay.key,
          SYNC_SCOPE_OUS: env.SYNC_SCOPE_OUS ?? sandboxScope(emulator.directory.directory.users()),
        }
      : {};
    const config = loadConfig({ ...env, ...sandboxAd, AUDIT_KEY: sandboxAuditKey(env, storeUrl) }, { sandbox: true });
    const tenantId = emulator.state.tenant.id;
    const bot = await composeBot({
      config: { ...config, port: options.botPort ?? config.port, tenantId, graphBaseUrl: emulator.url, storeUrl },
      logger,
      credential: staticTokenCredential('hardmatch-sandbox'),
      tagParts: true,
      ...(options.engine ? { engine: options.engine } : {}),
      // With the admin's own relay (RELAY_URL), AD is theirs: the person does their part themselves.
      ...sandboxBotOptions(
        relay && options.personActs !== false
          ? {
              directory: emulator.directory.directory,
              otherForests: emulator.directory.otherForests,
              state: emulator.state,
              logger: logger.child({ part: 'sandbox' }),
            }
          : undefined,
      ),
    });
    closers.push(() => bot.close());
    const botUrl = bot.url;
    const running: RunningSandbox = {
      botUrl,
      relayUrl: config.relay?.url ?? '(none)',
      relayExternal: !relay,
      emulatorUrl: emulator.url,
      emulatorState: emulator.state,
      tenantSource: emulator.tenantSource,
      directory: emulator.directory.directory,
      directorySource: emulator.directory.source,
      otherForests: emulator.directory.otherForests,
      tenantId,
      approvals: bot.approvals,
      sync: () => emulator.sync(),
      close: closeAll,
    };
    if (options.playground) {
      const started = await startPlaygrounds(`${botUrl}/api/messages`, options, env, tenantId);
      running.playgroundUrls = started.urls;
      if (started.urls.adele) running.playgroundUrl = started.urls.adele;
      if (started.error) running.playgroundError = started.error;
      closers.push(...started.closers);
    }
    return running;
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** Adele's Playground on the Playground port, Ben's on the next one; each a chat as that admin. */
async function startPlaygrounds(botEndpoint: string, options: SandboxOptions, env: Env, tenantId: string) {
  const dir = await mkdtemp(join(tmpdir(), 'hardmatch-playground-'));
  const urls: Partial<Record<SandboxPersonKey, string>> = {};
  const closers: (() => Promise<void>)[] = [];
  let error: string | undefined;
  const base = options.playgroundPort ?? PLAYGROUND_PORT;
  for (const [i, person] of (['adele', 'ben'] as const).entries()) {
    const configPath = join(dir, `${person}.m365agentsplayground.yml`);
    await writeFile(configPath, JSON.stringify(playgroundConfig(person, tenantId), null, 2));
    const playground = await tryPlayground(botEndpoint, options, env, { port: base + i, configPath });
    if ('url' in playground) {
      urls[person] = playground.url;
      closers.push(() => playground.stop());
    } else {
      error ??= playground.error;
    }
  }
  return { urls, closers, ...(error ? { error } : {}) };
}

async function tryPlayground(
  botEndpoint: string,
  options: SandboxOptions,
  env: Env,
  at: { port: number; configPath: string },
): Promise<RunningPlayground | { error: string }> {
  try {
    return await startPlayground({
      botEndpoint,
      env,
      logger: options.logger,
      port: at.port,
      configPath: at.configPath,
      ...(options.playgroundBin ? { bin: options.playgroundBin } : {}),
    });
  } catch (err) {
    options.logger.warn({ err }, 'the Agents Playground did not start; the bot keeps running');
    return { error: `did not start (${err instanceof Error ? err.message : String(err)})` };
  }
}

/**
 * The sandbox's sync scope as SYNC_SCOPE_OUS says it (`inSandboxSyncScope`): every domain of its
 * AD users, except `OU=Not Synced` in each, so a Done on a scope step is checked as in production.
 */
function sandboxScope(users: readonly { dn: string }[]): string {
  const domains = [...new Set(users.map((u) => /(?:^|(?<!\\),)\s*(DC=.*)$/i.exec(u.dn)?.[1]).filter((d): d is string => d !== undefined))];
  return domains.flatMap((d) => [d, `!OU=Not Synced,${d}`]).join(';');
}

/** The sandbox's two admins, unless the environment names its own. */
function withSandboxAdmins(env: Env): Env {
  return env.ADMIN_IDS || env.ADMIN_GROUP_ID ? env : { ...env, ADMIN_IDS: SANDBOX_ADMIN_IDS };
}

function withoutBotIdentity(env: Env, logger: Logger): Env {
  const set = BOT_IDENTITY.filter((name) => env[name]);
  if (set.length === 0) return withSandboxAdmins(env);
  logger.warn({ ignored: set }, 'the sandbox ignores the bot identity (the Playground sends no token); use `npm run bot` for production');
  const copy: Record<string, string | undefined> = { ...env };
  for (const name of set) delete copy[name];
  return withSandboxAdmins(copy);
}
