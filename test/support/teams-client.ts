/**
 * A stand-in for Teams in front of the bot: sends messages and Action.Execute invokes as a given
 * person, in a given tenant and conversation, to `POST /api/messages`, the way Teams shapes them;
 * replies and card updates land at the recording connector.
 */
import type { RecordedCall, RecordingConnector } from './recording-connector.ts';

export interface Person {
  aadObjectId: string;
  name: string;
}

export interface ClientOptions {
  botUrl: string;
  connector: RecordingConnector;
  tenantId: string;
  person: Person;
  conversation?: { id: string; type?: 'personal' | 'groupChat' | 'channel'; name?: string };
}

export interface InvokeAnswer {
  /** HTTP status of /api/messages. */
  status: number;
  /** The invoke response's card (what replaces the clicked card for this user). */
  card: Record<string, unknown> | undefined;
  body: unknown;
}

let sequence = 0;

export function teamsClient(options: ClientOptions) {
  const conversation = options.conversation ?? { id: `personal-${options.person.aadObjectId}`, type: 'personal' as const };
  const base = (type: string) => ({
    type,
    id: `act-${process.pid}-${++sequence}`,
    channelId: 'msteams',
    serviceUrl: options.connector.url,
    from: { id: `29:${options.person.aadObjectId}`, aadObjectId: options.person.aadObjectId, name: options.person.name },
    recipient: { id: '28:hardmatch', name: 'Hardmatch' },
    conversation: {
      id: conversation.id,
      conversationType: conversation.type ?? 'personal',
      tenantId: options.tenantId,
      ...(conversation.name ? { name: conversation.name } : {}),
    },
    channelData: { tenant: { id: options.tenantId } },
  });
  const post = (activity: unknown) =>
    fetch(`${options.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  return {
    conversationId: conversation.id,
    /** Sends `text`; answers the bot's reply (the new message posted to this conversation). */
    async say(text: string): Promise<{ card: Record<string, unknown>; activityId: string; call: RecordedCall }> {
      const before = options.connector.calls.length;
      const res = await post({ ...base('message'), text });
      if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}: ${await res.text()}`);
      const deadline = Date.now() + 15_000;
      for (;;) {
        // The reply is the message, not the typing indicator the bot may send before it.
        const call = options.connector.calls
          .slice(before)
          .find((c) => c.method === 'POST' && c.conversationId === conversation.id && c.body.type !== 'typing');
        if (call) {
          const attachments = call.body.attachments as { content: Record<string, unknown> }[] | undefined;
          const card = attachments?.[0]?.content ?? {};
          return { card, activityId: `recorded-${options.connector.calls.indexOf(call) + 1}`, call };
        }
        if (Date.now() > deadline) throw new Error(`no reply to "${text}" within 15 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Clicks an Action.Execute: `data` as the card carries it, card inputs merged in (as Teams does). */
    async invoke(verb: string, data: Record<string, unknown>, override: Record<string, unknown> = {}): Promise<InvokeAnswer> {
      const activity = {
        ...base('invoke'),
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data } },
        ...override,
      };
      return answerOf(await post(activity));
    },
    /** Sends a raw activity (replays, forged ones). */
    async raw(activity: Record<string, unknown>): Promise<InvokeAnswer> {
      return answerOf(await post({ ...base('invoke'), ...activity }));
    },
    base,
  };
}

async function answerOf(res: Response): Promise<InvokeAnswer> {
  const text = await res.text();
  const body = text === '' ? undefined : (JSON.parse(text) as unknown);
  const value = (body as { value?: unknown } | undefined)?.value;
  return { status: res.status, card: value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined, body };
}
