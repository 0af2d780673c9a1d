/**
 * An engine's claim on one executing request: every write is a compare-and-swap on the stored
 * version, made only while this owner holds the lease, one at a time. A conflict caused by
 * somebody else's harmless write (a card posted, a refresh) is retried on the fresh copy; a
 * conflict that shows another owner (or the request no longer executing) ends the claim.
 */
import type { ApprovalRequest, Versioned } from '../domain/approval/types.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { casUpdate } from '../concurrency/cas-update.ts';
import { serialByKey } from '../concurrency/serial-by-key.ts';
import type { Note } from './record-changes.ts';

/** Compare-and-swap attempts of one write before the claim gives up on a request that keeps changing. */
const MAX_WRITE_ATTEMPTS = 20;

export class ClaimLost extends Error {
  constructor(requestId: string, why: string) {
    super(`The claim on request ${requestId} was lost: ${why}.`);
    this.name = 'ClaimLost';
  }
}

type Mutation = (request: ApprovalRequest) => ApprovalRequest;

export interface ClaimOptions {
  store: RequestStore;
  owner: string;
  leaseMs: number;
  now: () => number;
}

export class Claim {
  #current: Versioned<ApprovalRequest>;
  readonly #writes = serialByKey();
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #options: ClaimOptions;

  constructor(claimed: Versioned<ApprovalRequest>, options: ClaimOptions) {
    this.#current = claimed;
    this.#options = options;
  }

  get request(): ApprovalRequest {
    return this.#current.value;
  }

  /** Applies `mutate` to the stored request (the lease renewed with it); serialised per claim. */
  write(mutate: Mutation): Promise<ApprovalRequest> {
    return this.#writes.run(this.#current.value.id, () => this.#write(mutate));
  }

  /** Renews the lease every third of its length until `stop`, so a long VERIFY_JOINED keeps it. */
  keepAlive(onLost: (err: unknown) => void): void {
    this.stopKeepAlive();
    const every = Math.max(50, Math.floor(this.#options.leaseMs / 3));
    this.#heartbeat = setInterval(() => {
      this.write((r) => r).catch(onLost);
    }, every);
    this.#heartbeat.unref();
  }

  stopKeepAlive(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  async #write(mutate: Mutation): Promise<ApprovalRequest> {
    const { store, owner, leaseMs, now } = this.#options;
    const id = this.#current.value.id;
    const result = await casUpdate(
      store,
      id,
      (current) => {
        this.#current = current;
        const base = current.value;
        if (base.state !== 'executing' || base.lease?.owner !== owner) throw new ClaimLost(base.id, `it is ${base.state}${base.lease ? `, owned by ${base.lease.owner}` : ''}`);
        const at = now();
        const mutated = mutate(base);
        const next: ApprovalRequest = { ...mutated, updatedAt: at, ...(mutated.state === 'executing' ? { lease: { owner, until: at + leaseMs } } : {}) };
        if (next.state !== 'executing') delete next.lease;
        return next;
      },
      MAX_WRITE_ATTEMPTS,
      { known: this.#current },
    );
    if (result.written) {
      this.#current = result.stored;
      return result.stored.value;
    }
    throw new ClaimLost(id, result.current ? 'too many concurrent writes' : 'it no longer exists');
  }
}

/** What a claim won: the request as claimed, and how it was found. */
export interface WonClaim {
  claimed: Versioned<ApprovalRequest>;
  /** It was executing under a lapsed lease, or some step had already moved. */
  resumed: boolean;
  /**
   * The claim's compare-and-swap replaced exactly the version the caller handed in (the approval
   * that re-validated the facts): nothing was written in between.
   */
  fromApproval: boolean;
}

/**
 * Claims `approved → executing` (or an `executing` request whose lease ran out) for `owner`.
 * Null when the request is in no state to claim or another owner won the compare-and-swap.
 * `approved` (the version the approving instance just wrote) saves the read; when it is no longer
 * the stored version the request is read and judged as usual.
 */
export async function claimExecution(
  store: RequestStore,
  requestId: string,
  options: ClaimExecutionOptions,
): Promise<WonClaim | null> {
  const known = options.approved;
  if (known && known.value.id === requestId && known.value.state === 'approved') {
    const resumed = isResumed(known.value);
    const claimed = await store.update(asClaimed(known.value, resumed, options), known.version);
    if (claimed) return { claimed, resumed, fromApproval: true };
  }
  const stored = await store.get(requestId);
  if (!stored) return null;
  const request = stored.value;
  const leaseOver = request.state === 'executing' && (request.lease === undefined || request.lease.until <= options.now);
  if (request.state !== 'approved' && !leaseOver) return null;
  const resumed = isResumed(request);
  const claimed = await store.update(asClaimed(request, resumed, options), stored.version);
  return claimed ? { claimed, resumed, fromApproval: false } : null;
}

export interface ClaimExecutionOptions {
  owner: string;
  leaseMs: number;
  now: number;
  approved?: Versioned<ApprovalRequest>;
  /**
   * Applied to a request claimed fresh (not resumed) in the claim's own compare-and-swap: the
   * engine records its first step as started there, one write instead of two.
   */
  thenStart?: (claimed: ApprovalRequest) => ApprovalRequest;
}

function isResumed(request: ApprovalRequest): boolean {
  return request.state === 'executing' || request.records.some((r) => r.status !== 'pending');
}

function asClaimed(request: ApprovalRequest, resumed: boolean, options: ClaimExecutionOptions): ApprovalRequest {
  const claimed: ApprovalRequest = { ...request, state: 'executing', lease: { owner: options.owner, until: options.now + options.leaseMs }, updatedAt: options.now };
  return !resumed && options.thenStart ? options.thenStart(claimed) : claimed;
}

/** A claim as the engine goes on from it. */
export interface Won {
  claimed: Versioned<ApprovalRequest>;
  resumed: boolean;
  fromApproval: boolean;
  /** The claim's compare-and-swap also recorded the first step as started. */
  startedFirst: boolean;
  /** Audit entries the claim still has to append (none when the approval appended them). */
  notes: Note[];
}

/** A request the approval claimed for this instance in its own compare-and-swap (see claimOnApproval). */
export async function takeOver(claimed: Versioned<ApprovalRequest>, audited: Promise<unknown> | undefined, owner: string): Promise<Won | null> {
  const request = claimed.value;
  if (request.state !== 'executing' || request.lease?.owner !== owner) return null;
  // The claim's entries were appended with the approval's: they are in the trail before any step runs.
  await audited;
  return { claimed, resumed: false, fromApproval: true, startedFirst: request.records[0]?.status === 'started', notes: [] };
}
