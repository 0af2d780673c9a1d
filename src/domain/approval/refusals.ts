/**
 * The words of every refusal the approval rules give. Each message names who and what, and says
 * what the actor can do instead, because it is all an admin sees when a button does nothing.
 */
import { approvalsLeft, isoTime, standing, waitingRecord } from './words.ts';
import type { ActionVerb, ApprovalRequest, Refusal, RefusalCode, StepRecord } from './types.ts';
import { JUSTIFICATION_LIMITS, REASON_LIMITS } from './types.ts';

function refusal(code: RefusalCode, message: string): Refusal {
  return { code, message };
}

/** What each verb is called in a sentence ("only admins can ..."). */
const VERB_PHRASE: Record<ActionVerb, string> = {
  requestApproval: 'request approval',
  approve: 'approve',
  reject: 'reject',
  cancel: 'cancel',
  refresh: 'refresh',
  manualDone: 'confirm a manual step',
  downloadReport: 'download a scan report',
};

export function adminsNotConfigured(): Refusal {
  return refusal(
    'ADMINS_NOT_CONFIGURED',
    'No admins are configured, so nobody can request or approve changes: set ADMIN_GROUP_ID (an Entra group of admins) ' +
      'or ADMIN_IDS (comma-separated object ids) and restart the bot.',
  );
}

export function notAnAdmin(name: string, verb: ActionVerb | 'scan' | 'undo'): Refusal {
  const phrase = verb === 'scan' ? 'scan' : verb === 'undo' ? 'undo a bulk request' : VERB_PHRASE[verb];
  return refusal(
    'NOT_AN_ADMIN',
    `${name} is not an admin: only members of the admin group (ADMIN_GROUP_ID) or the admins listed in ADMIN_IDS can ${phrase}.`,
  );
}

export function justificationInvalid(length: number): Refusal {
  const { min, max } = JUSTIFICATION_LIMITS;
  return refusal('JUSTIFICATION_INVALID', `The justification must be ${min} to ${max} characters long; yours has ${length}.`);
}

export function reasonInvalid(length: number): Refusal {
  const { min, max } = REASON_LIMITS;
  return refusal('REASON_INVALID', `A rejection needs a reason of ${min} to ${max} characters; yours has ${length}.`);
}

export function nothingToApprove(request: ApprovalRequest): Refusal {
  if (request.kind === 'bulk') {
    return refusal(
      'NOTHING_TO_APPROVE',
      `Bulk request ${request.id} would cover no user: every user the bot could fix is excluded. Exclude fewer users, or fix them one by one with "match".`,
    );
  }
  return refusal(
    'NOTHING_TO_APPROVE',
    `The plan of ${request.id} has no step the bot runs, so there is nothing to approve: do the steps on the card yourself.`,
  );
}

export function expired(request: ApprovalRequest): Refusal {
  const when = request.expiresAt === undefined ? '' : ` at ${isoTime(request.expiresAt)}`;
  const waiting = waitingRecord(request);
  if (waiting) {
    return refusal(
      'EXPIRED',
      `Request ${request.id} expired${when} while waiting for a person to do step ${waiting.number}; the steps after it did not run. Type \`${request.command}\` for a fresh plan, or \`undo ${request.id}\` to revert the steps it did.`,
    );
  }
  return refusal(
    'EXPIRED',
    `Request ${request.id} expired${when} before ${request.requestedAt === undefined ? 'anyone requested approval' : 'enough admins approved it'}; nothing was changed. Type \`${request.command}\` for a fresh plan.`,
  );
}

export function ownRequest(request: ApprovalRequest, verb: 'approve' | 'reject'): Refusal {
  const instead = verb === 'approve' ? 'another admin must approve it.' : `to withdraw it, press Cancel or type \`cancel ${request.id}\`.`;
  return refusal('OWN_REQUEST', `You requested ${request.id} yourself; ${instead}`);
}

export function alreadyApprovedByYou(request: ApprovalRequest, at: number, left: number): Refusal {
  return refusal(
    'ALREADY_APPROVED_BY_YOU',
    `You already approved ${request.id} at ${isoTime(at)}; it is waiting for ${approvalsLeft(left)} from other admins.`,
  );
}

/** The loser of a race between two approvers is told who won, and when. */
export function alreadyDecided(request: ApprovalRequest): Refusal {
  return refusal('ALREADY_DECIDED', `Request ${request.id} ${standing(request)}; there is nothing left to decide.`);
}

export function wrongState(request: ApprovalRequest, verb: ActionVerb): Refusal {
  return refusal('WRONG_STATE', `Request ${request.id} ${standing(request)}, so you cannot ${VERB_PHRASE[verb]} it.`);
}

/** Cancelling half-way would leave the directory between two states, so the engine finishes first. */
export function cannotCancelExecuting(request: ApprovalRequest): Refusal {
  return refusal(
    'WRONG_STATE',
    `Request ${request.id} is executing and cannot be stopped half-way; wait for it to finish, then type \`undo ${request.id}\` to revert its reversible steps.`,
  );
}

export function notRequester(request: ApprovalRequest): Refusal {
  if (request.state === 'proposed') {
    return refusal('NOT_REQUESTER', `Only ${request.proposedBy.name}, who proposed ${request.id}, can cancel it.`);
  }
  const requester = request.requester?.name ?? request.proposedBy.name;
  const instead = request.state === 'requested' ? '; an admin can reject it instead' : '';
  return refusal('NOT_REQUESTER', `Only ${requester}, who requested ${request.id}, can cancel it${instead}.`);
}

export function notParticipant(request: ApprovalRequest): Refusal {
  const requester = request.requester?.name ?? request.proposedBy.name;
  const approvers =
    request.approvals.length === 0 ? '' : ` or the admins who approved it (${request.approvals.map((d) => d.actor.name).join(', ')})`;
  return refusal('NOT_PARTICIPANT', `Only ${requester}, who requested ${request.id}${approvers}, can say a manual step is done.`);
}

/** The bot looked and the person's step is not done: nothing is recorded, the step keeps waiting. */
export function stepNotDone(request: ApprovalRequest, step: number, still: string): Refusal {
  return refusal(
    'STEP_NOT_DONE',
    `Step ${step} of ${request.id} is not done yet: ${still}. Nothing was recorded and the step keeps waiting; do it, then press "Done: step ${step}" again.`,
  );
}

/** The check itself failed (relay or Graph): nothing is recorded, the step keeps waiting. */
export function stepCheckFailed(request: ApprovalRequest, step: number, problem: string): Refusal {
  return refusal(
    'STEP_CHECK_FAILED',
    `The bot could not check step ${step} of ${request.id}: ${problem} Nothing was recorded and the step keeps waiting; press "Done: step ${step}" again once that is fixed.`,
  );
}

export function wrongStep(request: ApprovalRequest, step: number, waiting: StepRecord | undefined): Refusal {
  if (waiting === undefined) return refusal('WRONG_STEP', `No step of ${request.id} is waiting for a person.`);
  return refusal(
    'WRONG_STEP',
    `Step ${waiting.number} of ${request.id} is the one waiting for a person, not step ${step}: do step ${waiting.number} and press its Done.`,
  );
}

export function excludeInvalid(request: ApprovalRequest, unknown: readonly string[]): Refusal {
  const shown = unknown
    .slice(0, 5)
    .map((n) => `"${n.slice(0, 80)}"`)
    .join(', ');
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : '';
  return refusal(
    'EXCLUDE_INVALID',
    `${shown}${more} ${unknown.length === 1 ? 'is' : 'are'} not among the users bulk request ${request.id} covers; exclude users by the sAMAccountName or DN the report lists for them. Nothing was requested.`,
  );
}

export function stopAlreadyRequested(request: ApprovalRequest): Refusal {
  const by = request.bulk?.stopRequested?.by.name ?? 'someone';
  return refusal('WRONG_STATE', `${by} already stopped bulk request ${request.id}: no new user starts, the running ones finish.`);
}
