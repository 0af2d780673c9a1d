/**
 * The buttons of the approval cards. Each Action.Execute carries exactly the verb and the request
 * id (and, for manualDone, the step number): all state lives on the server, which looks the
 * request up and takes the actor from the activity (product.md, "Two-person approval"). The only
 * other things the client sends are the two inputs, `justification` and `reason`, whose limits
 * come from the domain so the card and the server's check agree.
 */
import type { IAdaptiveCard, IExecuteAction, IShowCardAction, ITextInput } from 'adaptivecards/lib/schema.js';
import { JUSTIFICATION_LIMITS, REASON_LIMITS, type ActionVerb } from '../domain/approval/types.ts';
import { CARD_SCHEMA, CARD_VERSION, container } from './card-parts.ts';

export type CardAction = NonNullable<IAdaptiveCard['actions']>[number];

export const ACTION_IDS = {
  requestApproval: 'action-request-approval',
  requestApprovalSubmit: 'action-request-approval-submit',
  approve: 'action-approve',
  reject: 'action-reject',
  rejectSubmit: 'action-reject-submit',
  cancel: 'action-cancel',
  manualDone: 'action-manual-done',
  refresh: 'action-refresh',
  open: (requestId: string) => `action-open-${requestId}`,
} as const;

export const INPUT_IDS = { justification: 'justification', reason: 'reason', exclude: 'exclude' } as const;

/** `{ verb, requestId }`, plus `step` for manualDone: nothing else, ever. */
export type ExecuteData =
  { verb: Exclude<ActionVerb, 'manualDone'>; requestId: string } | { verb: 'manualDone'; requestId: string; step: number };

export function executeAction(
  data: ExecuteData,
  options: { id: string; title: string; style?: 'positive' | 'destructive' },
): IExecuteAction {
  return {
    type: 'Action.Execute',
    id: options.id,
    title: options.title,
    verb: data.verb,
    data,
    ...(options.style ? { style: options.style } : {}),
  };
}

/** A length check the renderer runs before sending: any characters, line breaks included. */
export function lengthRegex(limits: { min: number; max: number }): string {
  return `^[\\s\\S]{${limits.min},${limits.max}}$`;
}

function textInput(input: {
  id: string;
  label: string;
  placeholder: string;
  limits: { min: number; max: number };
  errorMessage: string;
}): ITextInput {
  return {
    type: 'Input.Text',
    id: input.id,
    label: input.label,
    placeholder: input.placeholder,
    isMultiline: true,
    isRequired: true,
    regex: lengthRegex(input.limits),
    maxLength: input.limits.max,
    errorMessage: input.errorMessage,
  };
}

/** A button that opens a small card with its inputs and the button that sends them. */
function showCardWith(inputs: ITextInput[], show: { id: string; title: string }, send: IExecuteAction): IShowCardAction {
  return {
    type: 'Action.ShowCard',
    id: show.id,
    title: show.title,
    card: { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body: [container(inputs)], actions: [send] },
  };
}

/**
 * "Request approval": asks for the justification (10..500 characters), then sends requestApproval.
 * On a bulk request also for the users to leave out (optional, one sAMAccountName or DN per line).
 */
export function requestApprovalAction(requestId: string, options: { exclude?: boolean } = {}): IShowCardAction {
  const { min, max } = JUSTIFICATION_LIMITS;
  const input = textInput({
    id: INPUT_IDS.justification,
    label: 'Why is this change needed?',
    placeholder: `Justification for the approver (${min} to ${max} characters), e.g. the ticket number`,
    limits: JUSTIFICATION_LIMITS,
    errorMessage: `Write a justification of ${min} to ${max} characters.`,
  });
  const send = executeAction({ verb: 'requestApproval', requestId }, { id: ACTION_IDS.requestApprovalSubmit, title: 'Send for approval' });
  const exclude: ITextInput = {
    type: 'Input.Text',
    id: INPUT_IDS.exclude,
    label: 'Leave these users out (optional)',
    placeholder: 'One sAMAccountName or DN per line, as the report lists them',
    isMultiline: true,
  };
  return showCardWith(options.exclude ? [input, exclude] : [input], { id: ACTION_IDS.requestApproval, title: 'Request approval' }, send);
}

/** "Reject": asks for the reason (1..500 characters), then sends reject. */
export function rejectAction(requestId: string): IShowCardAction {
  const { max } = REASON_LIMITS;
  const input = textInput({
    id: INPUT_IDS.reason,
    label: 'Why do you reject it?',
    placeholder: `Reason for the requester (up to ${max} characters)`,
    limits: REASON_LIMITS,
    errorMessage: `Write a reason of 1 to ${max} characters.`,
  });
  const send = executeAction({ verb: 'reject', requestId }, { id: ACTION_IDS.rejectSubmit, title: 'Reject', style: 'destructive' });
  return showCardWith([input], { id: ACTION_IDS.reject, title: 'Reject' }, send);
}

export function refreshAction(requestId: string): IExecuteAction {
  return executeAction({ verb: 'refresh', requestId }, { id: ACTION_IDS.refresh, title: 'Refresh' });
}

/** Teams refreshes a card automatically for at most 60 users. */
export const MAX_REFRESH_USERS = 60;

export interface CardRefresh {
  action: { type: 'Action.Execute'; verb: 'refresh'; data: ExecuteData };
  userIds: string[];
}

/**
 * Universal Actions: Teams sends `refresh` when one of `userIds` opens the card, and replaces it
 * with the card the bot answers for that user (their role and buttons). Duplicates are dropped
 * and the list is cut to Teams' limit, so a large admin group cannot make the card invalid.
 */
export function cardRefresh(requestId: string, userIds: readonly string[]): CardRefresh {
  return {
    action: { type: 'Action.Execute', verb: 'refresh', data: { verb: 'refresh', requestId } },
    userIds: [...new Set(userIds)].slice(0, MAX_REFRESH_USERS),
  };
}
