/**
 * How the approval rules and the card view name people, times and states, in one place so a
 * refusal, an audit summary and a card say the same thing the same way.
 */
import type { ApprovalRequest, Decision, RequestState, StepRecord } from './types.ts';

/** ISO 8601 in UTC: the same text in every admin's time zone, and sortable in the audit trail. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** "Ben Approver at 2026-12-01T14:02:00.000Z and Cleo Admin at ...". */
export function decisionsInWords(decisions: readonly Decision[]): string {
  const parts = decisions.map((d) => `${d.actor.name} at ${isoTime(d.at)}`);
  if (parts.length <= 1) return parts[0] ?? 'nobody';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/** "1 more approval", "2 more approvals". */
export function approvalsLeft(count: number): string {
  return count === 1 ? '1 more approval' : `${count} more approvals`;
}

/** The MANUAL step the request waits for: the first record in `waiting-for-person`. */
export function waitingRecord(request: ApprovalRequest): StepRecord | undefined {
  return request.records.find((r) => r.status === 'waiting-for-person');
}

const STATE_MEANING: Record<RequestState, string> = {
  proposed: 'a plan nobody has asked approval for yet',
  requested: 'waiting for approval',
  approved: 'approved; the bot re-checks the facts and starts the plan',
  executing: "the bot is running the plan's steps",
  'waiting-for-person': 'waiting for a person to do a manual step and press Done',
  done: 'every step is done',
  'done-with-warnings': 'the join works, but something the plan meant to clear is left; the card lists each with its fix',
  failed: 'a step failed; the steps after it were not run',
  rejected: 'an admin rejected it; nothing was changed',
  cancelled: 'withdrawn',
  expired: 'nobody approved it in time; nothing was changed',
  stale: 'stopped because the facts changed since the plan was made; nothing was changed',
};

/** "State: executing (the bot is running the plan's steps)", as `status <id>` prints it. */
export function stateInWords(state: RequestState): string {
  return `State: ${state} (${STATE_MEANING[state]})`;
}

/**
 * Where the request stands, naming who did it and when: "was approved by Ben Approver at ...".
 * Completes "Request r7k3q9 ..." in refusals.
 */
export function standing(request: ApprovalRequest): string {
  switch (request.state) {
    case 'proposed':
      return `is only proposed (by ${request.proposedBy.name}); nobody has requested approval yet`;
    case 'requested':
      return `is waiting for approval (requested by ${request.requester?.name ?? 'an admin'}${atTime(request.requestedAt)})`;
    case 'approved':
    case 'executing':
    case 'done':
    case 'done-with-warnings':
    case 'failed':
    case 'waiting-for-person':
      return `was already approved by ${decisionsInWords(request.approvals)} and is ${request.state}`;
    case 'rejected':
      return request.rejection
        ? `was rejected by ${request.rejection.actor.name} at ${isoTime(request.rejection.at)}: "${request.rejection.reason}"`
        : 'was rejected';
    case 'cancelled':
      return request.cancellation
        ? `was cancelled by ${request.cancellation.actor.name} at ${isoTime(request.cancellation.at)}`
        : 'was cancelled';
    case 'expired':
      if (waitingRecord(request))
        return `expired${atTime(request.expiresAt)} while waiting for a person to do step ${waitingRecord(request)?.number ?? '?'}`;
      return `expired${atTime(request.expiresAt)} before ${request.requestedAt === undefined ? 'anyone requested approval' : 'enough admins approved it'}`;
    case 'stale':
      return `was stopped because the facts changed since the plan was made (${changedLabels(request)})`;
  }
}

function atTime(ms: number | undefined): string {
  return ms === undefined ? '' : ` at ${isoTime(ms)}`;
}

function changedLabels(request: ApprovalRequest): string {
  const labels = (request.changes ?? []).map((c) => c.label);
  return labels.length === 0 ? 'see the card' : `changed: ${labels.join('; ')}`;
}
