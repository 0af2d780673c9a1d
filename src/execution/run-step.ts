/**
 * Runs one step of a diagnosis plan: the action behind each PlanStep kind. Used by the approval
 * executor (one step at a time, recording each result) and by the scenario tests. Never throws for
 * a refusal it can explain (drift, Graph's error, a busy sync): those come back as `failed`.
 */
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { triggerDeltaSync, verifyJoined } from './sync-steps.ts';
import type { StepDeps, StepResult } from './types.ts';
import { clearAnchor, purgeDeletedUser, renameUpn, setAnchor } from './write-steps.ts';
import { clearObjectIdentifier, provisionOnDemand } from './hardening-steps.ts';

export function runStep(step: PlanStep, deps: StepDeps): Promise<StepResult> {
  switch (step.kind) {
    case 'PURGE_DELETED_USER':
      return purgeDeletedUser(step, deps);
    case 'CLEAR_ANCHOR':
      return clearAnchor(step, deps);
    case 'RENAME_UPN_TEMPORARILY':
      return renameUpn(step, deps);
    case 'SET_ANCHOR':
      return setAnchor(step, deps);
    case 'MANUAL':
      return Promise.resolve({ status: 'waiting-for-person', detail: step.instruction });
    case 'TRIGGER_DELTA_SYNC':
      return triggerDeltaSync(deps);
    case 'VERIFY_JOINED':
      return verifyJoined(step, deps);
    case 'CLEAR_OBJECT_IDENTIFIER':
      return clearObjectIdentifier(step, deps);
    case 'PROVISION_ON_DEMAND':
      return provisionOnDemand(step, deps);
  }
}
