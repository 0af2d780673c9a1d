/**
 * The request card (product.md, "Two-person approval"): one approval request as a given person
 * sees it. The server decides the role and the buttons (`view`); the card shows the request's
 * state in words, who asked and decided, the plan with each step's outcome, what to do after a
 * failure, the verified sync state at the end, and the audit summary. It refreshes itself for
 * `refreshUserIds` (Universal Actions), so every copy shows the stored truth to each viewer.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { ActionVerb, ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditEntry, ChainVerdict } from '../domain/audit/types.ts';
import {
  ACTION_IDS,
  cardRefresh,
  executeAction,
  refreshAction,
  rejectAction,
  requestApprovalAction,
  type CardAction,
} from './approval-actions.ts';
import { approvalsMissing } from './approval-text.ts';
import { card, escapeMarkdown, plural, text, type BodyElement } from './card-parts.ts';
import { diagnosisSummary } from './match-card.ts';
import { bulkRequestSections } from './bulk-request-sections.ts';
import {
  auditSection,
  failureSection,
  peopleSection,
  REQUEST_CARD_IDS,
  stateLine,
  stepsSection,
  verifiedSection,
  waitingSection,
  leftoversSection,
  waitingStep,
} from './request-sections.ts';
import { requestStateStyle } from './status-tones.ts';

export { REQUEST_CARD_IDS } from './request-sections.ts';

export interface RequestView {
  role: 'requester' | 'approver' | 'viewer';
  /** The buttons this person may press now (refresh is always added). */
  actions: readonly ActionVerb[];
  /** One line on top for this person, e.g. "Waiting for a second admin". */
  headline: string;
}

export interface RequestCardInput {
  request: ApprovalRequest;
  view: RequestView;
  audit: { entries: readonly AuditEntry[]; verdict: ChainVerdict };
  /** Who gets the card refreshed automatically (at most 60 are kept: Teams' limit). */
  refreshUserIds: readonly string[];
  /** REQUIRED_APPROVALS. */
  requiredApprovals: number;
}

export function requestCard(input: RequestCardInput): IAdaptiveCard {
  return renderRequestCard(input, []);
}

/** The request card with `lead` elements on top (the approvers' notice uses this). */
export function renderRequestCard(input: RequestCardInput, lead: readonly BodyElement[]): IAdaptiveCard {
  const { request } = input;
  const body: BodyElement[] = [
    ...lead,
    text(escapeMarkdown(input.view.headline), {
      size: 'medium',
      weight: 'bolder',
      tone: requestStateStyle(request.state).tone,
      id: REQUEST_CARD_IDS.headline,
    }),
    text(titleLine(request), { weight: 'bolder', id: REQUEST_CARD_IDS.title }),
    stateLine(request),
    ...(request.bulk ? bulkRequestSections(request, request.bulk) : diagnosisSummary(request.diagnosis)),
    ...peopleSection(request, input.requiredApprovals),
    ...waitingSection(request),
    ...failureSection(request),
    ...stepsSection(request),
    ...leftoversSection(request),
    ...verifiedSection(request),
    ...auditSection(input.audit, request.id),
  ];
  const built = card(body, { summary: requestSummaryText(request, input.requiredApprovals) });
  return {
    ...built,
    actions: actionsFor(request, input.view.actions),
    refresh: cardRefresh(request.id, input.refreshUserIds),
  };
}

/** "Request r7k3q9 · match jdoe", or for an undo "Request u2b8x1 · undo r7k3q9". */
function titleLine(request: ApprovalRequest): string {
  return `Request ${escapeMarkdown(request.id)} · ${escapeMarkdown(request.command)}`;
}

/** The buttons in a fixed order whatever order the server lists them in; refresh always last. */
const ORDER: readonly ActionVerb[] = ['requestApproval', 'approve', 'reject', 'manualDone', 'cancel'];

function actionsFor(request: ApprovalRequest, verbs: readonly ActionVerb[]): CardAction[] {
  const id = request.id;
  const out: CardAction[] = [];
  for (const verb of ORDER.filter((v) => verbs.includes(v))) {
    if (verb === 'requestApproval') out.push(requestApprovalAction(id, { exclude: request.kind === 'bulk' && !request.undoOf }));
    if (verb === 'approve')
      out.push(executeAction({ verb: 'approve', requestId: id }, { id: ACTION_IDS.approve, title: 'Approve', style: 'positive' }));
    if (verb === 'reject') out.push(rejectAction(id));
    if (verb === 'cancel') out.push(executeAction({ verb: 'cancel', requestId: id }, { id: ACTION_IDS.cancel, title: 'Cancel request' }));
    if (verb === 'manualDone') {
      // Only a waiting MANUAL step can be answered; without one there is no step number to send.
      const step = waitingStep(request);
      if (step)
        out.push(
          executeAction(
            { verb: 'manualDone', requestId: id, step: step.number },
            { id: ACTION_IDS.manualDone, title: `Done: step ${step.number}` },
          ),
        );
    }
  }
  out.push(refreshAction(id));
  return out;
}

/**
 * One line for a notification preview or a fallback text:
 * "Request r7k3q9 · match asmith · State: requested · waiting for 1 approval".
 * Plain text (not markdown): previews show it as it is.
 */
export function requestSummaryText(request: ApprovalRequest, requiredApprovals: number): string {
  const parts = [`Request ${request.id}`, request.command, `State: ${request.state}`];
  const missing = approvalsMissing(request, requiredApprovals);
  if (request.state === 'requested' && missing > 0) parts.push(`waiting for ${plural(missing, 'approval')}`);
  else if (request.state === 'waiting-for-person') {
    const step = waitingStep(request);
    parts.push(step ? `step ${step.number} waits for a person` : requestStateStyle(request.state).words);
  } else parts.push(requestStateStyle(request.state).words);
  return parts.join(' · ');
}
