/** A short card for a state that is not an error: e.g. a command that this version does not have yet. */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { card, notice, type Tone } from './card-parts.ts';

export interface NoticeCardInput {
  tone: Tone;
  title: string;
  text: string;
}

export function noticeCard(input: NoticeCardInput): IAdaptiveCard {
  return card([notice({ tone: input.tone, title: input.title, text: input.text })], { summary: input.title });
}
