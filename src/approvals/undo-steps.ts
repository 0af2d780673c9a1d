/**
 * What `undo` reverts of a request, shared by `undo <id>` (undo.ts) and each user of `undo <bulk id>`
 * (bulk/bulk-undo-item.ts): the done steps that changed a value and have an inverse, newest first,
 * and the undo request that reverts them. A purge or a clear of onPremisesObjectIdentifier is
 * irreversible: named, never reverted.
 */
import type { ApprovalRequest, Refusal, StepRecord } from '../domain/approval/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { ActorContext } from './types.ts';
import { EMPTY_TRAIL } from './service.ts';

const UNDOABLE: readonly PlanStep['kind'][] = ['SET_ANCHOR', 'CLEAR_ANCHOR', 'RENAME_UPN_TEMPORARILY'];

export type UndoOutcome = { ok: true; request: ApprovalRequest; notUndoable: PlanStep[] } | { ok: false; refusal: Refusal };

type Done = { step: PlanStep; record: StepRecord | undefined };

/**
 * What `undo` can revert of a request: its done steps that changed a value and have an inverse,
 * newest first; and its done irreversible steps (a purge, a clear of onPremisesObjectIdentifier).
 */
export function undoableSteps(original: ApprovalRequest): { undoable: Done[]; irreversible: PlanStep[] } {
  const done = original.steps
    .map((step, i) => ({ step, record: original.records[i] }))
    .filter((x) => x.record?.status === 'done')
    .reverse();
  return {
    undoable: done.filter((x) => UNDOABLE.includes(x.step.kind) && JSON.stringify(x.record?.before) !== JSON.stringify(x.record?.after)),
    irreversible: done.filter((x) => x.step.irreversible).map((x) => x.step),
  };
}

/** The undo request: the undoable steps of `original`, newest first, each reverting what it wrote. */
export function undoRequest(
  id: string,
  original: ApprovalRequest,
  undoable: readonly Done[],
  context: ActorContext,
  at: number,
): ApprovalRequest {
  return {
    id,
    kind: 'undo',
    state: 'proposed',
    tenantId: original.tenantId,
    command: `undo ${original.id}`,
    who: original.who,
    ...(original.target ? { target: original.target } : {}),
    diagnosis: original.diagnosis,
    steps: undoable.map((x, i) => ({
      ...x.step,
      number: i + 1,
      description: `Undo step ${x.step.number} of ${original.id}: ${x.step.description}`,
    })),
    records: undoable.map((_, i) => ({ number: i + 1, status: 'pending' })),
    reverts: undoable.map((x) => ({ before: x.record?.before, after: x.record?.after })),
    fingerprint: undoable.map((x) => ({
      fact: `step ${x.step.number} after`,
      label: `the value step ${x.step.number} of ${original.id} wrote`,
      value: JSON.stringify(x.record?.after ?? null),
    })),
    proposedBy: context.actor,
    approvals: [],
    cards: [],
    undoOf: original.id,
    auditHead: EMPTY_TRAIL,
    createdAt: at,
    updatedAt: at,
  };
}
