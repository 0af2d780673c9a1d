/**
 * A card frame (cards/card-parts.ts `CardFrame`) applied where every card leaves the bot: as
 * botbuilder middleware on the adapter, so replies, card-action answers (invoke responses), the
 * turn-error card and the Messenger's proactive posts and replacements all pass through it, and
 * no handler needs to know a frame exists. Production installs none.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { Activity, Attachment, Middleware } from 'botbuilder';
import type { CardFrame } from '../../cards/card-parts.ts';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

function framedAttachments(attachments: Attachment[] | undefined, frame: CardFrame): Attachment[] | undefined {
  return attachments?.map((a) => (a.contentType === ADAPTIVE_CARD && a.content ? { ...a, content: frame(a.content as IAdaptiveCard) } : a));
}

/** An invoke response carrying a card (Action.Execute's answer) gets the frame on that card. */
function framedInvokeValue(value: unknown, frame: CardFrame): unknown {
  const body = (value as { body?: { type?: unknown; value?: unknown } } | undefined)?.body;
  if (body?.type !== ADAPTIVE_CARD || !body.value) return value;
  return { ...(value as object), body: { ...body, value: frame(body.value as IAdaptiveCard) } };
}

/** Frames, in place, the cards of an outgoing activity (botbuilder hands its own copy to the handlers). */
function frameActivity(activity: Partial<Activity>, frame: CardFrame): void {
  if (activity.attachments) activity.attachments = framedAttachments(activity.attachments, frame) ?? [];
  if (activity.type === 'invokeResponse') activity.value = framedInvokeValue(activity.value, frame);
}

export function cardFrameMiddleware(frame: CardFrame): Middleware {
  return {
    async onTurn(context, next) {
      context.onSendActivities(async (_context, activities, send) => {
        for (const activity of activities) frameActivity(activity, frame);
        return send();
      });
      context.onUpdateActivity(async (_context, activity, update) => {
        frameActivity(activity, frame);
        return update();
      });
      await next();
    },
  };
}
