/**
 * `status` without an id: the open requests I made and those waiting for me. Each row has an
 * "Open <id>" button (Action.Execute refresh with that id), which the bot answers with the
 * request card for whoever pressed it. `now` is a parameter so the card stays a pure function.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import { ACTION_IDS, executeAction } from './approval-actions.ts';
import { age } from './approval-text.ts';
import { card, container, escapeMarkdown, heading, text, type BodyElement } from './card-parts.ts';
import { requestStateStyle } from './status-tones.ts';

export interface StatusListCardInput {
  mine: readonly ApprovalRequest[];
  waitingForMe: readonly ApprovalRequest[];
  /** ms since the epoch, for each request's age. */
  now: number;
}

/** Rows per list; more would push the card past Teams' size limit. */
export const MAX_STATUS_ROWS = 20;

export const STATUS_LIST_IDS = {
  mine: 'status-mine',
  waiting: 'status-waiting',
  row: (requestId: string) => `status-row-${requestId}`,
} as const;

export function statusListCard(input: StatusListCardInput): IAdaptiveCard {
  const body: BodyElement[] = [
    text('Approval requests', { size: 'large', weight: 'bolder' }),
    ...list({ title: 'Waiting for you', id: STATUS_LIST_IDS.waiting, empty: 'Nothing waiting for you.' }, input.waitingForMe, input.now),
    ...list({ title: 'Requests you made', id: STATUS_LIST_IDS.mine, empty: 'You have no open requests.' }, input.mine, input.now),
    text('Type "status <request id>" to see one request, "audit <request id>" for its audit trail.', { subtle: true }),
  ];
  const speak = input.waitingForMe.length === 0 ? 'Nothing waiting for you' : `${input.waitingForMe.length} waiting for you`;
  return card(body, { summary: speak });
}

function list(section: { title: string; id: string; empty: string }, requests: readonly ApprovalRequest[], now: number): BodyElement[] {
  const out: BodyElement[] = [{ ...heading(`${section.title} (${requests.length})`), id: section.id }];
  if (requests.length === 0) {
    out.push(text(section.empty, { subtle: true }));
    return out;
  }
  out.push(...requests.slice(0, MAX_STATUS_ROWS).map((r) => row(r, now)));
  if (requests.length > MAX_STATUS_ROWS)
    out.push(text(`And ${requests.length - MAX_STATUS_ROWS} more; the oldest are not shown.`, { subtle: true }));
  return out;
}

/** "r7k3q9 · match jdoe · requested (waiting for approval) · 12 min ago", with its Open button. */
function row(request: ApprovalRequest, now: number): BodyElement {
  const style = requestStateStyle(request.state);
  const line = `**${escapeMarkdown(request.id)}** · ${escapeMarkdown(request.command)} · ${request.state} (${style.words}) · ${age(request.requestedAt ?? request.createdAt, now)}`;
  const open = executeAction({ verb: 'refresh', requestId: request.id }, { id: ACTION_IDS.open(request.id), title: `Open ${request.id}` });
  return {
    ...container([text(line, { tone: style.tone }), { type: 'ActionSet', actions: [open] }], { id: STATUS_LIST_IDS.row(request.id) }),
    separator: true,
  };
}
