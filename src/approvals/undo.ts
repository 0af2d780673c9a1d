/**
 * `undo <request id>`: a new request, needing its own approval, that reverts the reversible steps
 * another request already did, newest first. Each inverse is computed from the original step's
 * record (the value it replaced and the value it wrote) and refuses at run time where the value
 * changed since (`undoStep`). A purge cannot be undone and is named, not hidden.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { newRequestId } from '../domain/approval/request-id.ts';
import type { ActorContext, ApprovalDeps } from './types.ts';
import { createWithFreshId } from '../concurrency/cas-update.ts';
import { FRESH_ID_ATTEMPTS } from './service.ts';
import { undoableSteps, undoRequest, type UndoOutcome } from './undo-steps.ts';
import type { ApprovalRequest } from '../domain/approval/types.ts';

export interface UndoService {
  /** The stored `proposed` undo request, or why there is nothing to undo. */
  propose(originalId: string, context: ActorContext): Promise<UndoOutcome>;
}

/** `undo <bulk id>` (src/bulk/bulk-undo.ts, given by the composition root). */
export interface BulkUndoProposer {
  propose(original: ApprovalRequest, context: ActorContext): Promise<UndoOutcome>;
  /** Why an id that names no request was typed, when it names something else (a scan): a sentence, or null. */
  whyUnknown(id: string, tenantId: string): Promise<string | null>;
}

export interface UndoDeps extends Pick<ApprovalDeps, 'store' | 'audit' | 'now' | 'randomBytes'> {
  /** Proposes the undo of a bulk request (admins only, under its own approval). */
  bulk: BulkUndoProposer;
}

export function createUndoService(deps: UndoDeps): UndoService {
  const now = deps.now ?? Date.now;
  const random = deps.randomBytes ?? ((n: number) => new Uint8Array(cryptoRandomBytes(n)));
  const bulk = deps.bulk;
  return {
    async propose(originalId, context) {
      const stored = await deps.store.get(originalId.toLowerCase());
      const original = stored?.value;
      if (!original || original.tenantId.toLowerCase() !== context.tenantId.toLowerCase()) {
        const why = (await bulk.whyUnknown(originalId.toLowerCase(), context.tenantId)) ?? 'Type "status" to see your open requests.';
        return { ok: false, refusal: { code: 'UNKNOWN_REQUEST', message: `There is no request "${originalId}". ${why}` } };
      }
      if (original.kind === 'bulk') return bulk.propose(original, context);
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
      const { undoable, irreversible } = undoableSteps(original);
      const notUndoable = irreversible.filter((step) => step.kind === 'PURGE_DELETED_USER');
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
