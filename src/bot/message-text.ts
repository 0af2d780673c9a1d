import { TurnContext } from 'botbuilder';
import type { Activity } from 'botbuilder';

/**
 * The command text of a message: the bot's own @mention removed (Teams puts `<at>Bot</at>` into
 * the text in channels and group chats). Works on a copy, because botbuilder's helper rewrites
 * `activity.text` in place.
 */
export function messageText(activity: Partial<Activity>): string {
  if (typeof activity.text !== 'string') return '';
  if (!activity.recipient) return activity.text;
  const copy: Partial<Activity> = { ...activity };
  return TurnContext.removeRecipientMention(copy) ?? '';
}
