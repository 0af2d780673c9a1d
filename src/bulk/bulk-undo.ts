/**
 * `undo <bulk id>`: one bulk request, needing its own approval under the same two-person rules,
 * whose items are the per-user undos: for each user the bulk request ran, the reversible steps its
 * own request did (bulk-undo-item.ts builds and runs each user's `undo` request through the
 * same engine, waves and write budget). The irreversible steps (purges, clears of
 * onPremisesObjectIdentifier) are listed as not undoable. Only admins undo a bulk request; a bulk
 * request is undone once (a second undo is refused while the first is open or has run), never
 * while it runs, and an undo is never undone.
 */
import { adminsNotConfigured, notAnAdmin } from '../domain/approval/refusals.ts';
import { newRequestId } from '../domain/approval/request-id.ts';
import { FINAL_STATES, type ApprovalRequest, type Refusal } from '../domain/approval/types.ts';
import { NOT_UNDOABLE_SHOWN, type NotUndoableStep } from '../domain/bulk/types.ts';
import type { AdminDirectory } from '../ports/admin-directory.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { casUpdate } from '../concurrency/cas-update.ts';
import { itemRequestOf } from './bulk-undo-item.ts';
import type { BulkItem } from './scan.ts';
import { createScanStore } from './scan-store.ts';
import type { ActorContext } from '../approvals/types.ts';
import { undoableSteps, type UndoOutcome } from '../approvals/undo-steps.ts';
import { EMPTY_TRAIL } from '../approvals/service.ts';
import type { BulkUndoProposer } from '../approvals/undo.ts';

export interface BulkUndoDeps {
  store: RequestStore;
  audit: AuditTrail;
  admins?: Pick<AdminDirectory, 'configured' | 'isAdmin'>;
  now: () => number;
  random: (n: number) => Uint8Array;
  ttlMs: number;
}

/** Users' requests read at once while the undo is proposed. */
const READ_CONCURRENCY = 16;
/** States in which an undo proposed earlier no longer holds the bulk request (it never ran a step). */
const LAPSED = ['rejected', 'expired', 'stale'] as const;

const refused = (code: Refusal['code'], message: string): UndoOutcome => ({ ok: false, refusal: { code, message } });

export function createBulkUndo(deps: BulkUndoDeps): BulkUndoProposer {
  const scans = createScanStore(deps.store);
  return {
    async whyUnknown(id, tenantId) {
      const scan = await scans.get(id);
      if (!scan || scan.tenantId.toLowerCase() !== tenantId.toLowerCase()) return null;
      return scan.requestId
        ? `"${id}" is a scan; its bulk request is ${scan.requestId}: type \`undo ${scan.requestId}\`.`
        : `"${id}" is a scan that proposed no bulk request (no user could be fixed by the bot alone), so it changed nothing to undo.`;
    },
    async propose(original, context) {
      const notAllowed = await adminRefusal(deps, context);
      if (notAllowed) return notAllowed;
      const before = await refusalFor(deps.store, original);
      if (before) return before;
      const users = await usersToUndo(deps.store, original);
      if (users.items.length === 0) {
        const irreversible =
          users.notUndoableCount > 0 ? ` Its ${users.notUndoableCount} irreversible steps (purges, clears) cannot be undone.` : '';
        return refused(
          'NOTHING_TO_UNDO',
          `Bulk request ${original.id} did no reversible step that changed a value, so there is nothing to undo.${irreversible}`,
        );
      }
      return create(deps, original, users, context);
    },
  };
}

async function adminRefusal(deps: BulkUndoDeps, context: ActorContext): Promise<UndoOutcome | null> {
  if (!deps.admins?.configured) return { ok: false, refusal: adminsNotConfigured() };
  if (!(await deps.admins.isAdmin(context.actor.aadObjectId))) return { ok: false, refusal: notAnAdmin(context.actor.name, 'undo') };
  return null;
}

/** Why this bulk request cannot be undone now, or null. */
async function refusalFor(store: RequestStore, original: ApprovalRequest): Promise<UndoOutcome | null> {
  if (original.undoOf)
    return refused(
      'NOTHING_TO_UNDO',
      `Request ${original.id} is itself the undo of bulk request ${original.undoOf}; an undo is not undone. To fix those users again, type \`scan\` and request approval.`,
    );
  if (!FINAL_STATES.includes(original.state))
    return refused(
      'WRONG_STATE',
      `Bulk request ${original.id} is ${original.state} and has not finished; undo it once it has ended${original.state === 'executing' ? ' (`cancel` stops new users)' : ''}.`,
    );
  const holder = await liveUndo(store, original);
  if (holder)
    return refused(
      'ALREADY_DECIDED',
      `Bulk request ${original.id} is already ${FINAL_STATES.includes(holder.state) ? 'undone' : 'being undone'} by request ${holder.id} (${holder.state}); type \`status ${holder.id}\`.`,
    );
  return null;
}

/** The undo that holds the bulk request: proposed, open, or run; not one that lapsed without running. */
async function liveUndo(store: RequestStore, original: ApprovalRequest): Promise<ApprovalRequest | null> {
  const id = original.bulk?.undoneBy;
  if (!id) return null;
  const undo = (await store.get(id))?.value;
  if (!undo) return null;
  const lapsed = (LAPSED as readonly string[]).includes(undo.state) || (undo.state === 'cancelled' && !undo.bulk?.progress);
  return lapsed ? null : undo;
}

interface UsersToUndo {
  items: BulkItem[];
  steps: number;
  notUndoable: NotUndoableStep[];
  notUndoableCount: number;
}

/** Each user the bulk request ran (its items are numbered 0..automated-1), with what its request can revert. */
async function usersToUndo(store: RequestStore, original: ApprovalRequest): Promise<UsersToUndo> {
  const out: UsersToUndo = { items: [], steps: 0, notUndoable: [], notUndoableCount: 0 };
  const total = original.bulk?.automated ?? 0;
  for (let start = 0; start < total; start += READ_CONCURRENCY) {
    const indices = Array.from({ length: Math.min(READ_CONCURRENCY, total - start) }, (_, i) => start + i);
    const children = await Promise.all(indices.map((index) => itemRequestOf(store, original.id, index)));
    for (const child of children) if (child) addUser(out, child);
  }
  return out;
}

function addUser(out: UsersToUndo, child: ApprovalRequest): void {
  const samAccountName = child.command.replace(/^match /, '');
  const { undoable, irreversible } = undoableSteps(child);
  for (const step of irreversible) {
    out.notUndoableCount += 1;
    if (out.notUndoable.length < NOT_UNDOABLE_SHOWN)
      out.notUndoable.push({ samAccountName, requestId: child.id, description: step.description });
  }
  if (undoable.length === 0) return;
  out.steps += undoable.length;
  out.items.push({
    row: out.items.length,
    dn: child.who,
    samAccountName,
    outcome: 'needs-hard-match',
    cloudUpn: child.diagnosis.plan.target?.userPrincipalName ?? null,
    fingerprint: [],
    steps: undoable.length,
    purges: 0,
    undoes: child.id,
  });
}

/**
 * Holds the bulk request for this undo (a compare-and-swap on `undoneBy`, so two admins at once get
 * one undo), then stores the undo's items and the undo request, `proposed`.
 */
async function create(deps: BulkUndoDeps, original: ApprovalRequest, users: UsersToUndo, context: ActorContext): Promise<UndoOutcome> {
  const id = newRequestId(deps.random);
  const held = await casUpdate(
    deps.store,
    original.id,
    ({ value }) =>
      value.bulk && value.bulk.undoneBy === original.bulk?.undoneBy ? { ...value, bulk: { ...value.bulk, undoneBy: id } } : null,
    5,
  );
  if (!held.written) {
    const current = held.current?.value ?? original;
    return (
      (await refusalFor(deps.store, current)) ??
      refused('WRONG_STATE', `Bulk request ${original.id} changed while the undo was prepared; type \`undo ${original.id}\` again.`)
    );
  }
  const scans = createScanStore(deps.store);
  const itemChunks = await scans.saveChunks(id, 'items', users.items);
  const at = deps.now();
  // Listed for the retention sweep, which removes them once the undo has ended (scan-retention.ts).
  await scans.remember(original.tenantId, { id, at, items: itemChunks });
  const request = await deps.audit.stage(undoRequest(id, original, users, itemChunks, context, at, deps.ttlMs), [
    {
      requestId: id,
      at,
      actor: context.actor,
      action: 'proposed',
      summary: `${context.actor.name} proposed undoing bulk request ${original.id}: ${users.steps} reversible steps of ${users.items.length} users; ${users.notUndoableCount} irreversible steps cannot be undone.`,
    },
  ]);
  if (!(await deps.store.create(request))) throw new Error(`request id ${id} was taken while the undo of ${original.id} was prepared`);
  await deps.audit.flush(request);
  return { ok: true, request, notUndoable: [] };
}

function undoRequest(
  id: string,
  original: ApprovalRequest,
  users: UsersToUndo,
  itemChunks: number,
  context: ActorContext,
  at: number,
  ttlMs: number,
): ApprovalRequest {
  const info = original.bulk;
  if (!info) throw new Error(`bulk request ${original.id} has no bulk information`);
  return {
    id,
    kind: 'bulk',
    state: 'proposed',
    tenantId: original.tenantId,
    command: `undo ${original.id}`,
    who: original.who,
    diagnosis: { ...original.diagnosis },
    steps: [],
    records: [],
    fingerprint: [],
    proposedBy: context.actor,
    approvals: [],
    cards: [],
    undoOf: original.id,
    auditHead: EMPTY_TRAIL,
    createdAt: at,
    updatedAt: at,
    expiresAt: at + ttlMs,
    bulk: {
      scanId: info.scanId,
      scope: info.scope,
      automated: users.items.length,
      excluded: [],
      users: users.items.length,
      purges: 0,
      counts: info.counts,
      itemChunks,
      undo: { of: original.id, steps: users.steps, notUndoable: users.notUndoable, notUndoableCount: users.notUndoableCount },
    },
  };
}
