/**
 * The 2026 steps: CLEAR_OBJECT_IDENTIFIER (free a cloud user mapped to another on-premises object)
 * and PROVISION_ON_DEMAND (Cloud Sync's sync of one AD object, in place of a delta cycle).
 * - The clear re-reads the mapping first: gone user or another value is PLAN_DRIFT (nothing
 *   written); already null is done (a resumed run after a crash between write and record). It
 *   cannot be undone, so the value it replaced is recorded as `before` for the audit trail.
 * - Provisioning on demand records Graph's answer as `after` (each step: import, scoping,
 *   matching, export), and fails with the run's own error code when it did not succeed; the join
 *   is still proven by VERIFY_JOINED through Graph, like after a delta sync.
 */
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { ProvisionOnDemandResult } from '../ports/cloud-directory.ts';
import { CloudError } from '../errors/index.ts';
import { done, drift, failedFrom, named, shown } from './step-outcome.ts';
import type { StepDeps, StepResult } from './types.ts';

type StepOf<K extends PlanStep['kind']> = Extract<PlanStep, { kind: K }>;

/** Recorded by CLEAR_OBJECT_IDENTIFIER as `before` and `after`. */
export interface ObjectIdentifierValue {
  userId: string;
  onPremisesObjectIdentifier: string | null;
}

export async function clearObjectIdentifier(step: StepOf<'CLEAR_OBJECT_IDENTIFIER'>, deps: StepDeps): Promise<StepResult> {
  let now: { exists: boolean; onPremisesObjectIdentifier: string | null };
  try {
    now = await deps.cloud.objectIdentifierOf(step.subject.userId);
  } catch (err) {
    return failedFrom(err);
  }
  if (!now.exists) return drift(`${named(step.subject)} no longer exists (or is in the recycle bin); nothing was cleared.`);
  const before: ObjectIdentifierValue = { userId: step.subject.userId, onPremisesObjectIdentifier: now.onPremisesObjectIdentifier };
  const after: ObjectIdentifierValue = { userId: step.subject.userId, onPremisesObjectIdentifier: null };
  if (now.onPremisesObjectIdentifier === null) {
    return done(before, after, `The onPremisesObjectIdentifier of ${named(step.subject)} is already empty; nothing was written.`);
  }
  if (now.onPremisesObjectIdentifier.toLowerCase() !== step.previous.toLowerCase()) {
    return drift(
      `The onPremisesObjectIdentifier of ${named(step.subject)} is now ${shown(now.onPremisesObjectIdentifier)}; the plan expected ${shown(step.previous)}.`,
    );
  }
  try {
    await deps.cloud.clearObjectIdentifier(step.subject.userId, step.previous);
  } catch (err) {
    if (refused(err)) return personClears(step);
    return failedFrom(err, before);
  }
  return done(
    before,
    after,
    `Cleared the onPremisesObjectIdentifier of ${named(step.subject)}; it named ${shown(step.previous)}, another on-premises object. ` +
      `The next sync maps it to ${step.dn}.`,
  );
}

/**
 * Graph's 403: the identity lacks the permission or directory role (the diagnosis could not tell,
 * e.g. a token that names no roles). The run is not failed for it: the step waits for a person
 * who has them, and the card says exactly what to do.
 */
function refused(err: unknown): boolean {
  return err instanceof CloudError && err.status === 403;
}

function personClears(step: StepOf<'CLEAR_OBJECT_IDENTIFIER'>): StepResult {
  return {
    status: 'waiting-for-person',
    detail:
      `Graph refused the bot the clear (its identity lacks User-OnPremisesSyncBehavior.ReadWrite.All or the Hybrid Identity Administrator role). ` +
      `A Hybrid Identity Administrator or Global Administrator clears it instead: in Graph PowerShell, Invoke-MgGraphRequest -Method PATCH ` +
      `-Uri https://graph.microsoft.com/beta/users/${step.subject.userId} -Body '{"onPremisesObjectIdentifier":null}' ` +
      `(it names ${step.previous}; only null is accepted). Then press Done.`,
  };
}

function personProvisions(step: StepOf<'PROVISION_ON_DEMAND'>): StepResult {
  return {
    status: 'waiting-for-person',
    detail:
      `Graph refused the bot provisioning on demand (its identity lacks Synchronization.ReadWrite.All). A person runs it instead: ` +
      `Entra admin center → Entra Connect → Cloud sync → the configuration → Provision on demand, enter ${step.dn}, Provision, ` +
      `check that every step succeeded, then press Done.`,
  };
}

/**
 * What Entra's provisioning log adds about the failed run (its recommended action, when it has
 * one); nothing when the log cannot be read (AuditLog.Read.All missing): the run's own answer
 * already says what failed.
 */
async function logNote(step: StepOf<'PROVISION_ON_DEMAND'>, deps: StepDeps): Promise<string> {
  try {
    const entry = await deps.cloud.provisioningLogOf(step.job.jobId);
    if (!entry?.recommendedAction && !entry?.reason) return '';
    return ` Provisioning log: ${[entry.reason, entry.recommendedAction ? `recommended: ${entry.recommendedAction}` : null].filter(Boolean).join('; ')}.`;
  } catch {
    return '';
  }
}

/** "Matching: Success (matched on mS-DS-ConsistencyGuid)" per step, for the card and the audit. */
function stepsText(result: ProvisionOnDemandResult): string {
  return result.steps
    .map((s) => {
      const on = Object.entries(s.details).find(([k]) => /match/i.test(k));
      return `${s.type || s.name}: ${s.status}${on ? ` (${on[0]} ${on[1]})` : ''}${s.status.toLowerCase() === 'success' || s.description === '' ? '' : ` (${s.description})`}`;
    })
    .join('; ');
}

export async function provisionOnDemand(step: StepOf<'PROVISION_ON_DEMAND'>, deps: StepDeps): Promise<StepResult> {
  let result: ProvisionOnDemandResult;
  try {
    result = await deps.cloud.provisionOnDemand(step.job, step.dn);
  } catch (err) {
    if (refused(err)) return personProvisions(step);
    return failedFrom(err);
  }
  const steps = stepsText(result);
  const failedStep = result.steps.find((s) => /fail|error/i.test(s.status));
  if (/fail|error/i.test(result.result) || failedStep) {
    const why = result.errorMessage ?? failedStep?.description ?? 'no reason given';
    const log = await logNote(step, deps);
    return {
      status: 'failed',
      code: result.errorCode ?? 'PROVISIONING_FAILED',
      detail: `Cloud Sync could not sync ${step.dn}: ${why}${steps ? ` [${steps}]` : ''}${log}`,
      before: null,
    };
  }
  const joined = result.targetId ? ` It exported to the cloud user ${result.targetId}.` : '';
  return done(null, result, `Cloud Sync synced ${step.dn} on demand (${result.result}).${joined}${steps ? ` Steps: ${steps}.` : ''}`);
}
