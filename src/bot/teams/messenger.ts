/**
 * The Messenger on botbuilder's CloudAdapter: posts and replaces cards from a stored conversation
 * reference (`continueConversationAsync`), so any bot instance can update any copy of a card,
 * also after a restart. The one place outside the transport that talks to the Bot Connector.
 */
import { CardFactory, MessageFactory, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { PostedCard } from '../../domain/approval/types.ts';
import type { Messenger, OutgoingCard } from '../../ports/messenger.ts';

export function createMessenger(adapter: CloudAdapter, botAppId: string): Messenger {
  const within = async <T>(reference: PostedCard['conversation'], logic: (context: TurnContext) => Promise<T>): Promise<T> => {
    // Errors are caught inside the proactive turn: left to the adapter, its onTurnError would post
    // an error card into the very conversation whose card could not be replaced.
    let outcome: { ok: true; value: T } | { ok: false; err: unknown } | undefined;
    await adapter.continueConversationAsync(botAppId, reference, async (context) => {
      try {
        outcome = { ok: true, value: await logic(context) };
      } catch (err) {
        outcome = { ok: false, err };
      }
    });
    if (!outcome) throw new Error('the Bot Connector did not run the proactive turn');
    if (!outcome.ok) throw outcome.err instanceof Error ? outcome.err : new Error(String(outcome.err));
    return outcome.value;
  };
  const activityOf = (message: OutgoingCard) => MessageFactory.attachment(CardFactory.adaptiveCard(message.card), message.text);
  return {
    async post(conversation, message) {
      const id = await within(conversation, async (context) => {
        const sent = await context.sendActivity(activityOf(message));
        return sent?.id;
      });
      if (!id) throw new Error('the Bot Connector answered no activity id for the posted card');
      return { conversation, activityId: id };
    },
    async replace(posted, message) {
      await within(posted.conversation, async (context) => {
        // Only the card: Teams refuses an update carrying text and an attachment ("multiple skype activities").
        await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(message.card)), id: posted.activityId });
      });
    },
  };
}
