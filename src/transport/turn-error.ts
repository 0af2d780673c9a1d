import type { TurnContext } from 'botbuilder';
import { errorCard } from '../cards/error-card.ts';
import { replyToActivity } from '../bot/reply-activity.ts';
import { toUserText } from '../errors/index.ts';
import type { Logger } from '../logging/logger.ts';

/**
 * The adapter's last line of defence: an error no command handled. The full error (stack
 * included) goes to the log; the user gets the `toUserText` words and code, never the stack.
 */
export function createTurnErrorHandler(deps: { logger: Logger }) {
  return async (context: TurnContext, err: unknown): Promise<void> => {
    const activity = context.activity;
    deps.logger.error(
      { err, activityId: activity.id, conversationId: activity.conversation?.id, activityType: activity.type },
      'turn failed',
    );
    try {
      await context.sendActivity(replyToActivity({ card: errorCard(toUserText(err)) }));
    } catch (sendErr) {
      deps.logger.error({ err: sendErr, conversationId: activity.conversation?.id }, 'could not send the error reply');
    }
  };
}
