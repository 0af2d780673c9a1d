/**
 * What is posted proactively where approvers look (the `approvals here` place) when a request is
 * made. It is the approver view of the request card with a heading line on top, not a second
 * design: the same facts, the same Approve / Reject buttons, and it refreshes in place like every
 * other copy. It also says how to pull the request privately, because a channel post is seen by
 * people who are not admins and the buttons answer only admins.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ActionVerb } from '../domain/approval/types.ts';
import { actorName } from './approval-text.ts';
import { escapeMarkdown, text } from './card-parts.ts';
import { renderRequestCard, type RequestCardInput } from './request-card.ts';

export const APPROVERS_NOTICE_IDS = { lead: 'approvers-notice-lead', how: 'approvers-notice-how' } as const;

/** The approver's buttons on a new request. */
export const APPROVER_ACTIONS: readonly ActionVerb[] = ['approve', 'reject'];

export type ApproversNoticeInput = Omit<RequestCardInput, 'view'>;

export function approversNoticeCard(input: ApproversNoticeInput): IAdaptiveCard {
  const { request } = input;
  const id = escapeMarkdown(request.id);
  const lead = [
    text(`New approval request from ${actorName(request.requester ?? request.proposedBy)}`, {
      size: 'large',
      weight: 'bolder',
      id: APPROVERS_NOTICE_IDS.lead,
    }),
    text(
      `Type "status ${id}" in your chat with Hardmatch to act on it privately, or use the buttons below. The requester cannot approve their own request.`,
      {
        subtle: true,
        id: APPROVERS_NOTICE_IDS.how,
      },
    ),
  ];
  return renderRequestCard(
    { ...input, view: { role: 'approver', actions: APPROVER_ACTIONS, headline: 'Waiting for a second admin to approve' } },
    lead,
  );
}
