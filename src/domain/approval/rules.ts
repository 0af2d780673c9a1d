/**
 * Two-person approval, as a pure function: who may do what to a request in which state. `decide`
 * answers the next request (for the caller to store with compare-and-swap) or a coded refusal, and
 * in both cases the audit events to append. The clock is `ctx.now`; nothing here reads it.
 *
 * Choices beyond docs/product.md, for the callers:
 * - requestApproval, approve, reject and manualDone need an admin *now*; cancel does not, because
 *   withdrawing a request only ever stops a change (a requester who lost admin rights can still
 *   take back what they asked for).
 * - cancel: in `proposed` by whoever proposed it; in `requested`, `approved` and
 *   `waiting-for-person` by the requester; never while `executing` (half-way would leave the
 *   directory between two states) nor in a final state. Steps already done stay done (`undo`).
 * - reject by the requester is refused with OWN_REQUEST, telling them to cancel instead.
 * - manualDone answers `approved` with the waiting record marked `done` and no lease, so the engine
 *   claims the request again exactly like a fresh approval and resumes after the recorded step.
 * - The approvals needed are the larger of the request's own `requiredApprovals` (the policy when
 *   it was requested) and the current policy, so tightening REQUIRED_APPROVALS applies at once.
 */
import type { AuditAction, AuditEvent } from '../audit/types.ts';
import * as refuse from './refusals.ts';
import type { Actor, ApprovalAction, ApprovalPolicy, ApprovalRequest, DoneCheck, FactChange, Refusal } from './types.ts';
import { DEFAULT_MANUAL_STEP_TTL_MS, FINAL_STATES, JUSTIFICATION_LIMITS, REASON_LIMITS } from './types.ts';
import { approvalsLeft, isoTime, waitingRecord } from './words.ts';

export interface DecisionContext {
  /** From the activity (`from.aadObjectId`), never from card data. */
  actor: Actor;
  isAdmin: boolean;
  /** False when neither ADMIN_GROUP_ID nor ADMIN_IDS is set. */
  adminsConfigured: boolean;
  /** ms since the epoch. */
  now: number;
  policy: ApprovalPolicy;
}

/** What the caller does after storing `next`. */
export type Effect = 'none' | 'post-to-approvers' | 'revalidate-then-approve' | 'resume-execution';

export type Decided =
  | { ok: true; next: ApprovalRequest; events: AuditEvent[]; effect: Effect }
  | {
      ok: false;
      refusal: Refusal;
      /** One 'refused' event; for EXPIRED, the 'expired' event first (store it with `expired`). */
      events: AuditEvent[];
      /** Set when the refusal is EXPIRED: the request moved to `expired`, for the caller to store. */
      expired?: ApprovalRequest;
    };

/** A rule's answer before the refusal event is added. */
type Change = { next: ApprovalRequest; event: AuditEvent; effect: Effect };
type Outcome = Change | Refusal;

export function decide(request: ApprovalRequest, action: ApprovalAction, ctx: DecisionContext): Decided {
  const due = expireIfDue(request, ctx.now, ctx.policy);
  if (due) {
    const refusal = refuse.expired(due.next);
    return { ok: false, refusal, events: [due.event, refusedEvent(request, action, ctx, refusal)], expired: due.next };
  }
  const outcome = ruleFor(request, action, ctx);
  if ('code' in outcome) return { ok: false, refusal: outcome, events: [refusedEvent(request, action, ctx, outcome)] };
  return { ok: true, next: outcome.next, events: [outcome.event], effect: outcome.effect };
}

function ruleFor(request: ApprovalRequest, action: ApprovalAction, ctx: DecisionContext): Outcome {
  if (action.verb === 'cancel') return cancel(request, ctx);
  const notAdmin = adminCheck(action.verb, ctx);
  if (notAdmin) return notAdmin;
  switch (action.verb) {
    case 'requestApproval':
      return requestApproval(request, action.justification, ctx);
    case 'approve':
      return approve(request, ctx);
    case 'reject':
      return reject(request, action.reason, ctx);
    case 'manualDone':
      return manualDone(request, action.step, ctx);
  }
}

function adminCheck(verb: ApprovalAction['verb'], ctx: DecisionContext): Refusal | null {
  if (!ctx.adminsConfigured) return refuse.adminsNotConfigured();
  return ctx.isAdmin ? null : refuse.notAnAdmin(ctx.actor.name, verb);
}

function requestApproval(request: ApprovalRequest, justification: string, ctx: DecisionContext): Outcome {
  if (request.state !== 'proposed') return refuse.wrongState(request, 'requestApproval');
  if (!hasWork(request)) return refuse.nothingToApprove(request);
  const text = justification.trim();
  if (text.length < JUSTIFICATION_LIMITS.min || text.length > JUSTIFICATION_LIMITS.max) return refuse.justificationInvalid(text.length);
  const requiredApprovals = required(request, ctx.policy);
  const next = changed(request, ctx.now, {
    state: 'requested',
    requester: ctx.actor,
    justification: text,
    requestedAt: ctx.now,
    expiresAt: ctx.now + ctx.policy.ttlMs,
    requiredApprovals,
    approvals: [],
  });
  const needs = requiredApprovals === 1 ? '1 approval' : `${requiredApprovals} approvals`;
  const summary = `${ctx.actor.name} requested approval (${needs} needed by ${isoTime(ctx.now + ctx.policy.ttlMs)}): "${text}"`;
  return { next, event: event(request, next, ctx, 'requested', summary), effect: 'post-to-approvers' };
}

function approve(request: ApprovalRequest, ctx: DecisionContext): Outcome {
  if (request.state !== 'requested') return notRequested(request, 'approve');
  if (sameActor(request.requester, ctx.actor)) return refuse.ownRequest(request, 'approve');
  const needed = required(request, ctx.policy);
  const mine = request.approvals.find((d) => sameActor(d.actor, ctx.actor));
  if (mine) return refuse.alreadyApprovedByYou(request, mine.at, needed - request.approvals.length);
  const approvals = [...request.approvals, { actor: ctx.actor, at: ctx.now }];
  if (approvals.length < needed) {
    const next = changed(request, ctx.now, { approvals });
    const summary = `${ctx.actor.name} approved (${approvals.length} of ${needed}); waiting for ${approvalsLeft(needed - approvals.length)}`;
    return { next, event: event(request, next, ctx, 'approval-recorded', summary), effect: 'none' };
  }
  const next = changed(request, ctx.now, { state: 'approved', approvals });
  const summary = `${ctx.actor.name} approved (${approvals.length} of ${needed}); the facts are re-checked before the plan runs`;
  return { next, event: event(request, next, ctx, 'approved', summary), effect: 'revalidate-then-approve' };
}

function reject(request: ApprovalRequest, reason: string, ctx: DecisionContext): Outcome {
  if (request.state !== 'requested') return notRequested(request, 'reject');
  if (sameActor(request.requester, ctx.actor)) return refuse.ownRequest(request, 'reject');
  const text = reason.trim();
  if (text.length < REASON_LIMITS.min || text.length > REASON_LIMITS.max) return refuse.reasonInvalid(text.length);
  const next = changed(request, ctx.now, { state: 'rejected', rejection: { actor: ctx.actor, at: ctx.now, reason: text } });
  return { next, event: event(request, next, ctx, 'rejected', `${ctx.actor.name} rejected it: "${text}"`), effect: 'none' };
}

/** A match or undo request runs a step the bot does; a bulk request covers at least one user. */
function hasWork(request: ApprovalRequest): boolean {
  if (request.kind === 'bulk') return (request.bulk?.users ?? 0) > 0;
  return request.steps.some((s) => s.kind !== 'MANUAL');
}

function cancel(request: ApprovalRequest, ctx: DecisionContext): Outcome {
  if (request.state === 'executing' && request.kind === 'bulk') return stopBulk(request, ctx);
  if (request.state === 'executing') return refuse.cannotCancelExecuting(request);
  if (FINAL_STATES.includes(request.state)) return refuse.wrongState(request, 'cancel');
  const owner = request.state === 'proposed' ? request.proposedBy : (request.requester ?? request.proposedBy);
  if (!sameActor(owner, ctx.actor)) return refuse.notRequester(request);
  const next = changed(request, ctx.now, { state: 'cancelled', cancellation: { actor: ctx.actor, at: ctx.now } });
  const done = request.records.filter((r) => r.status === 'done').map((r) => r.number);
  const left = done.length === 0 ? '' : `; steps already done stay done (${done.join(', ')}): \`undo ${request.id}\` reverts them`;
  return {
    next,
    event: event(request, next, ctx, 'cancelled', `${ctx.actor.name} cancelled it while ${request.state}${left}`),
    effect: 'none',
  };
}

/**
 * `cancel` on an executing bulk request: no new user starts; the users already running finish
 * (each is a request of its own, exactly once). The executor ends it `cancelled` once they have.
 */
function stopBulk(request: ApprovalRequest, ctx: DecisionContext): Outcome {
  const owner = request.requester ?? request.proposedBy;
  if (!sameActor(owner, ctx.actor)) return refuse.notRequester(request);
  if (!request.bulk || request.bulk.stopRequested) return refuse.stopAlreadyRequested(request);
  const next = changed(request, ctx.now, { bulk: { ...request.bulk, stopRequested: { by: ctx.actor, at: ctx.now } } });
  return {
    next,
    event: event(request, next, ctx, 'cancelled', `${ctx.actor.name} stopped it: no new user starts; the running ones finish`),
    effect: 'none',
  };
}

function manualDone(request: ApprovalRequest, step: number, ctx: DecisionContext): Outcome {
  if (request.state !== 'waiting-for-person') return refuse.wrongState(request, 'manualDone');
  const participant = sameActor(request.requester, ctx.actor) || request.approvals.some((d) => sameActor(d.actor, ctx.actor));
  if (!participant) return refuse.notParticipant(request);
  const waiting = waitingRecord(request);
  if (waiting === undefined || waiting.number !== step) return refuse.wrongStep(request, step, waiting);
  const records = request.records.map((r) => (r === waiting ? { ...r, status: 'done' as const, doneBy: ctx.actor, endedAt: ctx.now } : r));
  const next = changed(request, ctx.now, { state: 'approved', records });
  // The engine's claim ended when it stopped to wait; a fresh claim starts from `approved`.
  delete next.lease;
  const instruction = request.steps.find((s) => s.number === step)?.description ?? '';
  const summary = `${ctx.actor.name} said step ${step} is done${instruction === '' ? '' : `: ${instruction}`}`;
  const e = { ...event(request, next, ctx, 'manual-done', summary), step: { number: step, kind: 'MANUAL' } };
  return { next, event: e, effect: 'resume-execution' };
}

/**
 * The Done of a MANUAL step as the bot checked it (`decide` answered `next` and `event` for it):
 * refused while the result is not there (the step keeps waiting); recorded as checked, or as taken
 * on the person's word when the bot cannot see the result.
 */
export function withDoneCheck(
  request: ApprovalRequest,
  decided: { next: ApprovalRequest; event: AuditEvent },
  step: number,
  check: DoneCheck,
): { next: ApprovalRequest; event: AuditEvent } | Refusal {
  if (check.status === 'not-done') return refuse.stepNotDone(request, step, check.still);
  const name = decided.event.actor?.name ?? 'the person';
  const detail = check.status === 'done' ? `Checked: ${check.seen}.` : `Taken on ${name}'s word: the bot cannot check it (${check.why}).`;
  const doneCheck = check.status === 'done' ? ('checked' as const) : ('taken-on-word' as const);
  const records = decided.next.records.map((r) => (r.number === step ? { ...r, doneCheck, detail } : r));
  return { next: { ...decided.next, records }, event: { ...decided.event, summary: `${decided.event.summary}. ${detail}` } };
}

/** Approve or reject on a request that is not `requested`: the race loser learns who won. */
function notRequested(request: ApprovalRequest, verb: 'approve' | 'reject'): Refusal {
  const decided = ['approved', 'executing', 'waiting-for-person', 'done', 'done-with-warnings', 'failed'].includes(request.state);
  return decided ? refuse.alreadyDecided(request) : refuse.wrongState(request, verb);
}

/**
 * When a request still waiting on people expires: a `requested` one at its `expiresAt`; a
 * `proposed` one (nobody asked for approval) at its own `expiresAt`, or, stored before proposals
 * carried one, APPROVAL_TTL_MINUTES after it was made; one `waiting-for-person` MANUAL_STEP_TTL_DAYS
 * after it started waiting. Undefined for every other state.
 */
export function expiryOf(request: ApprovalRequest, policy: Pick<ApprovalPolicy, 'ttlMs' | 'manualStepTtlMs'>): number | undefined {
  if (request.state === 'requested') return request.expiresAt;
  if (request.state === 'waiting-for-person')
    return (waitingRecord(request)?.startedAt ?? request.updatedAt) + (policy.manualStepTtlMs ?? DEFAULT_MANUAL_STEP_TTL_MS);
  if (request.state === 'proposed') return request.expiresAt ?? request.createdAt + policy.ttlMs;
  return undefined;
}

/** The request moved to `expired` when it is `proposed`, `requested` or `waiting-for-person` and its time is up; otherwise null. */
export function expireIfDue(
  request: ApprovalRequest,
  now: number,
  policy: Pick<ApprovalPolicy, 'ttlMs' | 'manualStepTtlMs'>,
): { next: ApprovalRequest; event: AuditEvent } | null {
  const expiry = expiryOf(request, policy);
  if (expiry === undefined || now <= expiry) return null;
  const next = changed(request, now, { state: 'expired', expiresAt: expiry });
  const needed = request.requiredApprovals ?? 1;
  const waiting = waitingRecord(request);
  const summary =
    request.state === 'waiting-for-person' && waiting
      ? `Expired at ${isoTime(expiry)} while waiting for a person to do step ${waiting.number}; the steps after it did not run (the steps before it stay done: undo ${request.id} reverts them)`
      : request.state === 'proposed'
        ? `Expired at ${isoTime(expiry)} before anyone requested approval; nothing was changed`
        : `Expired at ${isoTime(expiry)} with ${request.approvals.length} of ${needed} approvals; nothing was changed`;
  return { next, event: { ...stateEvent(request, next, now, 'expired', summary), actor: null } };
}

/**
 * Re-validation found the facts changed: the request stops in `stale` and says what changed. Pass
 * the request as stored (not decide's `next`); `actor` is the approver whose approval triggered
 * the check, or null for the engine. Null when the request is already over.
 */
export function markStale(
  request: ApprovalRequest,
  changes: FactChange[],
  actor: Actor | null,
  now: number,
): { next: ApprovalRequest; event: AuditEvent } | null {
  if (FINAL_STATES.includes(request.state)) return null;
  const next = changed(request, now, { state: 'stale', changes });
  const what = changes.map((c) => `${c.label}: ${c.old ?? 'none'} → ${c.new ?? 'none'}`).join('; ');
  const summary = `Stopped: the facts changed since the plan was made (${what === '' ? 'no details' : what}); nothing was changed`;
  return { next, event: { ...stateEvent(request, next, now, 'stale', summary), actor, after: { state: 'stale', changes } } };
}

function required(request: ApprovalRequest, policy: ApprovalPolicy): number {
  return Math.max(1, policy.requiredApprovals, request.requiredApprovals ?? 1);
}

function sameActor(a: Actor | undefined, b: Actor): boolean {
  return a !== undefined && a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase();
}

function changed(request: ApprovalRequest, now: number, patch: Partial<ApprovalRequest>): ApprovalRequest {
  return { ...request, ...patch, updatedAt: now };
}

function stateEvent(request: ApprovalRequest, next: ApprovalRequest, now: number, action: AuditAction, summary: string): AuditEvent {
  return { requestId: request.id, at: now, actor: null, action, summary, before: { state: request.state }, after: { state: next.state } };
}

function event(request: ApprovalRequest, next: ApprovalRequest, ctx: DecisionContext, action: AuditAction, summary: string): AuditEvent {
  return { ...stateEvent(request, next, ctx.now, action, summary), actor: ctx.actor };
}

export function refusedEvent(
  request: ApprovalRequest,
  action: ApprovalAction,
  ctx: Pick<DecisionContext, 'actor' | 'now'>,
  refusal: Refusal,
): AuditEvent {
  return {
    requestId: request.id,
    at: ctx.now,
    actor: ctx.actor,
    action: 'refused',
    summary: `${ctx.actor.name} tried to ${action.verb}${action.verb === 'manualDone' ? ` step ${action.step}` : ''}: refused (${refusal.code}). ${refusal.message}`,
    code: refusal.code,
  };
}
