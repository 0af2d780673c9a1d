/**
 * Posting and replacing cards in conversations, including proactively (from a stored conversation
 * reference, after a restart or on another bot instance). Implemented on botbuilder's CloudAdapter
 * in src/bot/teams/messenger.ts; tests record what was sent.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { PostedCard } from '../domain/approval/types.ts';

export interface OutgoingCard {
  card: IAdaptiveCard;
  /** The one-line summary Teams shows in notifications and the feed. */
  text: string;
}

export interface Messenger {
  /** Posts a new message with the card into the conversation; answers where it was posted. */
  post(conversation: PostedCard['conversation'], message: OutgoingCard): Promise<PostedCard>;
  /** Replaces a posted card in place (updateActivity). */
  replace(posted: PostedCard, message: OutgoingCard): Promise<void>;
}
