/**
 * The Teams-facing facade: a message becomes one command, an Action.Execute invoke one action, and
 * the answer goes back (with "typing" shown meanwhile when the command reads the relay or Graph);
 * being added to a chat or team posts the welcome card. All decisions live in the router, the commands and the actions; this class
 * only adapts botbuilder's TurnContext to them (the Turn), sends, and records where a request's
 * card was posted so every copy can be replaced later.
 */
import {
  ActivityTypes,
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { cardReply, type Reply } from './reply.ts';
import { replyToActivity } from './reply-activity.ts';
import type { Turn } from './turn.ts';
import { turnOf } from './teams/turn-of.ts';
import { activityTenant } from './teams/activity-tenant.ts';

export interface HardmatchBotDeps {
  /** The router bound to its registry and dependencies. */
  route(text: string, turn: Turn): Promise<Reply>;
  /** The action router; absent when approval is not wired (the card then says so). */
  act?(invoke: { verb: unknown; data: unknown }, turn: Turn): Promise<IAdaptiveCard>;
  /**
   * Refuses an invoke seen before (a replay or a redelivery): answers the card to show instead,
   * or undefined when the invoke is new.
   */
  refuseReplay?(turn: Turn): Promise<IAdaptiveCard | undefined>;
  /** The card for an error an action did not handle (logged by the caller). */
  errorCard?(err: unknown): IAdaptiveCard;
  /** Records that `reply` (which names a request) was posted as `activityId` in this conversation. */
  posted?(requestId: string, turn: Turn, activityId: string): Promise<void>;
  /** True when the message's command asks the relay or Graph before answering: the chat then shows "typing". */
  showsTyping?(text: string): boolean;
  /** The card posted when the bot itself is added to a personal chat, group chat or team. */
  welcome?(turn: Turn): IAdaptiveCard;
  /** A failure nobody waits for (the typing indicator); logged, never shown. */
  backgroundError?(err: unknown, what: string): void;
}

const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';

export class HardmatchBot extends TeamsActivityHandler {
  readonly #deps: HardmatchBotDeps;

  constructor(deps: HardmatchBotDeps) {
    super();
    this.#deps = deps;
    this.onMessage(async (context, next) => {
      const turn = turnOf(context.activity, activityTenant(context.activity));
      if (deps.showsTyping?.(turn.text)) this.#typing(context);
      const reply = await deps.route(turn.text, turn);
      const sent = await context.sendActivity(replyToActivity(reply));
      if (reply.requestId && sent?.id && deps.posted) await deps.posted(reply.requestId, turn, sent.id);
      if (reply.onPosted && sent?.id) await reply.onPosted({ conversation: turn.conversation.reference, activityId: sent.id });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const self = context.activity.recipient?.id;
      if (deps.welcome && self && (context.activity.membersAdded ?? []).some((m) => m.id === self)) {
        const turn = turnOf(context.activity, activityTenant(context.activity));
        await context.sendActivity(replyToActivity(cardReply(deps.welcome(turn))));
      }
      await next();
    });
  }

  /**
   * "Typing…" while the relay or Graph works. Fire-and-forget: the command starts at once, in
   * parallel with this send, and never waits for it; a failure is only logged.
   */
  #typing(context: TurnContext): void {
    setImmediate(() => {
      try {
        context.sendActivity({ type: ActivityTypes.Typing }).catch((err: unknown) => this.#deps.backgroundError?.(err, 'typing indicator'));
      } catch (err) {
        this.#deps.backgroundError?.(err, 'typing indicator');
      }
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const turn = turnOf(context.activity, activityTenant(context.activity));
    if (!this.#deps.act) return super.onAdaptiveCardInvoke(context, invokeValue);
    let card: IAdaptiveCard;
    try {
      const refused = await this.#deps.refuseReplay?.(turn);
      card = refused ?? (await this.#deps.act({ verb: invokeValue.action?.verb, data: invokeValue.action?.data }, turn));
    } catch (err) {
      // The invoke still answers a card (the clicked card is replaced by it), never an empty response.
      if (!this.#deps.errorCard) throw err;
      card = this.#deps.errorCard(err);
    }
    return { statusCode: 200, type: CARD_RESPONSE, value: card as unknown as Record<string, unknown> };
  }
}
