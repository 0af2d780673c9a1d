/** `approvals` / `approvals here`: where new approval requests are posted besides the requester's chat. */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { isoTime } from './approval-text.ts';
import { card, escapeMarkdown, facts, text, type BodyElement } from './card-parts.ts';

export interface ApprovalsPlace {
  conversationName?: string;
  /** Bot Framework's conversationType: `channel`, `groupChat` or `personal`. */
  conversationType: string;
  /** The name of the admin who typed `approvals here`. */
  setBy: string;
  /** ms since the epoch. */
  setAt: number;
}

export const APPROVALS_PLACE_IDS = { place: 'approvals-place' } as const;

const KIND_WORDS: Readonly<Record<string, string>> = { channel: 'channel', groupChat: 'group chat', personal: 'personal chat' };

export function approvalsPlaceCard(input: { place: ApprovalsPlace | null }): IAdaptiveCard {
  const { place } = input;
  const body: BodyElement[] = [text('Where approval requests go', { size: 'medium', weight: 'bolder' })];
  if (!place) {
    body.push(
      text(
        'No approvals place is set: new requests appear only in the requester\'s chat, and approvers pull them with "status <request id>".',
        { id: APPROVALS_PLACE_IDS.place },
      ),
      text('An admin types "approvals here" in a channel or group chat to have new requests posted there too.', { subtle: true }),
    );
    return card(body, { summary: 'No approvals place is set' });
  }
  const kind = KIND_WORDS[place.conversationType] ?? place.conversationType;
  const where = place.conversationName
    ? `the ${kind} "${escapeMarkdown(place.conversationName)}"`
    : `a ${escapeMarkdown(kind)} (its name is not known to the bot)`;
  body.push(
    text(`New approval requests are also posted to ${where}.`, { id: APPROVALS_PLACE_IDS.place }),
    facts([
      ['Set by', place.setBy],
      ['Set at', isoTime(place.setAt)],
    ]),
    text(
      'Type "approvals here" in another channel or group chat to move it. Any admin can always pull a request with "status <request id>".',
      { subtle: true },
    ),
  );
  return card(body, { summary: 'Where approval requests go' });
}
