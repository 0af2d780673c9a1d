/**
 * `undo <request id>`: a new request, needing its own approval, that reverts the reversible steps
 * another request already did, newest first. Each inverse is computed from the original step's
 * record (the value it replaced and the value it wrote) and refuses at run time where the value
 * changed since (`undoStep`). A purge cannot be undone and is named, not hidden.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { newRequestId } from '../domain/approval/request-id.ts';
import type { ApprovalRequest, Refusal, StepRecord } from '../domain/approval/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { ActorContext, ApprovalDeps } from './types.ts';
import { createWithFreshId } from '../concurrency/cas-update.ts';
import { EMPTY_TRAIL, FRESH_ID_ATTEMPTS } from './service.ts';

const UNDOABLE: readonly PlanStep['kind'][] = ['SET_ANCHOR', 'CLEAR_ANCHOR', 'RENAME_UPN_TEMPORARILY'];

export interface UndoService {
  /** The stored `proposed` undo request, or why there is nothing to undo. */
  propose(
    originalId: string,
    context: ActorContext,
  ): Promise<{ ok: true; request: ApprovalRequest; notUndoable: PlanStep[] } | { ok: false; refusal: Refusal }>;
}

export function createUndoService(deps: Pick<ApprovalDeps, 'store' | 'audit' | 'now' | 'randomBytes'>): UndoService {
  const now = deps.now ?? Date.now;
  const random = deps.randomBytes ?? ((n: number) => new Uint8Array(cryptoRandomBytes(n)));
  return {
    async propose(originalId, context) {
      const stored = await deps.store.get(originalId.toLowerCase());
      const original = stored?.value;
      if (!original || original.tenantId.toLowerCase() !== context.tenantId.toLowerCase()) {
        return {
          ok: false,
          refusal: { code: 'UNKNOWN_REQUEST', message: `There is no request "${originalId}". Type "status" to see your open requests.` },
        };
      }
      if (original.state === 'executing') {
        return {
          ok: false,
          refusal: { code: 'WRONG_STATE', message: `Request ${original.id} is still executing; undo it once it has stopped.` },
        };
      }
      // Its remaining steps may still run (a person's Done resumes it): an undo now could be undone by them.
      if (original.state === 'waiting-for-person' || original.state === 'approved') {
        return {
          ok: false,
          refusal: {
            code: 'WRONG_STATE',
            message: `Request ${original.id} is ${original.state === 'approved' ? 'about to execute' : 'waiting for a person'} and its remaining steps may still run; undo it once it has ended, or cancel it first.`,
          },
        };
      }
      const done = original.steps
        .map((step, i) => ({ step, record: original.records[i] }))
        .filter((x) => x.record?.status === 'done')
        .reverse();
      const undoable = done.filter(
        (x) => UNDOABLE.includes(x.step.kind) && JSON.stringify(x.record?.before) !== JSON.stringify(x.record?.after),
      );
      const notUndoable = done.filter((x) => x.step.kind === 'PURGE_DELETED_USER').map((x) => x.step);
      if (undoable.length === 0) {
        const why = notUndoable.length > 0 ? ' Its purge cannot be undone: the object is permanently deleted.' : '';
        return {
          ok: false,
          refusal: {
            code: 'NOTHING_TO_UNDO',
            message: `Request ${original.id} did no reversible step that changed a value, so there is nothing to undo.${why}`,
          },
        };
      }
      const at = now();
      const proposal = (id: string) =>
        deps.audit.stage(undoRequest(id, original, undoable, context, at), [
          {
            requestId: id,
            at,
            actor: context.actor,
            action: 'proposed',
            summary: `${context.actor.name} proposed undoing ${undoable.length} step(s) of ${original.id}.`,
          },
        ]);
      const request = await createWithFreshId(
        (r) => deps.store.create(r),
        () => proposal(newRequestId(random)),
        FRESH_ID_ATTEMPTS,
      );
      await deps.audit.flush(request);
      return { ok: true, request, notUndoable };
    },
  };
}

type Done = { step: PlanStep; record: StepRecord | undefined };

/** The undo request: the undoable steps of `original`, newest first, each reverting what it wrote. */
function undoRequest(id: string, original: ApprovalRequest, undoable: readonly Done[], context: ActorContext, at: number): ApprovalRequest {
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
