/**
 * An engine's claim on one executing request: every write is a compare-and-swap on the stored
 * version, made only while this owner holds the lease under the fencing token it claimed with,
 * one at a time. A conflict caused by somebody else's harmless write (a card posted, a refresh)
 * is retried on the fresh copy; a conflict that shows another owner or another token (a take-over,
 * even by this very process) or the request no longer executing ends the claim, and aborts
 * `signal`, so loops that wait (a busy sync, VERIFY_JOINED's polling) stop too.
 *
 * The keep-alive runs from the moment of the claim. One failed renewal (a store timeout) is not a
 * lost claim: it is tried again at the next beat; only a renewal refused (another owner) or a
 * lease run out without any renewal ends it.
 *
 * Lease times are written on the claimer's clock and judged on another instance's: a lease counts
 * as run out only LEASE_SKEW (half the lease) after its `until`, which covers clocks that differ
 * by less than that (documented in the README).
 */
import type { ApprovalRequest, ExecutionLease, Versioned } from '../domain/approval/types.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { casUpdate } from '../concurrency/cas-update.ts';
import { serialByKey } from '../concurrency/serial-by-key.ts';

/** Compare-and-swap attempts of one write before the claim gives up on a request that keeps changing. */
const MAX_WRITE_ATTEMPTS = 20;

/** How long after its `until` another instance may take a lease over: clocks may differ by less than this. */
export function leaseSkewMs(leaseMs: number): number {
  return Math.floor(leaseMs / 2);
}

/** Whether `lease` (written on another instance's clock) has run out by `now`, with the skew margin. */
export function leaseRanOut(lease: ExecutionLease | undefined, now: number, leaseMs: number): boolean {
  return lease === undefined || lease.until + leaseSkewMs(leaseMs) <= now;
}

export class ClaimLost extends Error {
  constructor(requestId: string, why: string) {
    super(`The claim on request ${requestId} was lost: ${why}.`);
    this.name = 'ClaimLost';
  }
}

type Mutation = (request: ApprovalRequest) => ApprovalRequest | Promise<ApprovalRequest>;

export interface ClaimOptions {
  store: RequestStore;
  owner: string;
  leaseMs: number;
  now: () => number;
  /** Told of a renewal that failed without losing the claim (it is tried again). */
  onRenewalFailed?: (err: unknown) => void;
}

export class Claim {
  #current: Versioned<ApprovalRequest>;
  readonly #writes = serialByKey();
  readonly #lost = new AbortController();
  readonly #fence: number;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #options: ClaimOptions;

  constructor(claimed: Versioned<ApprovalRequest>, options: ClaimOptions) {
    this.#current = claimed;
    this.#options = options;
    this.#fence = claimed.value.lease?.fence ?? 0;
  }

  get request(): ApprovalRequest {
    return this.#current.value;
  }

  /** Aborted (its reason the ClaimLost) once the claim is known lost. */
  get signal(): AbortSignal {
    return this.#lost.signal;
  }

  /** Applies `mutate` to the stored request (the lease renewed with it); serialised per claim. */
  write(mutate: Mutation): Promise<ApprovalRequest> {
    return this.#writes.run(this.#current.value.id, () => this.#write(mutate));
  }

  /** Renews the lease every third of its length until `stop`, so a long VERIFY_JOINED keeps it. */
  keepAlive(): void {
    this.stopKeepAlive();
    const every = Math.max(50, Math.floor(this.#options.leaseMs / 3));
    this.#heartbeat = setInterval(() => {
      this.write((r) => r).catch((err: unknown) => {
        if (err instanceof ClaimLost) return;
        // A renewal that failed is not a lost claim, unless the lease ran out meanwhile.
        const until = this.#current.value.lease?.until ?? 0;
        if (this.#options.now() >= until)
          this.#lose(new ClaimLost(this.#current.value.id, 'its lease ran out while the store could not be written'));
        else this.#options.onRenewalFailed?.(err);
      });
    }, every);
    this.#heartbeat.unref();
  }

  stopKeepAlive(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** Throws the ClaimLost when the claim is known lost. */
  check(): void {
    this.#lost.signal.throwIfAborted();
  }

  /**
   * Right before a step is sent: the claim is not known lost and its lease, renewed by the
   * compare-and-swap that recorded the step's start, has not run out on this clock meanwhile (a
   * paused process or a slow start must not send a write another instance may already be sending).
   */
  assertHeld(): void {
    this.check();
    const until = this.#current.value.lease?.until ?? 0;
    if (this.#options.now() >= until)
      throw this.#lose(new ClaimLost(this.#current.value.id, 'its lease ran out before the step could be sent'));
  }

  #lose(err: ClaimLost): ClaimLost {
    if (!this.#lost.signal.aborted) this.#lost.abort(err);
    this.stopKeepAlive();
    return err;
  }

  async #write(mutate: Mutation): Promise<ApprovalRequest> {
    this.check();
    const { store, owner, leaseMs, now } = this.#options;
    const id = this.#current.value.id;
    const fence = this.#fence;
    const result = await casUpdate(
      store,
      id,
      async (current) => {
        this.#current = current;
        const base = current.value;
        if (base.state !== 'executing' || base.lease?.owner !== owner || (base.lease.fence ?? 0) !== fence) {
          throw this.#lose(
            new ClaimLost(
              base.id,
              `it is ${base.state}${base.lease ? `, owned by ${base.lease.owner} (token ${base.lease.fence ?? 0}, ours ${fence})` : ''}`,
            ),
          );
        }
        const at = now();
        const mutated = await mutate(base);
        const next: ApprovalRequest = {
          ...mutated,
          updatedAt: at,
          ...(mutated.state === 'executing' ? { lease: { owner, until: at + leaseMs, fence } } : {}),
        };
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
    if (!result.current) throw this.#lose(new ClaimLost(id, 'it no longer exists'));
    throw this.#lose(new ClaimLost(id, 'too many concurrent writes'));
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
export async function claimExecution(store: RequestStore, requestId: string, options: ClaimExecutionOptions): Promise<WonClaim | null> {
  const known = options.approved;
  if (known && known.value.id === requestId && known.value.state === 'approved') {
    const resumed = isResumed(known.value);
    const claimed = await store.update(await asClaimed(known.value, resumed, options), known.version);
    if (claimed) return { claimed, resumed, fromApproval: true };
  }
  const stored = await store.get(requestId);
  if (!stored) return null;
  const request = stored.value;
  const leaseOver = request.state === 'executing' && leaseRanOut(request.lease, options.now, options.leaseMs);
  if (request.state !== 'approved' && !leaseOver) return null;
  const resumed = isResumed(request);
  const claimed = await store.update(await asClaimed(request, resumed, options), stored.version);
  return claimed ? { claimed, resumed, fromApproval: false } : null;
}

export interface ClaimExecutionOptions {
  owner: string;
  leaseMs: number;
  now: number;
  approved?: Versioned<ApprovalRequest>;
  /**
   * Applied to the claimed request in the claim's own compare-and-swap: the engine records its
   * first step as started there (when not resumed), one write instead of two, and stages the
   * audit entries telling it.
   */
  prepare?: (claimed: ApprovalRequest, resumed: boolean) => Promise<ApprovalRequest>;
}

function isResumed(request: ApprovalRequest): boolean {
  return request.state === 'executing' || request.records.some((r) => r.status !== 'pending');
}

/** The lease of a new claim on `request`: the next fencing token. */
export function newLease(request: ApprovalRequest, owner: string, now: number, leaseMs: number): ExecutionLease {
  return { owner, until: now + leaseMs, fence: (request.lease?.fence ?? 0) + 1 };
}

function asClaimed(request: ApprovalRequest, resumed: boolean, options: ClaimExecutionOptions): Promise<ApprovalRequest> {
  const claimed: ApprovalRequest = {
    ...request,
    state: 'executing',
    lease: newLease(request, options.owner, options.now, options.leaseMs),
    updatedAt: options.now,
  };
  return options.prepare ? options.prepare(claimed, resumed) : Promise.resolve(claimed);
}

/** A claim as the engine goes on from it. */
export interface Won {
  claimed: Versioned<ApprovalRequest>;
  resumed: boolean;
  fromApproval: boolean;
  /** The claim's compare-and-swap also recorded the first step as started. */
  startedFirst: boolean;
}

/** A request the approval claimed for this instance in its own compare-and-swap (see claimOnApproval). */
export function takeOver(claimed: Versioned<ApprovalRequest>, owner: string): Won | null {
  const request = claimed.value;
  if (request.state !== 'executing' || request.lease?.owner !== owner) return null;
  return { claimed, resumed: false, fromApproval: true, startedFirst: request.records[0]?.status === 'started' };
}
