/**
 * The bot's manners through POST /api/messages, as Teams sends activities: a one-line summary on
 * every reply, "typing" while the relay or Graph works (never delaying that work), the welcome card
 * when the bot itself is added, and command buttons (messageBack) answered like typed commands.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CreateBotOptions } from '../../src/compose-teams-bot.ts';
import { MATCH_CARD_IDS } from '../../src/cards/match-card.ts';
import { WELCOME_CARD_IDS, WELCOME_SUMMARY } from '../../src/cards/welcome-card.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { LookupResult } from '../../src/domain/onprem-user.ts';
import { allElements, findById } from '../support/card-query.ts';
import { cloudUser, deferred, fakeCloud, fakeRelay } from '../support/fakes.ts';
import { startRecordingConnector, type RecordedCall, type RecordingConnector } from '../support/recording-connector.ts';
import { onPremUser } from '../support/users.ts';
import { messageActivity, post, startBot, type Running } from '../transport/helpers.ts';

let connector: RecordingConnector;
/** While set, the connector holds its answer to typing activities until this settles. */
let typingHeld: Promise<void> | undefined;
const running: Running[] = [];

beforeAll(async () => {
  connector = await startRecordingConnector('127.0.0.1', { holdAnswer: (body) => (body.type === 'typing' ? typingHeld : undefined) });
});
afterAll(async () => {
  await connector.close();
});
afterEach(async () => {
  typingHeld = undefined;
  for (const r of running.splice(0)) await r.server.close();
  connector.calls.length = 0;
});

async function bot(ports: Pick<CreateBotOptions, 'relay' | 'cloud'> = {}): Promise<Running> {
  const r = await startBot(loadConfig({}, { sandbox: true }), { ports });
  running.push(r);
  return r;
}

const isMessage = (c: RecordedCall) => c.body.type === 'message';

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function nextMessage(): Promise<RecordedCall> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const call = connector.calls.find(isMessage);
    if (call) return call;
    if (Date.now() > deadline) throw new Error(`no message among ${connector.calls.length} connector calls`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function cardOf(call: RecordedCall): Record<string, unknown> {
  const attachments = call.body.attachments as { content: Record<string, unknown> }[] | undefined;
  const content = attachments?.[0]?.content;
  if (!content) throw new Error('the reply has no card');
  return content;
}

const jdoe = onPremUser();
const joined = cloudUser({ immutableId: jdoe.anchor.immutableId, synced: true, userPrincipalName: 'jdoe@contoso.com' });
const healthyCloud = () =>
  fakeCloud({
    evidenceFor: async (_onPrem, context) => ({
      candidates: [{ user: joined, reasons: ['anchor'] }],
      otherObjects: [],
      tenant: await context.tenant,
    }),
  });

describe('every reply carries a one-line summary', () => {
  it("for help, an unknown command and match: the card's own line, in `summary`", async () => {
    const { url } = await bot({ relay: fakeRelay({ users: [jdoe], truncated: false }), cloud: healthyCloud() });
    for (const [text, expected] of [
      ['help', 'Hardmatch commands'],
      ['mach jdoe', 'Unknown command'],
      ['match jdoe', 'match jdoe: Already matched: nothing to do.'],
    ] as const) {
      connector.calls.length = 0;
      await post(url, messageActivity(connector.url, text));
      const reply = await nextMessage();
      expect(reply.body.summary).toBe(expected);
      expect(String(reply.body.summary)).not.toMatch(/[\n`]/);
      expect(cardOf(reply).speak).toBe(expected);
    }
  });
});

describe('typing indicator', () => {
  it('is sent for match before the reply, and the relay look-up starts without waiting for it', async () => {
    // The connector does not answer the typing activity until the test lets it.
    const release = deferred<undefined>();
    typingHeld = release.promise.then(() => undefined);
    const lookup = deferred<LookupResult>();
    const relay = fakeRelay(() => lookup.promise);
    const { url } = await bot({ relay, cloud: healthyCloud() });
    try {
      const answered = post(url, messageActivity(connector.url, 'match jdoe'));
      await until(() => relay.calls.length > 0 && connector.calls.length > 0);
      // The relay was asked, and the typing activity reached the connector, which has not answered it.
      expect(relay.calls.map((c) => c.who)).toEqual(['jdoe']);
      expect(connector.calls.map((c) => c.body.type)).toEqual(['typing']);
      lookup.resolve({ users: [jdoe], truncated: false });
      // Nor does the reply wait for it: the diagnosis is posted while typing is still held.
      const reply = await nextMessage();
      expect(findById(cardOf(reply), MATCH_CARD_IDS.verdict)).toBeDefined();
      release.resolve(undefined);
      expect((await answered).status).toBe(200);
    } finally {
      release.resolve(undefined);
    }
  });

  it('is not sent for a command that answers at once (help)', async () => {
    const { url } = await bot();
    await post(url, messageActivity(connector.url, 'help'));
    await nextMessage();
    expect(connector.calls.map((c) => c.body.type)).toEqual(['message']);
  });
});

describe('welcome card', () => {
  const added = (members: { id: string }[], conversationType = 'personal') => ({
    ...messageActivity(connector.url, ''),
    type: 'conversationUpdate',
    text: undefined,
    membersAdded: members,
    conversation: { id: 'conversation-1', conversationType },
  });

  it('is posted when the bot itself is added, with help and an example as buttons', async () => {
    const { url } = await bot();
    for (const type of ['personal', 'groupChat', 'channel']) {
      connector.calls.length = 0;
      expect((await post(url, added([{ id: 'bot-1' }], type))).status).toBe(200);
      const reply = await nextMessage();
      expect(reply.body.summary).toBe(WELCOME_SUMMARY);
      const buttons = allElements(findById(cardOf(reply), WELCOME_CARD_IDS.buttons)).filter((e) => e.type === 'Action.Submit');
      expect(buttons.map((b) => (b.data as { command: string }).command)).toEqual(['help', 'match jdoe']);
      expect(JSON.stringify(cardOf(reply)).includes('@mention')).toBe(type !== 'personal');
    }
  });

  it('is not posted when someone else joins', async () => {
    const { url } = await bot();
    expect((await post(url, added([{ id: 'user-2' }]))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(connector.calls).toEqual([]);
  });
});

describe('command buttons', () => {
  it('an ambiguous user\'s button sends "match share1", which the bot answers like the typed command', async () => {
    const share1 = onPremUser({ samAccountName: 'share1', dn: 'CN=Share One,DC=contoso,DC=com' });
    const share2 = onPremUser({ samAccountName: 'share2', dn: 'CN=Share Two,DC=contoso,DC=com' });
    const relay = fakeRelay((who) =>
      who === 'share1' ? { users: [share1], truncated: false } : { users: [share1, share2], truncated: false },
    );
    const { url } = await bot({ relay, cloud: healthyCloud() });
    await post(url, messageActivity(connector.url, 'match shared@contoso.com'));
    const choices = cardOf(await nextMessage());
    const button = allElements(findById(choices, MATCH_CARD_IDS.onPrem)).find((e) => e.type === 'Action.Submit');
    const data = button?.data as { command: string; msteams: { type: string; text: string } };
    expect(data.msteams).toMatchObject({ type: 'messageBack', text: 'match share1' });
    connector.calls.length = 0;
    // Teams posts a messageBack as a message from the person, with the command as its text.
    await post(url, messageActivity(connector.url, data.msteams.text, { value: data }));
    expect(cardOf(await nextMessage()).speak).toMatch(/^match share1: /);
    connector.calls.length = 0;
    // A host that sends only the data as the message's value (no text) gets the same answer.
    await post(url, messageActivity(connector.url, '', { text: undefined, value: data }));
    expect(cardOf(await nextMessage()).speak).toMatch(/^match share1: /);
    expect(relay.calls.map((c) => c.who)).toEqual(['shared@contoso.com', 'share1', 'share1']);
  });
});
