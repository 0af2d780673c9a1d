/**
 * One user of a bulk request, run exactly once by whichever bot instance gets to it first. Its
 * record is a request of its own (`bulkOf` the bulk request), under an id derived from the bulk
 * request and the user's position, so every instance names it the same way and creating it is the
 * claim (the store's insert-if-absent): only one instance re-reads the user and creates it. The
 * re-read happens just before its steps: when the facts the plan rests on changed, the user is
 * recorded `stale` (skipped, the changes listed) and nothing is written; otherwise the fresh
 * plan's cloud writes run through the engine, whose compare-and-swap claim makes them run once,
 * resumed by another instance if this one dies mid-way. The wave's sync and verification are the
 * bulk executor's.
 */
import { createHash } from 'node:crypto';
import { diffFingerprints, fingerprintOf } from '../domain/approval/fingerprint.ts';
import { newRequestId } from '../domain/approval/request-id.ts';
import { EMPTY_TRAIL } from '../approvals/service.ts';
import type { ApprovalRequest, FactChange, Versioned } from '../domain/approval/types.ts';
import { isAutomated, itemSteps, outcomeOf } from '../domain/bulk/outcome.ts';
import type { Diagnosis } from '../domain/diagnosis/types.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { Engine } from '../execution/engine.ts';
import { ItemThrottled } from './item-consumer.ts';
import type { BulkItem } from './scan.ts';

const MAX_ID_ATTEMPTS = 5;

/** Where a user's item ended; `not-run`: the bulk request was stopped before the user started. */
export type ItemEnd = 'done' | 'skipped' | 'failed' | 'not-run' | 'running';

export interface BulkItemDeps {
  store: RequestStore;
  audit: AuditTrail;
  /** The bulk engine: its writes take from the shared budget and carry low priority. */
  engine: Pick<Engine, 'run'>;
  /**
   * Waits for the write budget's tokens for `writes` writes, before the engine claims the user's
   * request: the wait never holds a claim, so a lease cannot lapse between a step's read and its write.
   */
  reserve?(writes: number): Promise<void>;
  /** The user read again now (AD through the relay, the cloud with fresh roles) and diagnosed. */
  reread(item: BulkItem): Promise<Diagnosis | null>;
  now: () => number;
}

/** The id of the request that runs the user at `index`: the same on every instance. */
export function itemRequestId(bulkId: string, index: number, attempt = 0): string {
  const digest = createHash('sha256').update(`${bulkId}:${index}:${attempt}`).digest();
  return newRequestId((n) => new Uint8Array(digest.subarray(0, n)));
}

/**
 * A bulk item has no card and nobody to press Done: a step that turned into a person's (Graph
 * refused the bot the write) ends the item as failed, its record saying what a person must do.
 */
export function endOf(request: ApprovalRequest): ItemEnd {
  if (request.state === 'done') return 'done';
  if (request.state === 'waiting-for-person') return 'failed';
  if (request.state === 'stale') return 'skipped';
  // Cancelled before any of its steps ran: the stop's not-run record (claimNotRun), or a withdrawn one.
  if (request.state === 'cancelled' && request.records.every((r) => r.status === 'pending')) return 'not-run';
  if (request.state === 'failed' || request.state === 'cancelled' || request.state === 'expired' || request.state === 'rejected')
    return 'failed';
  return 'running';
}

/** Finds (or creates, re-reading the user first) the user's request, and runs it unless it has ended. */
export async function runBulkItem(bulk: ApprovalRequest, index: number, item: BulkItem, deps: BulkItemDeps): Promise<ApprovalRequest> {
  for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt += 1) {
    const id = itemRequestId(bulk.id, index, attempt);
    const existing = await deps.store.get(id);
    if (existing && existing.value.bulkOf !== bulk.id) continue; // an unrelated request holds this id
    if (existing) return finish(existing.value, deps);
    const fresh = await prepare(bulk, index, item, id, deps);
    // The user's request and its first trail entry: one write (the entry staged in its audit outbox).
    const staged = await deps.audit.stage({ ...fresh.request, auditHead: EMPTY_TRAIL }, fresh.events);
    if (await deps.store.create(staged)) {
      await deps.audit.flush(staged);
      return finish(staged, deps);
    }
    const created = await deps.store.get(id);
    if (created?.value.bulkOf === bulk.id) return finish(created.value, deps);
  }
  throw new Error(`no free request id for user ${index} of bulk request ${bulk.id}`);
}

/**
 * Runs the user's request unless it has ended. Throws ItemThrottled when Graph kept throttling one
 * of its steps past its deadline (the engine released it) or it was released so and its Retry-After
 * has not passed: its work item goes back on the queue for then.
 */
export async function finish(request: ApprovalRequest, deps: BulkItemDeps): Promise<ApprovalRequest> {
  if (request.state === 'approved' || request.state === 'executing') {
    throwIfReleased(request, deps.now());
    const left = request.records.filter((r) => r.status !== 'done').length;
    if (request.state === 'approved' && left > 0) await deps.reserve?.(left);
    if ((await deps.engine.run(request.id)) === 'released') {
      // Back on the queue, even when Graph's Retry-After has already passed: never retried in a loop here.
      const retryAt = (await deps.store.get(request.id))?.value.retryAt ?? deps.now();
      throw new ItemThrottled(throttledWords(request.id), retryAt - deps.now());
    }
  }
  return (await deps.store.get(request.id))?.value ?? request;
}

/** A request released after throttling is not claimed before its `retryAt`. */
export function throwIfReleased(request: ApprovalRequest, at: number): void {
  if (request.state !== 'approved' || request.retryAt === undefined || request.retryAt <= at) return;
  throw new ItemThrottled(throttledWords(request.id), request.retryAt - at);
}

function throttledWords(id: string): string {
  return `user request ${id} was throttled by Graph past its deadline; tried again after Graph's Retry-After`;
}

async function prepare(bulk: ApprovalRequest, index: number, item: BulkItem, id: string, deps: BulkItemDeps) {
  const at = deps.now();
  const diagnosis = await deps.reread(item);
  const changes: FactChange[] = diagnosis
    ? diffFingerprints(item.fingerprint, fingerprintOf(diagnosis))
    : [{ fact: 'onPrem', label: `AD user ${item.dn}`, old: item.dn, new: null }];
  const stillAutomated = diagnosis !== null && isAutomated(outcomeOf(diagnosis));
  const drifted = changes.length > 0 || !stillAutomated;
  const steps = diagnosis && !drifted ? itemSteps(diagnosis.plan) : [];
  const request: ApprovalRequest = {
    ...itemRequest(bulk, item, id, at, diagnosis),
    state: drifted ? 'stale' : 'approved',
    steps,
    records: steps.map((s) => ({ number: s.number, status: 'pending' as const })),
    ...(drifted ? { changes } : {}),
  };
  const what = drifted
    ? `Skipped: ${item.samAccountName} was read again just before its steps and ${changes.length > 0 ? `its facts changed (${changes.map((c) => `${c.label}: ${c.old ?? 'none'} → ${c.new ?? 'none'}`).join('; ')})` : 'its plan is no longer one the bot runs alone'}; nothing was written`
    : `Part of bulk request ${bulk.id} (user ${index + 1}); ${item.samAccountName} read again just before its steps: unchanged`;
  return {
    request,
    events: [{ requestId: id, at, actor: null, action: drifted ? ('stale' as const) : ('approved' as const), summary: what }],
  };
}

/**
 * The stop's side of the race with a user's start: the user's request created `cancelled` under
 * the id its own item would take (insert-if-absent, with its trail entry), so exactly one of the
 * two wins. Answers the record when the stop won (the user never runs: its item finds it ended),
 * null when the user had claimed the id first (it started: it finishes and is counted so).
 */
export async function claimNotRun(
  deps: Pick<BulkItemDeps, 'store' | 'audit' | 'now'>,
  bulk: ApprovalRequest,
  item: BulkItem,
  id: string,
): Promise<ApprovalRequest | null> {
  const at = deps.now();
  const by = bulk.bulk?.stopRequested?.by.name ?? 'the requester';
  const record: ApprovalRequest = { ...itemRequest(bulk, item, id, at, null), state: 'cancelled' };
  const staged = await deps.audit.stage({ ...record, auditHead: EMPTY_TRAIL }, [
    {
      requestId: id,
      at,
      actor: null,
      action: 'cancelled',
      summary: `Not run: bulk request ${bulk.id} was stopped by ${by} before ${item.samAccountName} started; nothing was read or written`,
    },
  ]);
  if (!(await deps.store.create(staged))) return null;
  await deps.audit.flush(staged);
  return staged;
}

/** The user's own request under the bulk request (no steps yet): `diagnosis` null when the user is not read. */
export function itemRequest(bulk: ApprovalRequest, item: BulkItem, id: string, at: number, diagnosis: Diagnosis | null): ApprovalRequest {
  return {
    id,
    kind: 'match',
    state: 'approved',
    tenantId: bulk.tenantId,
    command: `match ${item.samAccountName}`,
    who: item.dn,
    diagnosis: diagnosis ?? {
      who: item.dn,
      onPrem: null,
      candidates: [],
      findings: [],
      plan: { target: null, steps: [], nothingToDo: false },
    },
    steps: [],
    records: [],
    fingerprint: item.fingerprint,
    proposedBy: bulk.proposedBy,
    ...(bulk.requester ? { requester: bulk.requester } : {}),
    ...(bulk.justification ? { justification: bulk.justification } : {}),
    approvals: bulk.approvals,
    ...(bulk.requiredApprovals ? { requiredApprovals: bulk.requiredApprovals } : {}),
    cards: [],
    createdAt: at,
    updatedAt: at,
    bulkOf: bulk.id,
  };
}

/** The user's request if it exists (under the first id not held by an unrelated request), else that free id. */
export async function findItemRequest(
  store: Pick<RequestStore, 'get'>,
  bulkId: string,
  index: number,
): Promise<{ found: Versioned<ApprovalRequest> } | { free: string }> {
  for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt += 1) {
    const id = itemRequestId(bulkId, index, attempt);
    const existing = await store.get(id);
    if (!existing) return { free: id };
    if (existing.value.bulkOf === bulkId) return { found: existing };
  }
  throw new Error(`no free request id for user ${index} of bulk request ${bulkId}`);
}
