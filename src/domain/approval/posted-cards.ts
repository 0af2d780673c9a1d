/**
 * Where a request's card was posted, kept bounded: every `status <id>` posts another copy, and
 * every copy is replaced at each change, so an unbounded list would make each change cost more
 * Teams calls and grow the stored request until Table Storage refuses it (1 MiB per entity),
 * the engine's writes included. The newest copies win: at most a few per conversation and a
 * fixed number in all; an older copy stops being updated (it still shows its state and the id).
 */
import type { PostedCard } from './types.ts';

/** Copies kept per conversation: a reply, a refresh, one more. */
export const MAX_COPIES_PER_CONVERSATION = 3;
/** Copies kept in all. */
export const MAX_COPIES = 12;

/** `cards` with `posted` added as the newest (no change when it is already there), bounded. */
export function withPostedCard(cards: readonly PostedCard[], posted: PostedCard): PostedCard[] {
  if (cards.some((c) => c.activityId === posted.activityId)) return [...cards];
  const newestFirst = [posted, ...[...cards].reverse()];
  const perConversation = new Map<string, number>();
  const kept = newestFirst.filter((card) => {
    const key = conversationKey(card);
    const count = perConversation.get(key) ?? 0;
    perConversation.set(key, count + 1);
    return count < MAX_COPIES_PER_CONVERSATION;
  });
  return kept.slice(0, MAX_COPIES).reverse();
}

/** The conversation id of a stored reference, or the whole reference when it has none. */
export function conversationKey(posted: PostedCard): string {
  const conversation = posted.conversation['conversation'];
  if (typeof conversation === 'object' && conversation !== null && 'id' in conversation && typeof conversation.id === 'string')
    return conversation.id;
  return JSON.stringify(posted.conversation);
}
