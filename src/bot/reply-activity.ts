import { CardFactory, MessageFactory } from 'botbuilder';
import type { Activity } from 'botbuilder';
import type { Reply } from './reply.ts';

/** Our Reply as a Bot Framework message: the card as an Adaptive Card attachment, text alongside. */
export function replyToActivity(reply: Reply): Partial<Activity> {
  if (reply.card) {
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(reply.card), reply.text);
    return activity;
  }
  return MessageFactory.text(reply.text ?? '');
}
