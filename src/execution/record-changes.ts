/**
 * The engine's record changes as values: what a change does to the stored request, the audit
 * entries that tell it, and the boundary it passes (the crash tests' hook). Values, so that two
 * changes that follow each other (a step's outcome and the next step's start, the last outcome and
 * `done`) are written as one compare-and-swap with their entries appended in one write.
 */
import type { ApprovalRequest, StepRecord } from '../domain/approval/types.ts';
import type { AuditAction, AuditEvent } from '../domain/audit/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { valueToReplace } from './step-values.ts';
import type { StepResult } from './types.ts';

export type BoundaryPhase = 'claimed' | 'step-started' | 'step-ran' | 'step-recorded';

export interface Note {
  action: AuditAction;
  summary: string;
  step?: PlanStep;
  before?: unknown;
  after?: unknown;
  code?: string;
}

export interface RecordChange {
  mutate: (request: ApprovalRequest) => ApprovalRequest;
  notes: Note[];
  /** Passed once the change is stored. */
  boundary?: { step: number; phase: BoundaryPhase };
}

/** Several changes as one. */
export function combined(changes: readonly RecordChange[]): RecordChange {
  return {
    mutate: (request) => changes.reduce((r, c) => c.mutate(r), request),
    notes: changes.flatMap((c) => c.notes),
  };
}

/**
 * Step `index` of `request` recorded as started, with the value it will replace: in an undo, the
 * value the original step wrote (not the one it replaced, which the undo puts back).
 */
export function startChange(request: ApprovalRequest, index: number, at: number): RecordChange {
  const step = request.steps[index];
  if (!step) throw new Error(`request ${request.id} has no step at ${index}`);
  const before = request.kind === 'undo' ? (request.reverts?.[index]?.after ?? undefined) : valueToReplace(step);
  return {
    mutate: (r) => ({
      ...r,
      ...(step.kind === 'TRIGGER_DELTA_SYNC' || step.kind === 'PROVISION_ON_DEMAND' ? { syncStartedAt: at } : {}),
      records: withRecord(r.records, index, { number: step.number, status: 'started', ...(before ? { before } : {}), startedAt: at }),
    }),
    notes: [{ action: 'step-started', summary: `Step ${step.number} started: ${step.description}`, step, ...(before ? { before } : {}) }],
    boundary: { step: step.number, phase: 'step-started' },
  };
}

/**
 * Step `index`'s outcome; `previous` is its record as it stands (started). `beforeRead`: the step
 * wrote without reading the value first (the approval's re-validation had), recorded as such.
 */
export function outcomeChange(
  step: PlanStep,
  index: number,
  previous: StepRecord | undefined,
  result: StepResult,
  at: number,
  beforeRead?: StepRecord['beforeRead'],
): RecordChange {
  const base: StepRecord = { number: step.number, status: 'started', ...(previous?.startedAt ? { startedAt: previous.startedAt } : {}) };
  const boundary = { step: step.number, phase: 'step-recorded' as const };
  if (result.status === 'done') {
    // A step that found its value already in place reports before === after; the value it replaced is the one recorded at start.
    const before = previous?.before !== undefined && isSame(result.before, result.after) ? previous.before : result.before;
    const read = beforeRead
      ? ` (The value before is the one the approval's re-validation read, started at ${new Date(beforeRead.at).toISOString()}; it was not read again right before the write.)`
      : '';
    const rec: StepRecord = {
      ...base,
      status: 'done',
      before,
      after: result.after,
      detail: result.detail,
      endedAt: at,
      ...(result.warnings?.length ? { warnings: result.warnings } : {}),
      ...(beforeRead ? { beforeRead } : {}),
    };
    return {
      mutate: (r) => ({ ...r, records: withRecord(r.records, index, rec) }),
      notes: [{ action: 'step-done', summary: `Step ${step.number} done: ${result.detail}${read}`, step, before, after: result.after }],
      boundary,
    };
  }
  if (result.status === 'waiting-for-person') {
    const rec: StepRecord = { ...base, status: 'waiting-for-person', detail: result.detail };
    return {
      mutate: (r) => ({ ...r, state: 'waiting-for-person', records: withRecord(r.records, index, rec) }),
      notes: [{ action: 'step-waiting', summary: `Step ${step.number} waits for a person: ${result.detail}`, step }],
      boundary,
    };
  }
  const rec: StepRecord = {
    ...base,
    status: 'failed',
    code: result.code,
    detail: result.detail,
    endedAt: at,
    ...(result.before !== undefined ? { before: result.before } : {}),
  };
  return {
    mutate: (r) => ({ ...r, records: withRecord(r.records, index, rec) }),
    notes: [{ action: 'step-failed', summary: `Step ${step.number} failed (${result.code}): ${result.detail}`, step, code: result.code }],
    boundary,
  };
}

/**
 * A bulk user's step that Graph kept throttling until the call's deadline (a throttled write is not
 * executed): the request is released, back to `approved` (the claim gives its lease up), not to be
 * claimed again before `retryAt`. The step stays `started`, so whoever claims it next reads Graph
 * first (resolve-started.ts; a write takes effect at most once), and nothing is marked failed.
 */
export function releasedChange(
  step: PlanStep,
  result: Extract<StepResult, { status: 'failed' }>,
  at: number,
  retryAt: number,
): RecordChange {
  const seconds = Math.ceil((retryAt - at) / 1000);
  const why = result.throttled?.retryAfterMs != null ? "Graph's Retry-After" : 'Graph gave no Retry-After';
  return {
    mutate: (r) => ({ ...r, state: 'approved', retryAt }),
    notes: [
      {
        action: 'step-requeued',
        summary: `Step ${step.number} throttled past its deadline: ${result.detail} Nothing was written by it (a throttled request is not executed); released and put back on the work-item queue, tried again in ${seconds} s (${why}); throttling does not count toward the poison limit.`,
        step,
        code: 'CLOUD_THROTTLED',
      },
    ],
    boundary: { step: step.number, phase: 'step-recorded' },
  };
}

/** The request failed at `step` (its record says how). */
export function failedChange(step: PlanStep, record: StepRecord): RecordChange {
  const code = record.code ?? 'failed';
  return {
    mutate: (r) => ({ ...r, state: 'failed' }),
    notes: [
      {
        action: 'failed',
        summary: `The plan stopped at step ${step.number} (${code}); the steps after it did not run.`,
        step,
        ...(record.code ? { code: record.code } : {}),
      },
    ],
  };
}

/** The claim (or take-over) of an execution, as the trail tells it. */
export function claimedNote(owner: string, resumed: boolean): Note {
  return resumed
    ? { action: 'execution-resumed', summary: `Execution resumed by ${owner}.` }
    : { action: 'execution-claimed', summary: `Execution started by ${owner}.` };
}

/** The request's end once every step is done: `done-with-warnings` when the join left something (the records say what). */
export function doneChange(request: ApprovalRequest): RecordChange {
  const warnings = request.records.flatMap((r) => r.warnings ?? []);
  if (warnings.length === 0)
    return { mutate: (r) => ({ ...r, state: 'done' }), notes: [{ action: 'done', summary: 'Every step is done.' }] };
  const summary = `Every step is done and the join works, but it left ${warnings.length === 1 ? 'one thing' : `${warnings.length} things`} to fix: ${warnings.map((w) => `${w.what} (fix: ${w.fix})`).join('; ')}`;
  return {
    mutate: (r) => ({ ...r, state: 'done-with-warnings' }),
    notes: [{ action: 'done', summary, after: { state: 'done-with-warnings', warnings } }],
  };
}

/** The audit events of `notes`, stamped `at`. */
export function eventsOf(requestId: string, notes: readonly Note[], at: number): AuditEvent[] {
  return notes.map((n) => ({
    requestId,
    at,
    actor: null,
    action: n.action,
    summary: n.summary,
    ...(n.step ? { step: { number: n.step.number, kind: n.step.kind } } : {}),
    ...(n.before !== undefined ? { before: n.before } : {}),
    ...(n.after !== undefined ? { after: n.after } : {}),
    ...(n.code ? { code: n.code } : {}),
  }));
}

function withRecord(records: readonly StepRecord[], index: number, record: StepRecord): StepRecord[] {
  return records.map((r, i) => (i === index ? record : r));
}

function isSame(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
