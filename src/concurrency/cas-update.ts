/**
 * The compare-and-swap retry loop, written once. Read the stored state, decide the next one from
 * it, write it only if the state is still the one read; when somebody else wrote first, decide
 * again on what is stored now. A decision of `null` writes nothing (the caller saw there is
 * nothing to do); a decision may throw to end the loop (a claim found lost). Bounded: a state that
 * keeps changing under us gives up after `attempts` and says so, never loops forever.
 */
import type { ApprovalRequest, Versioned } from '../domain/approval/types.ts';
import type { RequestStore } from '../ports/request-store.ts';

export type CasResult<S, N, W> =
  /** `next` was written; `stored` is what the write answered. */
  | { written: true; next: N; stored: W }
  /** Nothing written: the decision was null (`exhausted` false) or every attempt lost (`exhausted` true). */
  | { written: false; current: S; exhausted: boolean };

export interface CasLoop<S, N, W> {
  /** Reads the stored state (called first unless `known` is given, and after every lost write). */
  read(): Promise<S>;
  /** A state already in hand (e.g. the version this instance last wrote): the first attempt starts from it without a read. */
  known?: S;
  decide(current: S, attempt: number): N | null | Promise<N | null>;
  /** Writes `next` if the stored state is still `current`; null when somebody else wrote first. */
  write(next: N, current: S): Promise<W | null>;
  attempts: number;
}

export async function casLoop<S, N, W>(loop: CasLoop<S, N, W>): Promise<CasResult<S, N, W>> {
  let current = 'known' in loop ? (loop.known as S) : await loop.read();
  for (let attempt = 0; attempt < loop.attempts; attempt += 1) {
    if (attempt > 0) current = await loop.read();
    const next = await loop.decide(current, attempt);
    if (next === null) return { written: false, current, exhausted: false };
    const stored = await loop.write(next, current);
    if (stored !== null) return { written: true, next, stored };
  }
  return { written: false, current, exhausted: true };
}

export type RequestCasResult = CasResult<Versioned<ApprovalRequest> | null, ApprovalRequest, Versioned<ApprovalRequest>>;

/**
 * Applies `mutate` to the stored request `id` with a compare-and-swap, retried on the fresh copy
 * up to `attempts` times. `mutate` sees the stored version (never null: a missing request ends
 * the loop unwritten) and answers the request to write, or null to write nothing.
 */
export function casUpdate(
  store: Pick<RequestStore, 'get' | 'update'>,
  id: string,
  mutate: (current: Versioned<ApprovalRequest>, attempt: number) => ApprovalRequest | null | Promise<ApprovalRequest | null>,
  attempts: number,
  options: { known?: Versioned<ApprovalRequest> } = {},
): Promise<RequestCasResult> {
  return casLoop({
    read: () => store.get(id),
    ...(options.known ? { known: options.known } : {}),
    decide: (current, attempt) => (current ? mutate(current, attempt) : null),
    write: (next, current) => (current ? store.update(next, current.version) : Promise.resolve(null)),
    attempts,
  });
}

/** Writes a setting over whatever is stored (created when absent), retried on conflict. */
export async function casPutSetting<T>(
  store: Pick<RequestStore, 'getSetting' | 'putSetting'>,
  key: string,
  value: T,
  attempts: number,
): Promise<Versioned<T> | null> {
  const result = await casLoop({
    read: () => store.getSetting<unknown>(key),
    decide: () => value,
    write: (next, current) => store.putSetting(key, next, current?.version),
    attempts,
  });
  return result.written ? result.stored : null;
}

/**
 * Stores a new record under a freshly drawn id; a drawn id that is taken (create answers false)
 * is drawn again, up to `attempts` times.
 */
export async function createWithFreshId<T>(
  create: (record: T) => Promise<boolean>,
  build: () => T | Promise<T>,
  attempts: number,
): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const record = await build();
    if (await create(record)) return record;
  }
  throw new Error(`could not find a free request id after ${attempts} attempts`);
}
