/**
 * The sandbox wiring, end to end without a browser: real relay agent over the fixtures, real relay
 * client, bot over HTTP, replies recorded by a fake connector.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.ts';
import { sandboxBanner } from '../../src/sandbox/banner.ts';
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

async function say(botUrl: string, text: string): Promise<string> {
  const before = connector.calls.length;
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: `m-${before}`,
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: { id: 'user-1' },
      recipient: { id: 'bot-1' },
      conversation: { id: 'c-1' },
      text,
    }),
  });
  expect(res.status).toBe(200);
  const calls = await connector.waitForCalls(before + 1, 10_000);
  const attachments = calls[before]?.body.attachments as { content: unknown }[];
  return visibleText(attachments[0]?.content);
}

describe('startSandbox', () => {
  it('looks users up by name through the in-process relay over the fixtures', async () => {
    const s = await sandbox();
    expect(s.relayExternal).toBe(false);
    expect(s.relayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const jdoe = await say(s.botUrl, 'guid jdoe');
    expect(jdoe).toContain('3HjiBBIFx02rIhVtmcNDyg==');
    expect(jdoe).toContain('SANDBOX');
    const shared = await say(s.botUrl, 'guid shared@contoso.com');
    expect(shared).toContain('2 on-premises users match');
    expect(await say(s.botUrl, 'guid nobody.here')).toContain('USER\\_NOT\\_FOUND');
  });

  it('ignores the bot identity so the anonymous Playground can talk to it', async () => {
    const s = await sandbox({ env: { MicrosoftAppId: '33333333-3333-3333-3333-333333333333', MicrosoftAppType: 'SingleTenant' } });
    expect(await say(s.botUrl, 'help')).toContain('`guid <who>`');
  });

  it('keeps the bot running and says why when the Playground fails to start', async () => {
    const broken = join(scratch, 'broken-playground.js');
    await writeFile(broken, 'console.error("cannot bind"); process.exit(3);\n');
    const s = await sandbox({ playground: true, playgroundBin: broken });
    expect(s.playgroundUrl).toBeUndefined();
    expect(s.playgroundError).toMatch(/did not start .*code 3.*cannot bind/);
    const health = (await (await fetch(`${s.botUrl}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    expect(sandboxBanner({ botUrl: s.botUrl, relayUrl: s.relayUrl, relayExternal: false, playgroundProblem: s.playgroundError ?? '' })).toContain(
      'Agents Playground: did not start',
    );
  });
});

describe('sandboxBanner', () => {
  it('says where to click and what to type', () => {
    const banner = sandboxBanner({ botUrl: 'http://localhost:3978', relayUrl: 'http://127.0.0.1:1', relayExternal: false, playgroundUrl: 'http://localhost:56150' });
    expect(banner).toContain('Hardmatch SANDBOX — open http://localhost:56150');
    expect(banner).toContain('try: guid jdoe');
  });
});
