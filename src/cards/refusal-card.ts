/**
 * A refused action or an unknown request id: the refusal's own sentence (which names who and
 * when, e.g. "Already approved by Ben Approver at 2026-12-01T14:02:00Z"), its code, and, when the
 * request is known, which request and its state, so the admin sees why without opening it.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import { card, escapeMarkdown, notice, text, type BodyElement } from './card-parts.ts';
import { requestStateStyle } from './status-tones.ts';

export const REFUSAL_CARD_IDS = { notice: 'refusal-notice', request: 'refusal-request' } as const;

export interface RefusalCardInput {
  /** A RefusalCode, or the code of an unknown id / other error. */
  code: string;
  message: string;
  request?: ApprovalRequest;
}

export function refusalCard(input: RefusalCardInput): IAdaptiveCard {
  const body: BodyElement[] = [
    notice({ tone: 'error', title: 'Not done', text: input.message, code: input.code, id: REFUSAL_CARD_IDS.notice }),
  ];
  const request = input.request;
  if (request) {
    const style = requestStateStyle(request.state);
    body.push(
      text(`Request ${escapeMarkdown(request.id)} · ${escapeMarkdown(request.command)} · State: ${request.state} (${style.words})`, {
        tone: style.tone,
        id: REFUSAL_CARD_IDS.request,
      }),
      text(`Type "status ${escapeMarkdown(request.id)}" to see it as it is now.`, { subtle: true }),
    );
  }
  return card(body, { summary: input.message });
}
