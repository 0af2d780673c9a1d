/** `approvals` / `approvals here`: where new approval requests are posted. */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { card, escapeMarkdown, text } from './card-parts.ts';

export interface ApprovalsPlaceInput {
  place: { conversationName?: string; conversationType: string; setBy: string; setAt: number } | null;
  sandbox: boolean;
}

export function approvalsPlaceCard(input: ApprovalsPlaceInput): IAdaptiveCard {
  const { place } = input;
  const lines = place
    ? [
        text('New approval requests are posted here too:', { weight: 'bolder' }),
        text(`${escapeMarkdown(place.conversationName ?? `this ${place.conversationType === 'channel' ? 'channel' : 'group chat'}`)} (${place.conversationType}), chosen by ${escapeMarkdown(place.setBy)} at ${new Date(place.setAt).toISOString()}.`),
      ]
    : [text('New approval requests are not posted anywhere yet.', { weight: 'bolder' }), text('An admin types "approvals here" in a channel or group chat the bot is in to have them posted there.')];
  lines.push(text('Wherever they are posted, any admin can open a request with "status <request id>" in their own chat with Hardmatch.', { subtle: true }));
  return card(lines, { sandbox: input.sandbox });
}
