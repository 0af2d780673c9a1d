/**
 * Every domain status a card colours (finding severity, predicted sync outcome, request state,
 * step status) mapped to a tone and an icon, here and nowhere else, so a blocker looks the same on
 * every card.
 */
import type { RequestState, StepStatus } from '../domain/approval/types.ts';
import type { AuditAction } from '../domain/audit/types.ts';
import type { Severity } from '../domain/diagnosis/types.ts';
import type { SyncOutcome } from '../domain/sync/types.ts';
import type { Tone } from './card-parts.ts';

export interface SeverityStyle {
  tone: Tone;
  icon: string;
  /** The word shown next to the icon. */
  label: string;
  /** Sort key: blockers first. */
  rank: number;
}

const SEVERITY: Readonly<Record<Severity, SeverityStyle>> = {
  blocker: { tone: 'error', icon: '⛔', label: 'Blocker', rank: 0 },
  warning: { tone: 'warning', icon: '⚠️', label: 'Warning', rank: 1 },
  info: { tone: 'info', icon: 'ℹ️', label: 'Info', rank: 2 },
};

export function severityStyle(severity: Severity): SeverityStyle {
  return SEVERITY[severity];
}

/** Good: the person ends up joined to one cloud user. Warning: a change nobody asked for. Error: an export error. */
const OUTCOME_TONE: Readonly<Record<SyncOutcome['kind'], Tone>> = {
  UPDATE: 'good',
  HARD_MATCH: 'good',
  SOFT_MATCH: 'good',
  RESTORE: 'warning',
  CREATE: 'warning',
  DELETE: 'warning',
  NOTHING: 'info',
  INVALID_SOFT_MATCH: 'error',
  OBJECT_TYPE_MISMATCH: 'error',
  HARD_MATCH_BLOCKED: 'error',
  SOFT_MATCH_BLOCKED: 'error',
  ANCHOR_CONFLICT: 'error',
  REMAP_BLOCKED: 'error',
  CLOUD_MANAGED: 'error',
};

export function outcomeTone(outcome: SyncOutcome): Tone {
  return OUTCOME_TONE[outcome.kind];
}

const JOINS: ReadonlySet<SyncOutcome['kind']> = new Set(['UPDATE', 'HARD_MATCH', 'SOFT_MATCH']);

/**
 * A predicted sync outcome on the match card, coloured by what it means for this person: a join
 * is good news only when it joins the plan's target (or, with nothing to do, the user already
 * joined). A sync that keeps updating the synced duplicate ("the duplicate stays") is a warning.
 */
export function predictionTone(outcome: SyncOutcome, context: { targetId: string | undefined; nothingToDo: boolean }): Tone {
  if (!JOINS.has(outcome.kind)) return outcomeTone(outcome);
  const userId = 'userId' in outcome ? outcome.userId : undefined;
  const joinsTarget = context.targetId === undefined ? context.nothingToDo : userId === context.targetId;
  return joinsTarget ? 'good' : 'warning';
}

/** A plan step that cannot be undone is shown in the error tone; everything else in the default one. */
export function stepTone(step: { irreversible: boolean; kind: string }): Tone {
  if (step.irreversible) return 'error';
  return step.kind === 'MANUAL' ? 'warning' : 'neutral';
}

export interface StatusStyle {
  tone: Tone;
  /** Plain words for the status, shown next to the raw state name. */
  words: string;
}

/**
 * Request states. Green only when the fix is done and verified; attention for every way a request
 * ends without it; warning while a person has to act; accent while it is moving.
 */
const REQUEST_STATE: Readonly<Record<RequestState, StatusStyle>> = {
  proposed: { tone: 'neutral', words: 'approval not requested yet' },
  requested: { tone: 'info', words: 'waiting for approval' },
  approved: { tone: 'info', words: 'approved, about to run' },
  executing: { tone: 'info', words: 'running' },
  'waiting-for-person': { tone: 'warning', words: 'waiting for a person' },
  done: { tone: 'good', words: 'done and verified' },
  'done-with-warnings': { tone: 'warning', words: 'joined, with leftovers to fix' },
  failed: { tone: 'error', words: 'stopped at a failed step' },
  rejected: { tone: 'error', words: 'rejected by an approver' },
  cancelled: { tone: 'neutral', words: 'withdrawn by the requester' },
  expired: { tone: 'error', words: 'not approved in time' },
  stale: { tone: 'error', words: 'the facts changed since the plan was made' },
};

export function requestStateStyle(state: RequestState): StatusStyle {
  return REQUEST_STATE[state];
}

/** One plan step's outcome; `started` is shown as "running". */
const STEP_STATUS: Readonly<Record<StepStatus, StatusStyle & { icon: string }>> = {
  pending: { tone: 'neutral', words: 'pending', icon: '○' },
  started: { tone: 'info', words: 'running', icon: '▶' },
  done: { tone: 'good', words: 'done', icon: '✔' },
  failed: { tone: 'error', words: 'failed', icon: '✖' },
  'waiting-for-person': { tone: 'warning', words: 'waiting for a person', icon: '✋' },
};

export function stepStatusStyle(status: StepStatus): StatusStyle & { icon: string } {
  return STEP_STATUS[status];
}

/** An audit entry about a failure is shown in the error tone; every other entry in the default one. */
export function auditActionTone(action: AuditAction): Tone {
  return action === 'step-failed' || action === 'failed' || action === 'error' ? 'error' : 'neutral';
}
