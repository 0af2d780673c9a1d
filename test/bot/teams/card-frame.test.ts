/**
 * The card frame as botbuilder middleware: every card leaving the bot through the turn (replies,
 * card-action answers, replacements) gets the frame, anything else goes out unchanged, and the
 * caller's own objects are not changed.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import {
  ActivityTypes,
  BotAdapter,
  CardFactory,
  MessageFactory,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { cardFrameMiddleware } from '../../../src/bot/teams/card-frame.ts';
import type { CardFrame } from '../../../src/cards/card-parts.ts';

const frame: CardFrame = (card) => ({ ...card, body: [{ type: 'TextBlock', text: 'FRAMED', id: 'frame' }, ...(card.body ?? [])] });
const card = (text: string): IAdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] });
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

class RecordingAdapter extends BotAdapter {
  readonly sent: Partial<Activity>[] = [];
  readonly updated: Partial<Activity>[] = [];
  sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.sent.push(...activities);
    return Promise.resolve(activities.map((_, i) => ({ id: `sent-${i}` })));
  }
  updateActivity(_context: TurnContext, activity: Partial<Activity>): Promise<void> {
    this.updated.push(activity);
    return Promise.resolve();
  }
  deleteActivity(): Promise<void> {
    return Promise.resolve();
  }
  continueConversation(_reference: Partial<ConversationReference>, _logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return Promise.resolve();
  }
  turn(logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const incoming = {
      type: 'message',
      id: 'in-1',
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:1',
      conversation: { id: 'c1' },
      from: { id: 'u1' },
      recipient: { id: 'bot' },
    } as Activity;
    return this.runMiddleware(new TurnContext(this, incoming), logic);
  }
}

const firstText = (c: unknown): unknown => (c as IAdaptiveCard).body?.[0]?.text;

describe('cardFrameMiddleware', () => {
  it('frames the card of a reply, of an invoke response and of a replacement', async () => {
    const adapter = new RecordingAdapter().use(cardFrameMiddleware(frame));
    const original = card('hello');
    await adapter.turn(async (context) => {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(original), 'text'));
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { statusCode: 200, type: ADAPTIVE, value: card('answer') } },
      });
      await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card('replaced'))), id: 'sent-0' });
    });
    expect(firstText(adapter.sent[0]?.attachments?.[0]?.content)).toBe('FRAMED');
    expect((adapter.sent[0]?.attachments?.[0]?.content as IAdaptiveCard).body?.[1]).toMatchObject({ text: 'hello' });
    expect(adapter.sent[0]?.text).toBe('text');
    expect(firstText((adapter.sent[1]?.value as { body: { value: unknown } }).body.value)).toBe('FRAMED');
    expect(firstText(adapter.updated[0]?.attachments?.[0]?.content)).toBe('FRAMED');
    // The card the caller built is not changed: a shared card can be sent again.
    expect(original.body).toHaveLength(1);
  });

  it('leaves what is not a card as it is: text, typing, other attachments, an invoke response without a card', async () => {
    const adapter = new RecordingAdapter().use(cardFrameMiddleware(frame));
    const hero = CardFactory.heroCard('hero');
    const empty = { status: 200 };
    await adapter.turn(async (context) => {
      await context.sendActivity('plain');
      await context.sendActivity({ type: ActivityTypes.Typing });
      await context.sendActivity(MessageFactory.attachment(hero));
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: empty });
    });
    expect(adapter.sent[0]).toMatchObject({ type: 'message', text: 'plain' });
    expect(adapter.sent[0]?.attachments).toBeUndefined();
    expect(adapter.sent[1]).toMatchObject({ type: 'typing' });
    expect(adapter.sent[2]?.attachments?.[0]).toEqual(hero);
    expect(adapter.sent[3]?.value).toBe(empty);
  });
});
