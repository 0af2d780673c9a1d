/**
 * The sandbox wiring, end to end without a browser: the Entra emulator seeded with the scenario
 * catalog, real relay agent over the fixtures (its sync simulated), real relay client and cloud
 * directory, bot over HTTP, replies recorded by a fake connector.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.ts';
import { createRelayClient } from '../../src/relay/client/relay-client.ts';
import { sandboxBanner, scenarioLines } from '../../src/sandbox/banner.ts';
import { startSandboxCloud } from '../../src/sandbox/sandbox-cloud.ts';
import { startSandboxRelay } from '../../src/sandbox/sandbox-relay.ts';
import { IDS, SCENARIOS, scenarioById } from '../../src/sandbox/scenarios/index.ts';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';

const logger = createLogger({ level: 'silent' });
let connector: RecordingConnector;
let scratch: string;
const running: RunningSandbox[] = [];

beforeAll(async () => {
  connector = await startRecordingConnector();
  scratch = await mkdtemp(join(tmpdir(), 'hardmatch-sandbox-'));
});
afterAll(async () => {
  await connector.close();
  await rm(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  connector.calls.length = 0;
});

async function sandbox(options: Partial<Parameters<typeof startSandbox>[0]> = {}): Promise<RunningSandbox> {
  const s = await startSandbox({ env: {}, logger, botPort: 0, playground: false, ...options });
  running.push(s);
  return s;
}

/** A message from the served tenant (the seed's): activities from any other are ignored. */
async function say(s: RunningSandbox, text: string): Promise<string> {
  const before = connector.calls.length;
  const res = await fetch(`${s.botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: `m-${before}`,
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: { id: 'user-1' },
      recipient: { id: 'bot-1' },
      conversation: { id: 'c-1', tenantId: s.tenantId },
      text,
    }),
  });
  expect(res.status).toBe(200);
  // The reply is the first message after `before`; a typing indicator may come first.
  const deadline = Date.now() + 10_000;
  let reply = connector.calls.slice(before).find((c) => c.body.type === 'message');
  while (!reply && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    reply = connector.calls.slice(before).find((c) => c.body.type === 'message');
  }
  const attachments = reply?.body.attachments as { content: unknown }[];
  return visibleText(attachments[0]?.content);
}

/** Card text with Markdown escapes undone, as a person reads it. */
function plain(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!<>@|~])/g, '$1');
}

describe('startSandbox', () => {
  it("answers `match jdoe` from the emulated tenant with the catalog's findings on the card", async () => {
    const s = await sandbox();
    const card = plain(await say(s, 'match jdoe'));
    expect(card).toContain('SANDBOX');
    for (const code of scenarioById('duplicate-after-sync').matches[0]?.findings ?? []) expect(card).toContain(code);
    expect(card).toContain('jdoe+4821@contoso.onmicrosoft.com');
    expect(card).toContain('IRREVERSIBLE');
  });

  it('runs the emulator over HTTPS with the catalog tenant and exposes its state and the simulated sync', async () => {
    const s = await sandbox();
    expect(s.emulatorUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(s.tenantSource).toBe('catalog');
    expect(s.emulatorState.activeUser(IDS.jdoeDuplicate)?.onPremisesSyncEnabled).toBe(true);
    const report = await s.sync();
    const outcomes = Object.fromEntries(report.results.map((r) => [r.samAccountName, r.outcome]));
    // The catalog's users as their scenarios say, and the old Northwind account the same sync keeps updating.
    expect(outcomes).toEqual(Object.assign({ fsutton: 'UPDATE' }, ...SCENARIOS.map((sc) => sc.syncNow)));
    expect(report.results.find((r) => r.samAccountName === 'fsutton')?.userId).toBe(IDS.fsynced);
    // elocal was soft-matched: the sandbox tenant really changed, as a real sync would change it.
    expect(s.emulatorState.activeUser(IDS.elocal)?.userPrincipalName).toBe('elocal@contoso.onmicrosoft.com');
  });

  it('gives its relay the simulated delta sync: a signed POST /v1/sync runs it over the emulator', async () => {
    const cloud = await startSandboxCloud({}, logger);
    const relay = await startSandboxRelay({}, logger, cloud.syncTrigger, cloud.directory.fixtures);
    try {
      if (!relay) throw new Error('the sandbox relay did not start');
      const client = createRelayClient({ url: relay.url, key: relay.key, timeoutMs: 5000 }, { logger });
      const result = await client.triggerSync();
      expect(result.detail).toMatch(
        /^Simulated delta sync: 23 users; .*2 soft-matched.*1 skipped \(source of authority in the cloud: rcloud\).*export errors \(.*nrecreated: InvalidHardMatch/,
      );
      const report = result.report as { results: { samAccountName: string; outcome: string }[] };
      expect(report.results.find((r) => r.samAccountName === 'elocal')?.outcome).toBe('SOFT_MATCH');
      expect(cloud.state.activeUser(IDS.elocal)?.onPremisesSyncEnabled).toBe(true);
    } finally {
      await relay?.close();
      await cloud.close();
    }
  });

  it('starts from SANDBOX_TENANT instead of the catalog, and refuses a bad file naming it and the field', async () => {
    const good = join(scratch, 'tenant.json');
    const seed = JSON.parse(await readFile(new URL('../../src/sandbox/emulator/seeds/example.json', import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(good, JSON.stringify(seed));
    const s = await sandbox({ env: { SANDBOX_TENANT: good } });
    expect(s.tenantSource).toBe(good);
    expect(s.emulatorState.activeUser('carol@contoso.com')?.displayName).toBe('Carol Matched');
    expect(s.emulatorState.activeUser(IDS.jdoe)).toBeUndefined();

    const bad = join(scratch, 'bad-tenant.json');
    await writeFile(bad, JSON.stringify({ ...seed, users: [{ id: 'not-a-guid', userPrincipalName: 'x@contoso.com', displayName: 'X' }] }));
    await expect(sandbox({ env: { SANDBOX_TENANT: bad } })).rejects.toThrow(
      `SANDBOX_TENANT (${bad}): seed users[0].id: must be an object id (GUID)`,
    );
    await expect(sandbox({ env: { SANDBOX_TENANT: join(scratch, 'missing.json') } })).rejects.toThrow(
      /SANDBOX_TENANT: seed file .*missing\.json: file not found/,
    );
  });

  it("serves SANDBOX_DIRECTORY's users through the relay and syncs them, edits included, and refuses a bad file", async () => {
    const file = join(scratch, 'directory.json');
    const pat = {
      dn: 'CN=Pat Rehearsal,OU=Sales,DC=contoso,DC=com',
      samAccountName: 'prehearsal',
      userPrincipalName: 'pat.rehearsal@contoso.com',
      mail: 'pat.rehearsal@contoso.com',
      proxyAddresses: ['SMTP:pat.rehearsal@contoso.com'],
      displayName: 'Pat Rehearsal',
      enabled: true,
      objectGuid: '0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4',
      consistencyGuid: null,
      whenChanged: '2026-11-01T08:00:00.000Z',
    };
    await writeFile(file, JSON.stringify([pat]));
    const s = await sandbox({ env: { SANDBOX_DIRECTORY: file } });
    expect(s.directorySource).toBe(file);
    const guid = await say(s, 'guid prehearsal');
    expect(guid).toContain('LhxvC0o9XEuNbn+AkaKzxA==');
    expect(await say(s, 'guid jdoe')).toContain('USER\\_NOT\\_FOUND');
    const match = plain(await say(s, 'match pat.rehearsal@contoso.com'));
    expect(match).toContain('NO_CLOUD_CANDIDATE');

    const report = await s.sync();
    expect(report.results.map((r) => [r.samAccountName, r.outcome, r.error?.code])).toEqual([['prehearsal', 'CREATE', undefined]]);
    expect(s.emulatorState.usersByImmutableId('LhxvC0o9XEuNbn+AkaKzxA==').map((h) => h.user.onPremisesSamAccountName)).toEqual([
      'prehearsal',
    ]);
    // The relay and the sync read the one editable directory: an edit is seen by both.
    s.directory.update('prehearsal', (u) => ({ ...u, dn: 'CN=Pat Rehearsal,OU=Not Synced,DC=contoso,DC=com' }));
    expect(await say(s, 'guid prehearsal')).toContain('OU=Not Synced');
    expect((await s.sync()).results.map((r) => r.outcome)).toEqual(['DELETE']);

    const bad = join(scratch, 'bad-directory.json');
    await writeFile(bad, JSON.stringify([{ ...pat, objectGuid: 'not-a-guid' }]));
    await expect(sandbox({ env: { SANDBOX_DIRECTORY: bad } })).rejects.toThrow(
      `SANDBOX_DIRECTORY: Fixture file ${bad}: [0].objectGuid: must be a GUID`,
    );
  });

  it('looks users up by name through the in-process relay over the fixtures', async () => {
    const s = await sandbox();
    expect(s.relayExternal).toBe(false);
    expect(s.relayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const jdoe = await say(s, 'guid jdoe');
    expect(jdoe).toContain('3HjiBBIFx02rIhVtmcNDyg==');
    expect(jdoe).toContain('SANDBOX');
    const shared = await say(s, 'guid shared@contoso.com');
    expect(shared).toContain('2 on-premises users match');
    expect(await say(s, 'guid nobody.here')).toContain('USER\\_NOT\\_FOUND');
  });

  it('ignores the bot identity so the anonymous Playground can talk to it', async () => {
    const s = await sandbox({ env: { MicrosoftAppId: '33333333-3333-3333-3333-333333333333', MicrosoftAppType: 'SingleTenant' } });
    expect(await say(s, 'help')).toContain('**guid \\<who\\>**');
  });

  it('keeps the bot running and says why when the Playground fails to start', async () => {
    const broken = join(scratch, 'broken-playground.js');
    await writeFile(broken, 'console.error("cannot bind"); process.exit(3);\n');
    const s = await sandbox({ playground: true, playgroundBin: broken });
    expect(s.playgroundUrl).toBeUndefined();
    expect(s.playgroundError).toMatch(/did not start .*code 3.*cannot bind/);
    const health = (await (await fetch(`${s.botUrl}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    expect(
      sandboxBanner({ botUrl: s.botUrl, relayUrl: s.relayUrl, relayExternal: false, playgroundProblem: s.playgroundError ?? '' }),
    ).toContain('Agents Playground: did not start');
  });
});

describe('sandboxBanner', () => {
  it('says where to click, where the emulator is, and one `match` per scenario to try', () => {
    const banner = sandboxBanner({
      botUrl: 'http://localhost:3978',
      relayUrl: 'http://127.0.0.1:1',
      relayExternal: false,
      playgroundUrl: 'http://localhost:56150',
      emulatorUrl: 'https://127.0.0.1:4444',
      tenantSource: 'catalog',
    });
    expect(banner).toContain('Hardmatch SANDBOX — open http://localhost:56150');
    expect(banner).toContain('emulator: https://127.0.0.1:4444');
    expect(banner).toMatch(/match jdoe +#1 +Cloud user created before sync/);
    expect(banner).toMatch(/match shared@contoso\.com +control +an address two AD users share/);
    expect(scenarioLines()).toHaveLength(SCENARIOS.flatMap((sc) => sc.matches).length);
    expect(banner).toContain('also: guid jdoe');
  });

  it('names the SANDBOX_TENANT file instead of the catalog users', () => {
    const banner = sandboxBanner({
      botUrl: 'http://localhost:3978',
      relayUrl: 'http://127.0.0.1:1',
      relayExternal: false,
      tenantSource: '/srv/tenant.json',
    });
    expect(banner).toContain('tenant: /srv/tenant.json (SANDBOX_TENANT)');
    expect(banner).toContain('(fixture directory, random key');
    const own = sandboxBanner({
      botUrl: 'http://localhost:3978',
      relayUrl: 'http://127.0.0.1:1',
      relayExternal: false,
      directorySource: '/srv/ad.json',
    });
    expect(own).toContain('relay:    http://127.0.0.1:1 (AD users from /srv/ad.json (SANDBOX_DIRECTORY), random key');
    expect(banner).not.toContain('match jdoe');
  });
});
