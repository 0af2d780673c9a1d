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
    let result: T | undefined;
    let done = false;
    await adapter.continueConversationAsync(botAppId, reference, async (context) => {
      result = await logic(context);
      done = true;
    });
    if (!done) throw new Error('the Bot Connector did not run the proactive turn');
    return result as T;
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
        await context.updateActivity({ ...activityOf(message), id: posted.activityId });
      });
    },
  };
}
