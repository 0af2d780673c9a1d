/** What a command answers: our own type, so commands and their tests never see botbuilder. */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { PostedCard } from '../domain/approval/types.ts';

export type Reply = ({ text: string; card?: IAdaptiveCard } | { text?: string; card: IAdaptiveCard }) & {
  /** Set when the card shows an approval request: where it is posted is recorded on the request. */
  requestId?: string;
  /** Told where the reply was posted (a scan's card, replaced in place as the scan goes on). */
  onPosted?: (posted: PostedCard) => Promise<void>;
};

export function cardReply(card: IAdaptiveCard): Reply {
  return { card };
}
