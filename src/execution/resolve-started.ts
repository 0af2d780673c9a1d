/**
 * A step found `started` when an engine takes over a request: the previous owner died between
 * recording the start and recording the outcome, so nobody knows whether the write happened.
 * It is resolved by reading Graph. An irreversible step is never sent again when Graph shows it
 * took effect; reversible writes are idempotent (an anchor already equal is done), the sync is
 * harmless to repeat, and the check simply runs.
 *
 * The clear of `onPremisesObjectIdentifier` is irreversible and its effect may be overwritten
 * before the take-over: once cleared, any sync (another request's, Entra's own cycle) maps the
 * user to the object whose anchor the plan set. So a started clear that finds the mapping naming
 * neither the old object nor nothing took effect and is not sent again (found by the chaos run:
 * a SIGKILL after the clear, a sync, then PLAN_DRIFT on the resumed step).
 */
import type { StepRecord } from '../domain/approval/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { done, failedFrom, named, shown } from './step-outcome.ts';
import type { StepDeps, StepResult } from './types.ts';

type StepOf<K extends PlanStep['kind']> = Extract<PlanStep, { kind: K }>;

/** Null: run the step (it had not taken effect, or running it again is safe). */
export async function resolveStarted(step: PlanStep, record: StepRecord, deps: StepDeps): Promise<StepResult | null> {
  if (step.kind === 'CLEAR_OBJECT_IDENTIFIER') return resolveStartedClear(step, record, deps);
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

async function resolveStartedClear(
  step: StepOf<'CLEAR_OBJECT_IDENTIFIER'>,
  record: StepRecord,
  deps: StepDeps,
): Promise<StepResult | null> {
  let now;
  try {
    now = await deps.cloud.objectIdentifierOf(step.subject.userId);
  } catch (err) {
    return failedFrom(err, record.before);
  }
  const mapped = now.onPremisesObjectIdentifier;
  // Gone, still the old object, or empty: the step runs and says so (drift, a clear, or done).
  if (!now.exists || mapped === null || mapped.toLowerCase() === step.previous.toLowerCase()) return null;
  const userId = step.subject.userId;
  return done(
    record.before ?? { userId, onPremisesObjectIdentifier: step.previous },
    { userId, onPremisesObjectIdentifier: mapped },
    `The clear of the onPremisesObjectIdentifier of ${named(step.subject)} started before a restart took effect: it no longer names ` +
      `${shown(step.previous)}, and a sync has since mapped it to ${shown(mapped)} (checked in Graph; not sent again).`,
  );
}
