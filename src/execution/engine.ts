/**
 * The execution engine: runs an approved request's steps exactly once. It claims the request with
 * a compare-and-swap (`approved → executing`, with an owner and a lease it keeps renewing),
 * records each step as `started` (with the value it will replace) before running it and as `done`
 * or `failed` (before and after values) after, stops at a MANUAL step (`waiting-for-person`) or a
 * failure, and finishes with `done`. A request whose lease ran out (its engine died) is taken over
 * and resumed from its records; a step found `started` is resolved by reading Graph first.
 */
import type { ApprovalRequest, StepRecord, Versioned } from '../domain/approval/types.ts';
import type { AuditAction } from '../domain/audit/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { cardLane, type CardLane } from './card-lane.ts';
import { Claim, ClaimLost, claimExecution } from './claim.ts';
import { resolveStarted } from './resolve-started.ts';
import { runStep } from './run-step.ts';
import { revalidationStands, valueToReplace } from './step-values.ts';
import { FRESHNESS_SLACK_MS, type StepDeps, type StepResult } from './types.ts';
import { undoStep } from './undo-step.ts';

/** A lease long enough to ride out a slow Graph call, short enough that a dead engine is replaced soon. */
export const DEFAULT_LEASE_MS = 60_000;
/** How long to wait before asking again when the relay says a sync is already running. */
export const DEFAULT_SYNC_BUSY_RETRY_MS = 15_000;

export type BoundaryPhase = 'claimed' | 'step-started' | 'step-ran' | 'step-recorded';

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
  /** Test hook: called at each step boundary (the crash tests kill the process here). */
  onBoundary?: (requestId: string, step: number, phase: BoundaryPhase) => void | Promise<void>;
}

export type RunOutcome = 'not-claimed' | 'done' | 'failed' | 'waiting-for-person' | 'claim-lost';

export interface RunOptions {
  /**
   * The version the approving instance just wrote, after re-validating the facts. Claimed from
   * exactly that version, the request's write steps need not read their subject again: the
   * re-validation did, and the compare-and-swap proves nothing changed the request in between.
   */
  approved?: Versioned<ApprovalRequest>;
}

export interface Engine {
  /** Claims and runs the request when it is approved (or abandoned mid-way); resolves when it stops and its cards are sent. */
  run(requestId: string, options?: RunOptions): Promise<RunOutcome>;
  /** Finds requests whose engine died (lease over) or that were approved and never claimed, and runs them. */
  resumeAbandoned(tenantId: string): Promise<number>;
}

export function createEngine(deps: EngineDeps): Engine {
  const now = deps.now ?? Date.now;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  return {
    async run(requestId, options = {}) {
      const won = await claimExecution(deps.store, requestId, { owner: deps.owner, leaseMs, now: now(), ...(options.approved ? { approved: options.approved } : {}) });
      if (!won) return 'not-claimed';
      const claim = new Claim(won.claimed, { store: deps.store, owner: deps.owner, leaseMs, now });
      const ctx: Ctx = { ...deps, now, leaseMs, cards: cardLane((request) => publishCard(deps, request)), revalidated: won.fromApproval && !won.resumed };
      try {
        await note(deps, claim.request, won.resumed ? 'execution-resumed' : 'execution-claimed', won.resumed ? `Execution resumed by ${deps.owner}.` : `Execution started by ${deps.owner}.`);
        await deps.onBoundary?.(requestId, 0, 'claimed');
        ctx.cards.push(claim.request);
        return await execute(claim, ctx);
      } finally {
        await ctx.cards.settled();
      }
    },
    async resumeAbandoned(tenantId) {
      const at = now();
      const candidates = await deps.store.listByState(tenantId, ['approved', 'executing']);
      const abandoned = candidates.filter(({ value }) =>
        value.state === 'executing' ? (value.lease?.until ?? 0) <= at : value.updatedAt + leaseMs <= at,
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
  /** Claimed from the re-validated approval's own version (see RunOptions.approved). */
  revalidated: boolean;
};

async function execute(claim: Claim, ctx: Ctx): Promise<RunOutcome> {
  let lost: unknown;
  claim.keepAlive((err) => (lost = err));
  try {
    for (let index = 0; index < claim.request.steps.length; index += 1) {
      if (lost) throw lost instanceof Error ? lost : new Error('the lease could not be renewed');
      const outcome = await runOne(claim, index, ctx);
      if (outcome !== 'next') return outcome;
    }
    const finished = await claim.write((r) => ({ ...r, state: 'done' }));
    await note(ctx, finished, 'done', 'Every step is done.');
    ctx.cards.push(finished);
    return 'done';
  } catch (err) {
    if (err instanceof ClaimLost) {
      ctx.logger.warn({ requestId: claim.request.id, err: err.message }, 'execution stopped: claim lost');
      return 'claim-lost';
    }
    throw err;
  } finally {
    claim.stopKeepAlive();
  }
}

async function runOne(claim: Claim, index: number, ctx: Ctx): Promise<'next' | RunOutcome> {
  const request = claim.request;
  const step = request.steps[index];
  const record = request.records[index];
  if (!step || !record) throw new Error(`request ${request.id} has no step or record at ${index}`);
  if (record.status === 'done') return 'next';
  if (record.status === 'failed') return finishFailed(claim, step, record, ctx);
  let result: StepResult | null = null;
  if (record.status === 'started') {
    result = await resolveStarted(step, record, stepDeps(request, index, ctx));
  } else {
    await startStep(claim, index, step, ctx);
  }
  await ctx.onBoundary?.(request.id, step.number, 'step-started');
  result ??= await perform(claim.request, index, step, ctx);
  await ctx.onBoundary?.(request.id, step.number, 'step-ran');
  const outcome = await recordResult(claim, index, step, result, ctx);
  await ctx.onBoundary?.(request.id, step.number, 'step-recorded');
  return outcome;
}

async function startStep(claim: Claim, index: number, step: PlanStep, ctx: Ctx): Promise<void> {
  const at = ctx.now();
  const before = valueToReplace(step);
  const started = await claim.write((r) => ({
    ...r,
    ...(step.kind === 'TRIGGER_DELTA_SYNC' ? { syncStartedAt: at } : {}),
    records: withRecord(r.records, index, { number: step.number, status: 'started', ...(before ? { before } : {}), startedAt: at }),
  }));
  await note(ctx, started, 'step-started', `Step ${step.number} started: ${step.description}`, { step, ...(before ? { before } : {}) });
  ctx.cards.push(started);
}

/** Runs the step (or, in an undo request, the inverse of the original step); a busy sync is waited out. */
async function perform(request: ApprovalRequest, index: number, step: PlanStep, ctx: Ctx): Promise<StepResult> {
  const deps = stepDeps(request, index, ctx);
  const retryMs = ctx.syncBusyRetryMs ?? DEFAULT_SYNC_BUSY_RETRY_MS;
  const giveUpAt = ctx.now() + verifyBudgetMs(request);
  for (;;) {
    const result = request.kind === 'undo' ? await undoOne(request, index, step, deps) : await runStep(step, deps);
    if (result.status !== 'failed' || result.code !== 'SYNC_BUSY' || ctx.now() + retryMs > giveUpAt) return result;
    ctx.logger.info({ requestId: request.id, step: step.number }, 'a delta sync is already running; waiting before asking again');
    await (ctx.steps.sleep ?? defaultSleep)(retryMs);
  }
}

function undoOne(request: ApprovalRequest, index: number, step: PlanStep, deps: StepDeps): Promise<StepResult> {
  const source = request.reverts?.[index];
  const original: StepResult = source ? { status: 'done', before: source.before, after: source.after, detail: '' } : { status: 'failed', code: 'UNDO_IMPOSSIBLE', detail: '' };
  return undoStep(step, original, deps);
}

async function recordResult(claim: Claim, index: number, step: PlanStep, result: StepResult, ctx: Ctx): Promise<'next' | RunOutcome> {
  const at = ctx.now();
  const previous = claim.request.records[index];
  const base: StepRecord = { number: step.number, status: 'started', ...(previous?.startedAt ? { startedAt: previous.startedAt } : {}) };
  if (result.status === 'done') {
    // A step that found its value already in place reports before === after; the value it replaced is the one recorded at start.
    const before = previous?.before !== undefined && isSame(result.before, result.after) ? previous.before : result.before;
    const rec: StepRecord = { ...base, status: 'done', before, after: result.after, detail: result.detail, endedAt: at };
    const next = await claim.write((r) => ({ ...r, records: withRecord(r.records, index, rec) }));
    await note(ctx, next, 'step-done', `Step ${step.number} done: ${result.detail}`, { step, before, after: result.after });
    ctx.cards.push(next);
    return 'next';
  }
  if (result.status === 'waiting-for-person') {
    const rec: StepRecord = { ...base, status: 'waiting-for-person', detail: result.detail };
    const next = await claim.write((r) => ({ ...r, state: 'waiting-for-person', records: withRecord(r.records, index, rec) }));
    await note(ctx, next, 'step-waiting', `Step ${step.number} waits for a person: ${result.detail}`, { step });
    ctx.cards.push(next);
    return 'waiting-for-person';
  }
  const rec: StepRecord = { ...base, status: 'failed', code: result.code, detail: result.detail, endedAt: at, ...(result.before !== undefined ? { before: result.before } : {}) };
  const next = await claim.write((r) => ({ ...r, records: withRecord(r.records, index, rec) }));
  await note(ctx, next, 'step-failed', `Step ${step.number} failed (${result.code}): ${result.detail}`, { step, code: result.code });
  return finishFailed(claim, step, rec, ctx);
}

async function finishFailed(claim: Claim, step: PlanStep, record: StepRecord, ctx: Ctx): Promise<RunOutcome> {
  const failed = await claim.write((r) => ({ ...r, state: 'failed' }));
  await note(ctx, failed, 'failed', `The plan stopped at step ${step.number} (${record.code ?? 'failed'}); the steps after it did not run.`, { step, ...(record.code ? { code: record.code } : {}) });
  ctx.cards.push(failed);
  return 'failed';
}

function stepDeps(request: ApprovalRequest, index: number, ctx: Ctx): StepDeps {
  return {
    ...ctx.steps,
    now: ctx.now,
    ...(ctx.revalidated && request.kind === 'match' && revalidationStands(request.steps, index) ? { revalidated: true } : {}),
    ...(request.syncStartedAt !== undefined ? { freshSince: request.syncStartedAt - FRESHNESS_SLACK_MS } : {}),
  };
}

function verifyBudgetMs(request: ApprovalRequest): number {
  const verify = request.steps.find((s) => s.kind === 'VERIFY_JOINED');
  return verify && verify.kind === 'VERIFY_JOINED' ? verify.timeoutSeconds * 1000 : 45 * 60_000;
}

function withRecord(records: readonly StepRecord[], index: number, record: StepRecord): StepRecord[] {
  return records.map((r, i) => (i === index ? record : r));
}

function isSame(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function note(
  ctx: Pick<EngineDeps, 'audit' | 'now'>,
  request: ApprovalRequest,
  action: AuditAction,
  summary: string,
  extra: { step?: PlanStep; before?: unknown; after?: unknown; code?: string } = {},
): Promise<void> {
  await ctx.audit.append({
    requestId: request.id,
    at: (ctx.now ?? Date.now)(),
    actor: null,
    action,
    summary,
    ...(extra.step ? { step: { number: extra.step.number, kind: extra.step.kind } } : {}),
    ...(extra.before !== undefined ? { before: extra.before } : {}),
    ...(extra.after !== undefined ? { after: extra.after } : {}),
    ...(extra.code ? { code: extra.code } : {}),
  });
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
