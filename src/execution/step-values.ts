/**
 * What a step will replace, recorded with `started` before it runs, so a crash between the write
 * and its record still leaves the old value in the audit trail and in the request.
 */
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { AnchorValue, UpnValue } from './types.ts';

export function valueToReplace(step: PlanStep): AnchorValue | UpnValue | { userId: string; onPremisesImmutableId: string | null } | null {
  switch (step.kind) {
    case 'SET_ANCHOR':
    case 'CLEAR_ANCHOR':
      return { userId: step.subject.userId, onPremisesImmutableId: step.previous };
    case 'RENAME_UPN_TEMPORARILY':
      return { userId: step.subject.userId, userPrincipalName: step.from };
    case 'PURGE_DELETED_USER':
      return { userId: step.subject.userId, onPremisesImmutableId: step.immutableId };
    case 'MANUAL':
    case 'TRIGGER_DELTA_SYNC':
    case 'VERIFY_JOINED':
      return null;
  }
}

/** Steps that write to the cloud, as opposed to a person's step, the sync and the check. */
export function writesToCloud(step: PlanStep): boolean {
  return step.kind === 'SET_ANCHOR' || step.kind === 'CLEAR_ANCHOR' || step.kind === 'RENAME_UPN_TEMPORARILY' || step.kind === 'PURGE_DELETED_USER';
}
