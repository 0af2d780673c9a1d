/**
 * The bulk request's own writes, each one compare-and-swap: the claim of an approved (or
 * abandoned) request with its trail entry, the lease renewed every third of itself while its
 * coordinator runs (a renewal that finds another owner marks the coordination lost), and every
 * later change, its trail entries staged in the same write (the request's audit outbox, as a single
 * request's changes are) and flushed after: never a change without its entry.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditEvent } from '../domain/audit/types.ts';
import { casUpdate } from '../concurrency/cas-update.ts';
import type { Logger } from '../logging/logger.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';

export interface BulkLeaseDeps {
  store: RequestStore;
  audit: AuditTrail;
  /** This instance's name on the lease. */
  owner: string;
  logger: Logger;
  now: () => number;
}

/** Whether this instance still holds the lease; set once a renewal finds another owner, or on stop. */
export interface Held {
  lost: boolean;
}

/**
 * The claim and its trail entry in one compare-and-swap (staged in the request's audit outbox, as
 * every single request's change is), then flushed into the trail: never a claim without its entry.
 */
export async function claimBulk(deps: BulkLeaseDeps, bulkId: string, leaseMs: number): Promise<ApprovalRequest | null> {
  const result = await casUpdate(
    deps.store,
    bulkId,
    ({ value }) => {
      const at = deps.now();
      const free = value.state === 'approved' || (value.state === 'executing' && (value.lease?.until ?? 0) <= at);
      if (value.kind !== 'bulk' || !free || !value.bulk) return null;
      const resumed = value.bulk.progress !== undefined;
      const claimed: ApprovalRequest = { ...value, state: 'executing', lease: { owner: deps.owner, until: at + leaseMs }, updatedAt: at };
      return deps.audit.stage(claimed, [
        {
          requestId: bulkId,
          at,
          actor: null,
          action: resumed ? 'execution-resumed' : 'execution-claimed',
          summary: `${resumed ? 'Resumed' : 'Started'} by bot instance ${deps.owner}`,
        },
      ]);
    },
    10,
  );
  if (!result.written) return null;
  await deps.audit.flush(result.stored.value);
  return result.stored.value;
}

/**
 * Runs `work` while this instance holds the bulk request's lease, renewed every third of it; a
 * renewal that finds another owner (this instance stalled past its lease) marks `held` lost, and
 * the work ends at its next look, leaving the request to the instance that took it over.
 */
export async function whileLeaseHeld(
  deps: BulkLeaseDeps,
  claimed: ApprovalRequest,
  leaseMs: number,
  held: Held,
  work: () => Promise<void>,
): Promise<void> {
  const renew = async (): Promise<void> => {
    const result = await casUpdate(
      deps.store,
      claimed.id,
      ({ value }) =>
        value.state === 'executing' && value.lease?.owner === deps.owner
          ? { ...value, lease: { owner: deps.owner, until: deps.now() + leaseMs } }
          : null,
      5,
    );
    if (!result.written && !result.exhausted) held.lost = true;
  };
  const heartbeat = setInterval(
    () => void renew().catch((err: unknown) => deps.logger.warn({ err, bulkId: claimed.id }, 'could not renew the bulk lease')),
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  heartbeat.unref();
  try {
    await work();
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Writes the bulk request with a compare-and-swap; `events`, its trail entries, are staged in the
 * same write (the request's audit outbox, as a single request's changes are) and flushed after.
 */
export async function storeBulk(
  deps: BulkLeaseDeps,
  id: string,
  mutate: (r: ApprovalRequest) => ApprovalRequest,
  events: readonly AuditEvent[] = [],
): Promise<ApprovalRequest> {
  const result = await casUpdate(
    deps.store,
    id,
    ({ value }) => {
      const next = { ...mutate(value), updatedAt: deps.now() };
      return events.length > 0 ? deps.audit.stage(next, events) : next;
    },
    20,
  );
  if (result.written) {
    await deps.audit.flush(result.stored.value);
    return result.stored.value;
  }
  if (events.length > 0) throw new Error(`bulk request ${id} kept changing: its trail entry "${events[0]?.summary ?? ''}" was not written`);
  const current = result.current;
  if (!current) throw new Error(`bulk request ${id} disappeared`);
  return current.value;
}
