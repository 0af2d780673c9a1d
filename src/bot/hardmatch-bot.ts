/**
 * The Teams-facing facade: a message in, one reply out. All decisions live in the router and
 * the commands; this class only adapts botbuilder's TurnContext to them.
 */
import { TeamsActivityHandler } from 'botbuilder';
import { messageText } from './message-text.ts';
import type { Reply } from './reply.ts';
import { replyToActivity } from './reply-activity.ts';

export interface HardmatchBotDeps {
  /** The router bound to its registry and dependencies. */
  route(text: string): Promise<Reply>;
}

export class HardmatchBot extends TeamsActivityHandler {
  constructor(deps: HardmatchBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      const reply = await deps.route(messageText(context.activity));
      await context.sendActivity(replyToActivity(reply));
      await next();
    });
  }
}
