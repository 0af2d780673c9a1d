import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { staticTokenCredential } from '../src/cloud-directory/index.ts';
import { composeBot, type ComposeBotOptions, type ComposedBot } from '../src/compose-bot.ts';
import { loadConfig, type BotConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/logging/logger.ts';
import { sandboxBotOptions } from '../src/sandbox/sandbox-options.ts';
import { describeStartupError } from '../src/transport/process-lifecycle.ts';

const TENANT = '11111111-2222-4333-8444-555555555555';
const ADMIN = '00000000-0000-4000-8000-0000000000a1';
const PRODUCTION_ENV = {
  MicrosoftAppId: 'bot-app-id',
  MicrosoftAppType: 'UserAssignedMSI',
  MicrosoftAppTenantId: TENANT,
  PORT: '0',
  HOST: '127.0.0.1',
  STORE_URL: 'sqlite::memory:',
};
const RELAY_ENV = { RELAY_URL: 'http://127.0.0.1:1', RELAY_KEY: 'k'.repeat(32) };

const composed: ComposedBot[] = [];
afterEach(async () => {
  for (const bot of composed.splice(0)) await bot.close();
});

function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

async function compose(config: Readonly<BotConfig>, options: Partial<Omit<ComposeBotOptions, 'config' | 'logger' | 'credential'>> = {}) {
  const log = recordingLogger();
  const bot = await composeBot({ config, logger: log.logger, credential: staticTokenCredential('test'), ...options });
  composed.push(bot);
  return { bot, ...log };
}

async function healthz(url: string): Promise<unknown> {
  const res = await fetch(`${url}/healthz`);
  expect(res.status).toBe(200);
  return res.json();
}

describe('composeBot', () => {
  it('production without a relay or admins: listens, says what is missing, resumes nothing, then closes', async () => {
    const { bot, warnings } = await compose(loadConfig(PRODUCTION_ENV));
    expect(await healthz(bot.url)).toMatchObject({ status: 'ok', sandbox: false });
    expect(warnings()).toEqual([
      'RELAY_URL is not set: `guid` converts GUIDs and ImmutableIDs but cannot look users up by name, and `match` cannot run',
      'Neither ADMIN_GROUP_ID nor ADMIN_IDS is set: `match` works, but nobody can request or approve a fix until one is set',
    ]);
    expect(await bot.resumed).toBe(0);
    expect(bot.approvals.features.admins.configured).toBe(false);
    await composed.splice(0)[0]?.close();
    await expect(fetch(`${bot.url}/healthz`)).rejects.toThrow();
    // The store is closed too: the flow can no longer read it.
    await expect(bot.approvals.features.store.get('HM-CLOSED')).rejects.toThrow();
  });

  it('with a relay and admins configured it starts without a warning', async () => {
    const { bot, warnings } = await compose(loadConfig({ ...PRODUCTION_ENV, ...RELAY_ENV, ADMIN_IDS: ADMIN }));
    expect(await healthz(bot.url)).toMatchObject({ sandbox: false });
    expect(bot.approvals.features.admins.configured).toBe(true);
    expect(warnings()).toEqual([]);
  });

  it('warns when the anonymous sandbox bot listens beyond this machine', async () => {
    const { bot, warnings, lines } = await compose(
      loadConfig({ ...RELAY_ENV, ADMIN_IDS: ADMIN, PORT: '0', HOST: '0.0.0.0', STORE_URL: 'sqlite::memory:' }, { sandbox: true }),
      { ...sandboxBotOptions(), tagParts: true },
    );
    expect(await healthz(bot.url)).toMatchObject({ sandbox: true });
    expect(warnings()).toEqual([
      'HOST makes the sandbox bot listen beyond this machine: its endpoint is anonymous, and with RELAY_URL it reads real AD users; anyone who can reach it can use it',
    ]);
    expect(lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('HOST makes'))).toMatchObject({ host: '0.0.0.0' });
  });

  it('names each part on its log lines when asked (the sandbox), and not otherwise', async () => {
    const refuse = (url: string) =>
      fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    const tagged = await compose(
      loadConfig({ ...RELAY_ENV, ADMIN_IDS: ADMIN, PORT: '0', STORE_URL: 'sqlite::memory:' }, { sandbox: true }),
      { ...sandboxBotOptions(), tagParts: true },
    );
    const plain = await compose(
      loadConfig({ ...RELAY_ENV, ADMIN_IDS: ADMIN, PORT: '0', STORE_URL: 'sqlite::memory:' }, { sandbox: true }),
      sandboxBotOptions(),
    );
    expect((await refuse(tagged.bot.url)).status).toBe(400);
    expect((await refuse(plain.bot.url)).status).toBe(400);
    const refusal = (lines: Record<string, unknown>[]) => lines.find((l) => l.msg === 'request refused by the HTTP layer');
    expect(refusal(tagged.lines)).toMatchObject({ part: 'bot' });
    expect(refusal(plain.lines)).toBeDefined();
    expect(refusal(plain.lines)).not.toHaveProperty('part');
  });

  it("never composes an anonymous endpoint without the sandbox's ingress: no bot identity, no start", async () => {
    // A configuration without MicrosoftAppId (loadConfig allows it only in sandbox mode) would make botbuilder skip the token check.
    const config = loadConfig({ ...RELAY_ENV, ADMIN_IDS: ADMIN, PORT: '0', STORE_URL: 'sqlite::memory:' }, { sandbox: true });
    const err: unknown = await composeBot({
      config,
      logger: createLogger({ level: 'silent' }),
      credential: staticTokenCredential('test'),
    }).catch((e: unknown) => e);
    expect(describeStartupError(err)).toMatch(
      /^Hardmatch cannot start\. Configuration is invalid:\n {2}- MicrosoftAppId: required outside the sandbox/,
    );
  });

  it('a busy port stops start-up with the words for it', async () => {
    const first = await compose(loadConfig(PRODUCTION_ENV));
    const port = new URL(first.bot.url).port;
    const config = loadConfig({ ...PRODUCTION_ENV, PORT: port });
    const err: unknown = await composeBot({
      config,
      logger: createLogger({ level: 'silent' }),
      credential: staticTokenCredential('test'),
    }).catch((e: unknown) => e);
    expect(describeStartupError(err)).toBe(
      `Hardmatch cannot start: port ${port} is already in use by another program. Stop it, or set PORT to a free port.`,
    );
  });

  it('refuses a malformed STORE_URL naming the variable, before listening', async () => {
    const config = { ...loadConfig(PRODUCTION_ENV), storeUrl: 'postgres://nowhere' };
    const err: unknown = await composeBot({
      config,
      logger: createLogger({ level: 'silent' }),
      credential: staticTokenCredential('test'),
    }).catch((e: unknown) => e);
    expect(describeStartupError(err)).toMatch(/^Hardmatch cannot start\. .*STORE_URL: must be sqlite:<path>/s);
  });

  it('a sqlite file that cannot be created stops start-up with STORE_UNAVAILABLE naming the file, not a stack', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hardmatch-compose-'));
    try {
      const notAFolder = join(dir, 'plain-file');
      await writeFile(notAFolder, 'not a folder');
      const config = { ...loadConfig(PRODUCTION_ENV), storeUrl: `sqlite:${notAFolder}/hardmatch.db` };
      const err: unknown = await composeBot({
        config,
        logger: createLogger({ level: 'silent' }),
        credential: staticTokenCredential('test'),
      }).catch((e: unknown) => e);
      expect(describeStartupError(err)).toMatch(
        new RegExp(
          `^Hardmatch cannot start: The request store could not be used: sqlite file ${notAFolder}/hardmatch\\.db \\(EEXIST\\): .* \\(STORE_UNAVAILABLE\\)$`,
        ),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
