/** `status`: my open requests and those waiting for me, each with an Open button (its card for me). */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import { stateInWords } from '../domain/approval/view.ts';
import { card, escapeMarkdown, heading, text, type BodyElement } from './card-parts.ts';

export interface StatusListInput {
  mine: readonly ApprovalRequest[];
  waitingForMe: readonly ApprovalRequest[];
  sandbox: boolean;
  now: number;
}

function age(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

function line(request: ApprovalRequest, now: number): BodyElement {
  return {
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          text(`${request.id} · ${escapeMarkdown(request.command)}`, { weight: 'bolder' }),
          text(`${stateInWords(request.state)} · ${age(now - request.updatedAt)}`, { subtle: true }),
        ],
      },
      {
        type: 'Column',
        width: 'auto',
        items: [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', title: `Open ${request.id}`, verb: 'refresh', data: { verb: 'refresh', requestId: request.id } }] }],
      },
    ],
  } as BodyElement;
}

export function statusListCard(input: StatusListInput): IAdaptiveCard {
  const body: BodyElement[] = [heading('Waiting for you')];
  if (input.waitingForMe.length === 0) body.push(text('Nothing is waiting for you.', { subtle: true }));
  for (const r of input.waitingForMe) body.push(line(r, input.now));
  body.push(heading('Your open requests'));
  if (input.mine.length === 0) body.push(text('You have no open requests. Run "match <who>" and press Request approval to make one.', { subtle: true }));
  for (const r of input.mine) body.push(line(r, input.now));
  return card(body, { sandbox: input.sandbox });
}
