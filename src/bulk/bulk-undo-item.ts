/**
 * One user of a bulk undo (`undo <bulk id>`), run exactly once like a bulk item (bulk-item.ts):
 * its record is an `undo` request of its own (`bulkOf` the bulk undo, `undoOf` the user's request
 * under the bulk request it undoes), under an id derived from the bulk undo and the user's place,
 * so creating it is the claim. Its steps are the reversible steps the user's request did, newest
 * first, each reverting what it wrote and refusing where the value changed since (undo-step.ts);
 * the engine runs them under the bulk's write budget. A bulk undo has no sync and no verification:
 * like `undo <id>`, it puts the cloud values back and the next sync applies AD again.
 */
import { undoableSteps, undoRequest } from '../approvals/undo-steps.ts';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { finish, itemRequestId, runBulkItem, type BulkItemDeps } from './bulk-item.ts';
import type { BulkItem } from './scan.ts';

const ID_ATTEMPTS = 5;

/** Runs the item as its bulk request's kind asks: a user's undo for a bulk undo, the user's fix otherwise. */
export function runItem(bulk: ApprovalRequest, index: number, item: BulkItem, deps: BulkItemDeps): Promise<ApprovalRequest> {
  return item.undoes ? runUndoItem(bulk, index, item.undoes, deps) : runBulkItem(bulk, index, item, deps);
}

/** The request a bulk request created for the user at `index`, or null when it never ran that user. */
export async function itemRequestOf(store: RequestStore, bulkId: string, index: number): Promise<ApprovalRequest | null> {
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt += 1) {
    const found = (await store.get(itemRequestId(bulkId, index, attempt)))?.value;
    if (!found) return null;
    if (found.bulkOf === bulkId) return found;
  }
  return null;
}

async function runUndoItem(bulk: ApprovalRequest, index: number, undoes: string, deps: BulkItemDeps): Promise<ApprovalRequest> {
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt += 1) {
    const id = itemRequestId(bulk.id, index, attempt);
    const existing = (await deps.store.get(id))?.value;
    if (existing && existing.bulkOf !== bulk.id) continue; // an unrelated request holds this id
    if (existing) return finish(existing, deps);
    const original = (await deps.store.get(undoes))?.value;
    if (!original) throw new Error(`request ${undoes} (user ${index + 1} of bulk undo ${bulk.id}) is not stored`);
    const fresh = await deps.audit.stage(userUndo(bulk, original, id, deps.now()), [
      {
        requestId: id,
        at: deps.now(),
        actor: null,
        action: 'approved',
        summary: `Part of bulk undo ${bulk.id} (user ${index + 1}): reverts the reversible steps of ${original.id}, each only where the value is still the one it wrote`,
      },
    ]);
    if (await deps.store.create(fresh)) {
      await deps.audit.flush(fresh);
      return finish(fresh, deps);
    }
    const created = (await deps.store.get(id))?.value;
    if (created?.bulkOf === bulk.id) return finish(created, deps);
  }
  throw new Error(`no free request id for user ${index} of bulk undo ${bulk.id}`);
}

/** The user's undo request, approved under the bulk undo's approval. */
function userUndo(bulk: ApprovalRequest, original: ApprovalRequest, id: string, at: number): ApprovalRequest {
  const { undoable } = undoableSteps(original);
  const request = undoRequest(id, original, undoable, { actor: bulk.proposedBy, tenantId: bulk.tenantId }, at);
  return {
    ...request,
    state: undoable.length > 0 ? 'approved' : 'done',
    ...(bulk.requester ? { requester: bulk.requester } : {}),
    ...(bulk.justification ? { justification: bulk.justification } : {}),
    approvals: bulk.approvals,
    ...(bulk.requiredApprovals ? { requiredApprovals: bulk.requiredApprovals } : {}),
    bulkOf: bulk.id,
  };
}
