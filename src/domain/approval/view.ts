/**
 * What one person sees on a request's card: their role, the buttons they may press and a headline.
 * It mirrors the rules (rules.ts) so a button never appears that would only be refused, except
 * after expiry, which needs the clock (the click then answers EXPIRED). `refresh` is not listed:
 * the card offers it to everyone.
 */
import type { ActionVerb, ApprovalRequest } from './types.ts';
import { approvalsLeft, decisionsInWords, waitingRecord } from './words.ts';

export { stateInWords } from './words.ts';

export interface Viewer {
  aadObjectId: string;
  isAdmin: boolean;
}

export interface CardView {
  role: 'requester' | 'approver' | 'viewer';
  actions: ActionVerb[];
  headline: string;
  /** The MANUAL step a `manualDone` button answers, when there is one. */
  manualStep?: number;
}

/** Teams refreshes a Universal Actions card for at most 60 users. */
export const MAX_REFRESH_USERS = 60;

const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

export function viewFor(request: ApprovalRequest, viewer: Viewer): CardView {
  const owner = request.requester ?? request.proposedBy;
  const isRequester = same(owner.aadObjectId, viewer.aadObjectId);
  const approved = request.approvals.some((d) => same(d.actor.aadObjectId, viewer.aadObjectId));
  const role = isRequester ? 'requester' : approved || viewer.isAdmin ? 'approver' : 'viewer';
  switch (request.state) {
    case 'proposed': {
      const actions: ActionVerb[] = viewer.isAdmin ? ['requestApproval'] : [];
      if (isRequester) actions.push('cancel');
      return { role, actions, headline: `Proposed by ${request.proposedBy.name}: an admin can request approval` };
    }
    case 'requested':
      return requestedView(request, role, approved, viewer.isAdmin);
    case 'waiting-for-person': {
      const step = waitingRecord(request)?.number;
      const participant = viewer.isAdmin && (isRequester || approved) && step !== undefined;
      const actions: ActionVerb[] = participant ? ['manualDone'] : [];
      if (isRequester) actions.push('cancel');
      const headline = step === undefined ? 'Waiting for a person' : `Step ${step} is waiting for a person to do it and press Done`;
      return { role, actions, headline, ...(participant ? { manualStep: step } : {}) };
    }
    case 'approved':
      return { role, actions: isRequester ? ['cancel'] : [], headline: `Approved by ${decisionsInWords(request.approvals)}: starting` };
    default:
      return { role, actions: [], headline: finalHeadline(request) };
  }
}

function requestedView(request: ApprovalRequest, role: CardView['role'], approved: boolean, isAdmin: boolean): CardView {
  const needed = Math.max(1, request.requiredApprovals ?? 1);
  const left = needed - request.approvals.length;
  const waitingFor = left === 1 && request.approvals.length === 0 ? 'a second admin' : approvalsLeft(left);
  if (role === 'requester') return { role, actions: ['cancel'], headline: `Waiting for ${waitingFor}` };
  if (isAdmin && !approved)
    return { role, actions: ['approve', 'reject'], headline: `${request.requester?.name ?? 'An admin'} asks for your approval` };
  return { role, actions: [], headline: approved ? `You approved; waiting for ${approvalsLeft(left)}` : `Waiting for ${waitingFor}` };
}

function finalHeadline(request: ApprovalRequest): string {
  switch (request.state) {
    case 'executing':
      return `Running step ${request.records.filter((r) => r.status === 'done').length + 1} of ${request.steps.length}`;
    case 'done':
      return 'Done: every step ran';
    case 'done-with-warnings': {
      const left = request.records.flatMap((r) => r.warnings ?? []).length;
      return `Joined, with ${left === 1 ? '1 leftover' : `${left} leftovers`} to fix (listed below)`;
    }
    case 'failed': {
      const failed = request.records.find((r) => r.status === 'failed');
      return failed ? `Failed at step ${failed.number}${failed.code ? ` (${failed.code})` : ''}` : 'Failed';
    }
    case 'rejected':
      return request.rejection ? `Rejected by ${request.rejection.actor.name}: "${request.rejection.reason}"` : 'Rejected';
    case 'cancelled':
      return request.cancellation ? `Cancelled by ${request.cancellation.actor.name}` : 'Cancelled';
    case 'expired': {
      const waiting = waitingRecord(request);
      return waiting
        ? `Expired while waiting for a person to do step ${waiting.number}; the steps after it did not run`
        : 'Expired before enough admins approved it; nothing was changed';
    }
    default:
      return 'Stopped: the facts changed since the plan was made; nothing was changed';
  }
}

/**
 * Who gets a refreshed card: the requester first, then the proposer, the approvers, and the admins
 * who can still act (approve/reject while requested, request approval while proposed).
 */
export function refreshUserIds(request: ApprovalRequest, adminIds: readonly string[]): string[] {
  const ids = [request.requester?.aadObjectId, request.proposedBy.aadObjectId, ...request.approvals.map((d) => d.actor.aadObjectId)];
  if (request.state === 'proposed' || request.state === 'requested') ids.push(...adminIds);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ids) {
    if (id === undefined || seen.has(id.toLowerCase())) continue;
    seen.add(id.toLowerCase());
    out.push(id);
  }
  return out.slice(0, MAX_REFRESH_USERS);
}
