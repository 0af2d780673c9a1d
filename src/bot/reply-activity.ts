import { CardFactory, MessageFactory } from 'botbuilder';
import type { Activity } from 'botbuilder';
import type { Reply } from './reply.ts';

/**
 * Our Reply as a Bot Framework message: the card as an Adaptive Card attachment, text alongside,
 * and always a one-line `summary`: what Teams shows in the notification, the activity feed and the
 * chat list instead of "Sent a card". A card's summary is its `speak` line (every card has one,
 * see cards/card-parts.ts); a text reply's is its text.
 */
export function replyToActivity(reply: Reply): Partial<Activity> {
  if (reply.card) {
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(reply.card), reply.text);
    const summary = summaryOf(reply);
    return summary ? { ...activity, summary } : activity;
  }
  return { ...MessageFactory.text(reply.text ?? ''), summary: oneLine(reply.text ?? '') };
}

/** The reply's one line: the card's `speak`, else its text; line breaks folded. */
export function summaryOf(reply: Reply): string {
  return oneLine(reply.card?.speak ?? reply.text ?? '');
}

/** Notifications show one line: fold breaks, and keep it short enough not to be cut mid-word by Teams. */
const SUMMARY_LIMIT = 200;

function oneLine(value: string): string {
  const folded = value.replace(/\s+/g, ' ').trim();
  return folded.length > SUMMARY_LIMIT ? `${folded.slice(0, SUMMARY_LIMIT - 1)}…` : folded;
}
