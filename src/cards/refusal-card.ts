/**
 * A refused card action or command (not an admin, own request, expired, unknown id, a replay...):
 * the refusal in plain words, with the request's state when there is one. Changes nothing.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import { stateInWords } from '../domain/approval/view.ts';
import { card, escapeMarkdown, notice, text, type BodyElement } from './card-parts.ts';

export const REFUSAL_NOTICE_ID = 'refusal-notice';

export interface RefusalCardInput {
  code: string;
  message: string;
  request?: ApprovalRequest;
  sandbox: boolean;
}

export function refusalCard(input: RefusalCardInput): IAdaptiveCard {
  const body: BodyElement[] = [notice({ tone: 'error', title: 'Nothing was changed', text: input.message, code: input.code, id: REFUSAL_NOTICE_ID })];
  if (input.request) {
    body.push(text(`Request ${input.request.id} · ${escapeMarkdown(input.request.command)}`, { weight: 'bolder' }));
    body.push(text(stateInWords(input.request.state), { subtle: true }));
    body.push(text(`Type "status ${input.request.id}" to see it with the buttons you may use.`, { subtle: true }));
  }
  return card(body, { sandbox: input.sandbox });
}
