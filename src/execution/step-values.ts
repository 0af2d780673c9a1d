/**
 * What a step will replace, recorded with `started` before it runs, so a crash between the write
 * and its record still leaves the old value in the audit trail and in the request.
 */
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { AnchorValue, UpnValue } from './types.ts';

export function valueToReplace(
  step: PlanStep,
):
  | AnchorValue
  | UpnValue
  | { userId: string; onPremisesImmutableId: string | null }
  | { userId: string; onPremisesObjectIdentifier: string }
  | null {
  switch (step.kind) {
    case 'SET_ANCHOR':
    case 'CLEAR_ANCHOR':
      return { userId: step.subject.userId, onPremisesImmutableId: step.previous };
    case 'RENAME_UPN_TEMPORARILY':
      return { userId: step.subject.userId, userPrincipalName: step.from };
    case 'PURGE_DELETED_USER':
      return { userId: step.subject.userId, onPremisesImmutableId: step.immutableId };
    case 'CLEAR_OBJECT_IDENTIFIER':
      return { userId: step.subject.userId, onPremisesObjectIdentifier: step.previous };
    case 'MANUAL':
    case 'TRIGGER_DELTA_SYNC':
    case 'PROVISION_ON_DEMAND':
    case 'VERIFY_JOINED':
      return null;
  }
}

/** Steps that write to the cloud, as opposed to a person's step, the sync and the check. */
export function writesToCloud(step: PlanStep): boolean {
  return (
    step.kind === 'SET_ANCHOR' ||
    step.kind === 'CLEAR_ANCHOR' ||
    step.kind === 'RENAME_UPN_TEMPORARILY' ||
    step.kind === 'PURGE_DELETED_USER' ||
    step.kind === 'CLEAR_OBJECT_IDENTIFIER'
  );
}

/**
 * Whether the value the approval's re-validation just read for this step's subject still stands
 * when the step runs, so the step need not read it again: a reversible write (an irreversible
 * purge is always checked in Graph first) with no step before it that changes anything. Not after
 * a person's step (time passes, a person acts), nor after a write, even to another user: a purge
 * or a cleared anchor frees the anchor, and a sync meanwhile (Entra Connect's own cycle, or another
 * request's) soft-matches the target, which then holds it and is mastered on-premises (found by
 * the chaos run: 14 of 18 recycle-bin fixes failed SET_ANCHOR with Request_BadRequest). Nor after a sync.
 */
export function revalidationStands(steps: readonly PlanStep[], index: number): boolean {
  const step = steps[index];
  if (!step || (step.kind !== 'SET_ANCHOR' && step.kind !== 'CLEAR_ANCHOR' && step.kind !== 'RENAME_UPN_TEMPORARILY')) return false;
  return steps.slice(0, index).every((earlier) => earlier.kind === 'VERIFY_JOINED');
}
