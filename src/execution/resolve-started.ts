/**
 * A step found `started` when an engine takes over a request: the previous owner died between
 * recording the start and recording the outcome, so nobody knows whether the write happened.
 * It is resolved by reading Graph. An irreversible step is never sent again when Graph shows it
 * took effect; reversible writes are idempotent (an anchor already equal is done), the sync is
 * harmless to repeat, and the check simply runs.
 */
import type { StepRecord } from '../domain/approval/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { done, failedFrom, named } from './step-outcome.ts';
import type { StepDeps, StepResult } from './types.ts';

/** Null: run the step (it had not taken effect, or running it again is safe). */
export async function resolveStarted(step: PlanStep, record: StepRecord, deps: StepDeps): Promise<StepResult | null> {
  if (step.kind !== 'PURGE_DELETED_USER') return null;
  let user;
  try {
    user = await deps.cloud.findUser(step.subject.userId);
  } catch (err) {
    return failedFrom(err, record.before);
  }
  if (user === null) {
    return done(
      record.before ?? null,
      null,
      `${named(step.subject)} is no longer in the recycle bin: the purge started before a restart took effect (checked in Graph; not sent again).`,
    );
  }
  // Still in the recycle bin: the DELETE never reached Graph, so sending it now is its first run.
  return null;
}
