/**
 * One turn as commands and actions see it: who is asking (from the activity, never from card
 * data), in which tenant and conversation. Plain data, so handlers and their tests never see
 * botbuilder.
 */
import type { Actor, PostedCard } from '../domain/approval/types.ts';

export type ConversationType = 'personal' | 'groupChat' | 'channel';

export interface Turn {
  /** The message text with the bot's @mention removed ('' for an invoke). */
  text: string;
  /** `from.aadObjectId` and `from.name`; aadObjectId is '' when the channel sent none. */
  actor: Actor;
  /** The tenant the activity came from ('' when it named none). */
  tenantId: string;
  conversation: {
    id: string;
    type: ConversationType;
    name?: string;
    /** The Bot Framework conversation reference, for posting into this conversation later. */
    reference: PostedCard['conversation'];
  };
  /** The inbound activity's id (replay protection). */
  activityId?: string;
  /** Files attached to the message (Teams delivers them in 1:1 chats only), e.g. a CSV for `scan`. */
  files?: AttachedFile[];
}

/** A file attached to a message: Teams' `file.download.info` (a pre-authorised download URL). */
export interface AttachedFile {
  name: string;
  /** Short-lived, pre-authorised URL the bot downloads the content from. */
  downloadUrl: string;
  /** The extension Teams reports (`csv`), lower case; '' when it said none. */
  fileType: string;
}

/** A turn with nobody behind it (tests and callers that route text alone). */
export function anonymousTurn(text: string): Turn {
  return {
    text,
    actor: { aadObjectId: '', name: '(unknown user)' },
    tenantId: '',
    conversation: { id: '', type: 'personal', reference: {} },
  };
}
