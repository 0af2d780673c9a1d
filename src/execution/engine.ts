/**
 * The execution engine: runs an approved request's steps exactly once. It claims the request with
 * a compare-and-swap (`approved → executing`, with an owner and a lease it keeps renewing),
 * records each step as `started` (with the value it will replace) before running it and as `done`
 * or `failed` (before and after values) after, stops at a MANUAL step (`waiting-for-person`) or a
 * failure, and finishes with `done`. A request whose lease ran out (its engine died) is taken over
 * and resumed from its records; a step found `started` is resolved by reading Graph first. A bulk
 * user's engine (`releaseTransient`) gives the request back (`approved`, the step still `started`)
 * when Graph throttled or did not answer the step past its deadline, instead of failing it: the
 * next claim resolves that step by reading Graph like any other found started.
 *
 * Round trips to the store are few: the claim records the first step as started, each outcome is
 * written with the next step's start, and a change's audit entries go in one append beside its
 * compare-and-swap. Card updates never hold a step up (see card-lane.ts).
 */
import type { ApprovalRequest, StepRecord, Versioned } from '../domain/approval/types.ts';
import type { AuditEvent } from '../domain/audit/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { cardLane, type CardLane } from './card-lane.ts';
import { Claim, ClaimLost, claimExecution, leaseRanOut, newLease, takeOver, type Won } from './claim.ts';
import { resolveStarted } from './resolve-started.ts';
import { runStep } from './run-step.ts';
import {
  claimedNote,
  combined,
  doneChange,
  eventsOf,
  failedChange,
  outcomeChange,
  releasedChange,
  startChange,
  type BoundaryPhase,
  type RecordChange,
} from './record-changes.ts';
import { revalidationStands } from './step-values.ts';
import { FRESHNESS_SLACK_MS, type StepDeps, type StepResult } from './types.ts';
import { undoStep } from './undo-step.ts';

/** A lease long enough to ride out a slow Graph call, short enough that a dead engine is replaced soon. */
export const DEFAULT_LEASE_MS = 60_000;
/** How long to wait before asking again when the relay says a sync is already running. */
export const DEFAULT_SYNC_BUSY_RETRY_MS = 15_000;
/** A request released after throttling is tried again after Graph's Retry-After, or this long when Graph gave none. */
export const DEFAULT_THROTTLED_RETRY_MS = 10_000;

export type { BoundaryPhase } from './record-changes.ts';

export interface EngineDeps {
  store: RequestStore;
  audit: AuditTrail;
  steps: Pick<StepDeps, 'cloud' | 'sync' | 'sleep' | 'pollIntervalMs'>;
  /** This bot instance, e.g. `host:pid:random`. */
  owner: string;
  logger: Logger;
  leaseMs?: number;
  syncBusyRetryMs?: number;
  now?: () => number;
  /**
   * Called after every change of state or step record, so every copy of the card is replaced.
   * Off the critical path: the engine does not wait for it between steps (calls are serialised,
   * the newest state replacing any not yet sent), only before `run` resolves.
   */
  publish?: (request: ApprovalRequest) => Promise<void>;
  /**
   * Bulk items: a step whose Graph failure may pass (throttled past its deadline, CLOUD_THROTTLED:
   * the write was not executed; or no answer, CLOUD_UNAVAILABLE) releases the request
   * (`releasedChange`: back to `approved`, `released` saying why and until when, the step left
   * started) and `run` answers `released`, for the bulk consumer to put its work item back on the
   * queue. Unset (a single `match`, an admin waiting for it): the step fails as any other.
   */
  releaseTransient?: boolean;
  /** Test hook: called at each step boundary (the crash tests kill the process here). */
  onBoundary?: (requestId: string, step: number, phase: BoundaryPhase) => void | Promise<void>;
}

export type RunOutcome =
  | 'not-claimed'
  | 'done'
  | 'done-with-warnings'
  | 'failed'
  | 'waiting-for-person'
  | 'claim-lost'
  /** Throttled or unanswered past its deadline, and given back (EngineDeps.releaseTransient). */
  | 'released';

export interface RunOptions {
  /**
   * The version the approving instance just wrote, after re-validating the facts. Claimed from
   * exactly that version, the request's write steps need not read their subject again: the
   * re-validation did, and the compare-and-swap proves nothing changed the request in between.
   */
  approved?: Versioned<ApprovalRequest>;
  /**
   * The request as the approval stored it, already claimed for this instance (`claimOnApproval`),
   * and the append of the approval's and the claim's audit entries, awaited before any step runs.
   */
  claimed?: Versioned<ApprovalRequest>;
  audited?: Promise<unknown>;
}

export interface Engine {
  /** Claims and runs the request when it is approved (or abandoned mid-way); resolves when it stops and its cards are sent. */
  run(requestId: string, options?: RunOptions): Promise<RunOutcome>;
  /**
   * The claim, to be written by the approval's own compare-and-swap: the approved request as
   * executing under this instance's lease with its first step started, and the entries telling it.
   * Then `run(id, { claimed, audited })` goes on from there without another write.
   */
  claimOnApproval(approved: ApprovalRequest): { request: ApprovalRequest; events: AuditEvent[] };
  /** Finds requests whose engine died (lease over) or that were approved and never claimed, and runs them. */
  resumeAbandoned(tenantId: string): Promise<number>;
}

export function createEngine(deps: EngineDeps): Engine {
  const now = deps.now ?? Date.now;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  /** Claims with a compare-and-swap, recording the first step of a fresh claim as started in it. */
  const claim = async (requestId: string, options: RunOptions): Promise<Won | null> => {
    const first: { change?: RecordChange } = {};
    // The claim, the first step's start and their entries: one compare-and-swap.
    const prepare = (claimed: ApprovalRequest, resumed: boolean): Promise<ApprovalRequest> => {
      const fresh = !resumed && claimed.steps[0] !== undefined && claimed.records[0]?.status === 'pending';
      first.change = fresh ? startChange(claimed, 0, now()) : undefined;
      const started = first.change ? first.change.mutate(claimed) : claimed;
      return deps.audit.stage(started, eventsOf(requestId, [claimedNote(deps.owner, resumed), ...(first.change?.notes ?? [])], now()));
    };
    const won = await claimExecution(deps.store, requestId, {
      owner: deps.owner,
      leaseMs,
      now: now(),
      prepare,
      ...(options.approved ? { approved: options.approved } : {}),
    });
    if (!won) return null;
    return { ...won, startedFirst: !won.resumed && first.change !== undefined };
  };
  return {
    async run(requestId, options = {}) {
      const won = options.claimed ? takeOver(options.claimed, deps.owner) : await claim(requestId, options);
      if (!won) return 'not-claimed';
      const onRenewalFailed = (err: unknown) =>
        deps.logger.warn({ err, requestId }, 'could not renew the lease; trying again at the next beat');
      const claimed = new Claim(won.claimed, { store: deps.store, owner: deps.owner, leaseMs, now, onRenewalFailed });
      // Kept alive from the moment of the claim: whatever comes before the first step cannot outlast it.
      claimed.keepAlive();
      const ctx: Ctx = {
        ...deps,
        now,
        leaseMs,
        cards: cardLane((request) => publishCard(deps, request)),
        flushes: flushLane(deps),
        revalidated: won.fromApproval && !won.resumed,
      };
      try {
        // The approval's entries (stored with its claim) reach the trail before the first step's.
        await options.audited;
        ctx.flushes.push(won.claimed.value);
        await deps.onBoundary?.(requestId, 0, 'claimed');
        const first = claimed.request.steps[0];
        if (won.startedFirst && first) await deps.onBoundary?.(requestId, first.number, 'step-started');
        ctx.cards.push(claimed.request);
        return await execute(claimed, ctx, won.startedFirst ? 0 : null);
      } finally {
        claimed.stopKeepAlive();
        await Promise.all([ctx.cards.settled(), ctx.flushes.settled()]);
      }
    },
    claimOnApproval(approved) {
      const at = now();
      const claimed: ApprovalRequest = {
        ...approved,
        state: 'executing',
        lease: newLease(approved, deps.owner, at, leaseMs),
        updatedAt: at,
      };
      const step = approved.steps[0];
      const started = step && approved.records[0]?.status === 'pending' ? startChange(approved, 0, at) : undefined;
      return {
        request: started ? started.mutate(claimed) : claimed,
        events: eventsOf(approved.id, [claimedNote(deps.owner, false), ...(started?.notes ?? [])], at),
      };
    },
    async resumeAbandoned(tenantId) {
      const at = now();
      const candidates = await deps.store.listByState(tenantId, ['approved', 'executing']);
      // A bulk request and its users are the bulk executor's to resume (waves, budget, re-reads).
      const abandoned = candidates.filter(({ value }) =>
        value.kind === 'bulk' || value.bulkOf !== undefined
          ? false
          : value.state === 'executing'
            ? leaseRanOut(value.lease, at, leaseMs)
            : value.updatedAt + leaseMs <= at,
      );
      let resumed = 0;
      for (const { value } of abandoned) {
        if ((await this.run(value.id)) !== 'not-claimed') resumed += 1;
      }
      return resumed;
    },
  };
}

type Ctx = EngineDeps & {
  now: () => number;
  leaseMs: number;
  /** This run's card updates, sent in the background. */
  cards: CardLane;
  /** This run's audit entries, copied from the request's outbox into the trail in the background. */
  flushes: FlushLane;
  /** Claimed from the re-validated approval's own version (see RunOptions.approved). */
  revalidated: boolean;
};

/**
 * Runs the steps from the first not done. A step's outcome is written together with the next
 * step's start: one compare-and-swap carries both records, so a step is still recorded started
 * before it runs and its outcome before anything after it.
 */
async function execute(claim: Claim, ctx: Ctx, startedByClaim: number | null): Promise<RunOutcome> {
  try {
    let carry: RecordChange | null = null;
    for (let index = 0; index < claim.request.steps.length; index += 1) {
      claim.check();
      const ran = await runOne(claim, index, ctx, { carry, startedByClaim: index === startedByClaim });
      if (ran.outcome !== 'next') return ran.outcome;
      carry = ran.carry;
    }
    // The last outcome is stored on its own before `done`: a crash between them leaves an executing
    // request that the next engine finishes (and whose cards it replaces), never a `done` one whose
    // cards nobody will replace.
    if (carry) await commit(claim, ctx, [carry]);
    return await commitFinal(claim, ctx, [doneChange(claim.request)]);
  } catch (err) {
    if (err instanceof ClaimLost) {
      ctx.logger.warn({ requestId: claim.request.id, err: err.message }, 'execution stopped: claim lost');
      return 'claim-lost';
    }
    throw err;
  }
}

interface Ran {
  outcome: 'next' | RunOutcome;
  /** A done step's outcome, not yet written: it goes with the next change. */
  carry: RecordChange | null;
}

async function runOne(claim: Claim, index: number, ctx: Ctx, at: { carry: RecordChange | null; startedByClaim: boolean }): Promise<Ran> {
  const request = claim.request;
  const step = request.steps[index];
  const record = request.records[index];
  if (!step || !record) throw new Error(`request ${request.id} has no step or record at ${index}`);
  if (record.status === 'done') return { outcome: 'next', carry: at.carry };
  const pending = at.carry ? [at.carry] : [];
  if (record.status === 'failed') return { outcome: await commitFinal(claim, ctx, [...pending, failedChange(step, record)]), carry: null };
  let result: StepResult | null = null;
  if (record.status === 'started' && !at.startedByClaim) {
    if (pending.length > 0) await commit(claim, ctx, pending);
    claim.assertHeld();
    result = await resolveStarted(step, record, stepDeps(claim, index, ctx));
    await ctx.onBoundary?.(request.id, step.number, 'step-started');
  } else if (!at.startedByClaim) {
    await commit(claim, ctx, [...pending, startChange(request, index, ctx.now())]);
  }
  if (!result) {
    claim.assertHeld();
    result = await perform(claim, index, step, ctx);
  }
  await ctx.onBoundary?.(request.id, step.number, 'step-ran');
  const outcome = outcomeChange(
    step,
    index,
    claim.request.records[index],
    result,
    ctx.now(),
    readByRevalidation(claim.request, index, ctx),
  );
  if (result.status === 'done') return { outcome: 'next', carry: outcome };
  if (result.status === 'waiting-for-person') {
    await commit(claim, ctx, [outcome]);
    return { outcome: 'waiting-for-person', carry: null };
  }
  if (result.transient && ctx.releaseTransient) {
    const at = ctx.now();
    const { transient } = result;
    // Throttled: not before Graph's Retry-After. Unanswered: the consumer's retry delay decides.
    const until = transient.cause === 'throttled' ? at + (transient.retryAfterMs ?? DEFAULT_THROTTLED_RETRY_MS) : at;
    await commit(claim, ctx, [releasedChange(step, { ...result, transient }, at, until)]);
    return { outcome: 'released', carry: null };
  }
  return {
    outcome: await commitFinal(claim, ctx, [outcome, failedChange(step, { number: step.number, status: 'failed', code: result.code })]),
    carry: null,
  };
}

/** Writes the changes and their audit entries as one compare-and-swap; the entries reach the trail behind it. */
async function commit(claim: Claim, ctx: Ctx, changes: readonly RecordChange[]): Promise<ApprovalRequest> {
  const change = combined(changes);
  const next = await claim.write((r) => ctx.audit.stage(change.mutate(r), eventsOf(r.id, change.notes, ctx.now())));
  ctx.flushes.push(next);
  await passed(claim.request.id, changes, ctx);
  ctx.cards.push(next);
  return next;
}

/** The request's last change (done, done with warnings, or failed), with its entries. Answers the state it ends in. */
async function commitFinal(claim: Claim, ctx: Ctx, changes: readonly RecordChange[]): Promise<'done' | 'done-with-warnings' | 'failed'> {
  const next = await commit(claim, ctx, changes);
  return next.state === 'done' || next.state === 'done-with-warnings' ? next.state : 'failed';
}

async function passed(requestId: string, changes: readonly RecordChange[], ctx: Ctx): Promise<void> {
  for (const c of changes) if (c.boundary) await ctx.onBoundary?.(requestId, c.boundary.step, c.boundary.phase);
}

/**
 * A sync request that met a busy sync, or a relay that did not answer (restarting, or its host
 * briefly away), is asked again within the budget: asking for a delta sync twice is harmless.
 */
function waitedOut(step: PlanStep, code: string | undefined): boolean {
  return code === 'SYNC_BUSY' || (code === 'RELAY_UNAVAILABLE' && step.kind === 'TRIGGER_DELTA_SYNC');
}

/** Runs the step (or, in an undo request, the inverse of the original step); a busy sync or an unreachable relay is waited out. */
async function perform(claim: Claim, index: number, step: PlanStep, ctx: Ctx): Promise<StepResult> {
  const request = claim.request;
  const deps = stepDeps(claim, index, ctx);
  const retryMs = ctx.syncBusyRetryMs ?? DEFAULT_SYNC_BUSY_RETRY_MS;
  const giveUpAt = ctx.now() + verifyBudgetMs(request);
  for (;;) {
    const result = request.kind === 'undo' ? await undoOne(request, index, step, deps) : await runStep(step, deps);
    if (result.status !== 'failed' || !waitedOut(step, result.code) || ctx.now() + retryMs > giveUpAt) return result;
    ctx.logger.info(
      { requestId: request.id, step: step.number, code: result.code },
      'the delta sync could not be started yet; waiting before asking again',
    );
    await (ctx.steps.sleep ?? defaultSleep)(retryMs);
    // A claim lost while waiting stops here, before the sync is asked for again.
    claim.assertHeld();
  }
}

function undoOne(request: ApprovalRequest, index: number, step: PlanStep, deps: StepDeps): Promise<StepResult> {
  const source = request.reverts?.[index];
  const original: StepResult = source
    ? { status: 'done', before: source.before, after: source.after, detail: '' }
    : { status: 'failed', code: 'UNDO_IMPOSSIBLE', detail: '' };
  return undoStep(step, original, deps);
}

function stepDeps(claim: Claim, index: number, ctx: Ctx): StepDeps {
  const request = claim.request;
  return {
    ...ctx.steps,
    now: ctx.now,
    signal: claim.signal,
    ...(readByRevalidation(request, index, ctx) ? { revalidated: true } : {}),
    ...(request.syncStartedAt !== undefined ? { freshSince: request.syncStartedAt - FRESHNESS_SLACK_MS } : {}),
  };
}

/** The step wrote on the value the approval's re-validation read (it skipped its own read): where and when that was. */
function readByRevalidation(request: ApprovalRequest, index: number, ctx: Ctx): StepRecord['beforeRead'] | undefined {
  if (!(ctx.revalidated && request.kind === 'match' && revalidationStands(request.steps, index))) return undefined;
  const approval = request.approvals.at(-1);
  return approval ? { by: 'approval-revalidation', at: approval.at } : undefined;
}

function verifyBudgetMs(request: ApprovalRequest): number {
  const verify = request.steps.find((s) => s.kind === 'VERIFY_JOINED');
  return verify && verify.kind === 'VERIFY_JOINED' ? verify.timeoutSeconds * 1000 : 45 * 60_000;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function publishCard(ctx: Pick<EngineDeps, 'publish' | 'logger'>, request: ApprovalRequest): Promise<void> {
  if (!ctx.publish) return;
  try {
    await ctx.publish(request);
  } catch (err) {
    // The stored request is the truth; a card that could not be replaced is replaced at the next change or refresh.
    ctx.logger.warn({ err, requestId: request.id }, 'could not update the request card');
  }
}

interface FlushLane {
  push(request: ApprovalRequest): void;
  settled(): Promise<void>;
}

/** Copies each written version's outbox into the trail without holding the steps up; failures are logged (the next write or read copies them). */
function flushLane(deps: Pick<EngineDeps, 'audit' | 'logger'>): FlushLane {
  const running: Promise<void>[] = [];
  return {
    push(request) {
      running.push(
        deps.audit
          .flush(request)
          .catch((err: unknown) => deps.logger.warn({ err, requestId: request.id }, 'could not copy audit entries into the trail yet')),
      );
    },
    settled: async () => {
      await Promise.all(running);
    },
  };
}
