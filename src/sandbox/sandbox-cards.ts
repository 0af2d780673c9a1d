/**
 * What the sandbox puts on the bot's cards (product.md): every card says SANDBOX first, and the
 * welcome card's example is a sandbox user. The sandbox composition hands both to composeBot; the
 * product's cards know nothing of the sandbox.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { text, type CardFrame } from '../cards/card-parts.ts';
import type { WelcomeExample } from '../cards/welcome-card.ts';

export const SANDBOX_MARKER_ID = 'sandbox-marker';
export const SANDBOX_MARKER_TEXT = 'SANDBOX: test data; nothing real is read or changed.';

/** The SANDBOX marker as the first thing on the card (a card already marked is left as it is). */
export const sandboxFrame: CardFrame = (card: IAdaptiveCard) => {
  const body = card.body ?? [];
  if ((body[0] as { id?: unknown } | undefined)?.id === SANDBOX_MARKER_ID) return card;
  const marker = {
    ...text(SANDBOX_MARKER_TEXT, { tone: 'warning', weight: 'bolder', size: 'small', id: SANDBOX_MARKER_ID }),
    spacing: 'none' as const,
  };
  return { ...card, body: [marker, ...body] };
};

/** The scenario user whose `match` shows a typical repair (the synced duplicate). */
export const SANDBOX_WELCOME_EXAMPLE: WelcomeExample = { command: 'match jdoe', label: 'match jdoe' };
