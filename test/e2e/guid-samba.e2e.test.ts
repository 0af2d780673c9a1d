/**
 * The whole `guid` path against a real Active Directory: a Bot Framework activity posted to
 * /api/messages, the bot's signed call to the relay agent, the agent's LDAPS search in Samba, and
 * the reply the bot sends to the connector. Expected anchors come from Samba (read back with
 * ldapsearch by the harness), never from constants.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { escapeMarkdown } from '../../src/cards/card-parts.ts';
import { createBot } from '../../src/compose-teams-bot.ts';
import { sandboxBotOptions } from '../../src/sandbox/sandbox-options.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { RelayAgentConfig } from '../../src/config/load-relay-config.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createRelayClient } from '../../src/relay/client/relay-client.ts';
import type { RunningRelay } from '../../src/relay/agent/start-relay.ts';
import { startFixtureRelay } from '../../src/sandbox/fixture-relay.ts';
import { createServer, type BotServer } from '../../src/transport/create-server.ts';
import { visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { ldapConfigFor } from '../support/samba.ts';

const samba = inject('samba');

describe.skipIf(!samba)('guid through the bot, the relay and Samba AD', () => {
  const ctx = samba!;
  const key = randomBytes(32).toString('base64');
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  let relay: RunningRelay;
  let bot: BotServer;
  let botUrl: string;
  let connector: RecordingConnector;
  let counter = 0;

  beforeAll(async () => {
    const relayConfig: RelayAgentConfig = {
      port: 0,
      host: '127.0.0.1',
      key,
      ldap: ldapConfigFor(ctx),
      syncCommand: 'Start-ADSyncSyncCycle -PolicyType Delta',
      sourceAnchor: 'auto',
      logLevel: 'debug',
    };
    relay = await startFixtureRelay(relayConfig, { logger: logger.child({ part: 'relay' }) });
    const config = loadConfig({ RELAY_URL: relay.url, RELAY_KEY: key }, { sandbox: true });
    const relayClient = createRelayClient(config.relay!, { logger });
    const { ingress, frame, welcomeExample } = sandboxBotOptions();
    bot = createServer({ config, logger, bot: createBot({ logger, relay: relayClient, welcomeExample }), version: 'e2e', ingress, frame });
    botUrl = await bot.listen(0);
    connector = await startRecordingConnector();
  });

  afterAll(async () => {
    await bot?.close();
    await relay?.close();
    await connector?.close();
  });

  async function ask(text: string): Promise<{ card: unknown; text: string; json: string }> {
    counter += 1;
    connector.calls.length = 0;
    const res = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `e2e-${counter}`,
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: 'admin-1', name: 'Alex Admin', aadObjectId: '00000000-0000-0000-0000-0000000000a1' },
        recipient: { id: 'bot-1', name: 'Hardmatch' },
        conversation: { id: 'e2e-conversation', conversationType: 'personal' },
        text,
      }),
    });
    expect(res.status).toBe(200);
    const call = await connector.waitForMessage(15_000);
    const attachments = call?.body.attachments as { contentType: string; content: unknown }[] | undefined;
    expect(attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = attachments?.[0]?.content;
    return { card, text: visibleText(card), json: JSON.stringify(card) };
  }

  it("guid jdoe replies with the ImmutableID Samba's objectGUID gives", async () => {
    const { jdoe } = ctx.users;
    const reply = await ask('guid jdoe');
    expect(reply.text).toContain(jdoe.objectGuidImmutableId);
    expect(reply.text.toLowerCase()).toContain(jdoe.objectGuid.toLowerCase());
    expect(reply.text).toContain(jdoe.dn);
  });

  it('guid by UPN of a migrated user shows the ConsistencyGuid as the effective anchor', async () => {
    const { cguid } = ctx.users;
    expect(cguid.consistencyGuidImmutableId).toBeTruthy();
    const reply = await ask(`guid ${cguid.upn!}`);
    expect(reply.text).toContain(cguid.consistencyGuidImmutableId!);
    expect(reply.text).toContain(cguid.objectGuidImmutableId);
  });

  it('a user whose name holds LDAP specials and non-ASCII comes back intact', async () => {
    const { zoe } = ctx.users;
    const reply = await ask(`guid ${zoe.upn!}`);
    expect(reply.text).toContain(zoe.objectGuidImmutableId);
    // Markdown-escaped on the card so Teams shows the characters, not formatting.
    expect(reply.text).toContain(escapeMarkdown(zoe.displayName ?? zoe.cn));
  });

  it('LDAP filter characters typed by the user are data, not filter syntax', async () => {
    const reply = await ask('guid *)(sAMAccountName=*');
    expect(reply.text).not.toContain(ctx.users.jdoe.objectGuidImmutableId);
  });

  it('a mail two users share comes back as a list to choose from, not an error', async () => {
    const { share1, share2 } = ctx.users;
    const reply = await ask('guid shared@contoso.com');
    expect(reply.text).toContain(share1.sam);
    expect(reply.text).toContain(share2.sam);
  });

  it('an unknown user gets a plain answer naming the input', async () => {
    const reply = await ask('guid nobody-here');
    expect(reply.text).toContain('nobody-here');
    expect(reply.text).toMatch(/no .*user|not found/i);
  });

  it('never logs the relay key or the LDAP bind password', () => {
    const all = logLines.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(key);
    expect(all).not.toContain(ctx.bindPassword);
  });
});
