/**
 * How every Graph call goes out: one retry policy (retry-policy.ts) for single requests and for
 * `$batch` sub-requests, JSON batching in chunks of 20 sent concurrently, and paging through
 * `@odata.nextLink`, all inside one Deadline (deadline.ts) shared by every call of a command.
 * Failures leave here as CloudError (see errors.ts), naming the last fault and how long was tried.
 *
 * Retries, and why they are ours: the SDK's RetryHandler retries only 429 / 503 / 504 answers, at
 * most 10 times, with no time budget and no abort signal while it sleeps; it never retries a
 * request that got no answer (a connection reset, a time-out), nor a throttled or failed
 * sub-request inside a `$batch` (the envelope answers 200). So the client is built without it
 * (graph-client.ts) and this module retries all of them the same way:
 * - what is retried and after how long: retry-policy.ts (Retry-After honoured, exponential backoff
 *   with jitter otherwise, bounded by the deadline);
 * - each attempt is abandoned when silent for the per-attempt limit (see attemptLimitMs);
 * - in a batch only the sub-requests that failed that way are sent again, in a new batch;
 * - anything else fails at once.
 * A write whose answer was lost is not simply sent again: writes.ts reads first whether it took effect.
 */
import { setTimeout as realSleep } from 'node:timers/promises';
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logging/logger.ts';
import type { Deadline } from './deadline.ts';
import {
  credentialError,
  failureFromBody,
  failureFromThrown,
  isRetryable,
  networkFailure,
  toCloudError,
  type GraphFailure,
  type Operation,
} from './errors.ts';
import { MIN_ATTEMPT_MS, retryDelay, type RetryPolicy } from './retry-policy.ts';

export { MIN_ATTEMPT_MS, retryDelay, type RetryPolicy };

/** One GET inside a `$batch`: `url` relative to the version root, already encoded. */
export interface BatchGet {
  id: string;
  url: string;
  headers?: Record<string, string>;
}

/** A sub-request's final answer (success or the failure that stopped the retries). */
export interface BatchAnswer {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** How many times the sub-request was sent. */
  attempts: number;
}

export interface GraphTransportOptions {
  client: Client;
  retry: RetryPolicy;
  logger: Logger;
  /** Every call through this transport shares it. */
  deadline: Deadline;
  /** Per attempt; default attemptLimitMs(deadline). A request still silent then counts as "no response". */
  requestTimeoutMs?: number;
  /** For the backoff jitter; default Math.random. */
  random?: () => number;
  /** How a retry waits; default a real timer. Tests pass one that moves a fake clock. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * 'low': every request (and every `$batch` sub-request) says `x-ms-throttle-priority: low`, so
   * Graph throttles it before the bot's interactive calls when the app nears its limits. Bulk
   * reads and writes use it; a single `match` never does.
   */
  priority?: 'low';
}

/** The request header Graph reads a caller's throttling priority from. */
export const THROTTLE_PRIORITY_HEADER = 'x-ms-throttle-priority';

/** A request builder for `path` (relative to the version root, encoded), bound to one attempt's signal. */
export type RequestBuilder = (path: string) => GraphRequest;

export interface GraphTransport {
  /** Run one request with the retry policy; `run` builds it with `request`; failures become CloudError. */
  call<T>(op: Operation, run: (request: RequestBuilder) => Promise<T>): Promise<T>;
  /**
   * GETs in as few round trips as Graph allows (20 per `$batch`, chunks concurrent). `version`
   * 'beta' sends them to `/beta/$batch` (every sub-request URL is then relative to beta): for the
   * properties only beta has (`onPremisesObjectIdentifier`, `onPremisesSyncBehavior`).
   */
  batch(op: Operation, requests: readonly BatchGet[], options?: { version?: GraphVersion }): Promise<Map<string, BatchAnswer>>;
  /** The rest of a collection: follow `@odata.nextLink` from a first page, sending `headers` again. */
  remainingPages<T>(op: Operation, firstPage: unknown, headers: Record<string, string>): Promise<T[]>;
}

export type GraphVersion = 'v1.0' | 'beta';

/** Graph's JSON batching limit. */
export const BATCH_LIMIT = 20;

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

interface BatchEnvelope {
  responses?: { id?: unknown; status?: unknown; headers?: unknown; body?: unknown }[];
}

/**
 * How long one attempt may stay silent before it is abandoned (and retried if time is left): a
 * third of the deadline, 6.7 s of the default 20 s. Healthy Graph answers these reads (even a full
 * 20-request `$batch`) in well under a second, so an attempt silent for seconds is stuck, not
 * slow; a third still leaves room for two more tries with their backoff before the deadline, where
 * a fixed few seconds would be too short for a large GRAPH_TIMEOUT_MS and too long for a small one.
 */
export function attemptLimitMs(deadline: Pick<Deadline, 'budgetMs'>): number {
  return Math.max(MIN_ATTEMPT_MS, Math.round(deadline.budgetMs / 3));
}

type Answered = Omit<BatchAnswer, 'attempts'>;

export function createGraphTransport(options: GraphTransportOptions): GraphTransport {
  const { client, retry, logger, deadline } = options;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => realSleep(ms));
  const perAttemptMs = options.requestTimeoutMs ?? attemptLimitMs(deadline);
  const priorityHeaders: Record<string, string> = options.priority ? { [THROTTLE_PRIORITY_HEADER]: options.priority } : {};
  const build = (path: string, signal: AbortSignal): GraphRequest => {
    const request = client.api(path).option('signal', signal);
    return options.priority ? request.header(THROTTLE_PRIORITY_HEADER, options.priority) : request;
  };

  const call = async <T>(op: Operation, run: (request: RequestBuilder) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const limitMs = Math.max(1, Math.min(perAttemptMs, deadline.remainingMs()));
      const attemptTimer = AbortSignal.timeout(limitMs);
      const signal = AbortSignal.any([deadline.signal, attemptTimer]);
      try {
        return await run((path) => build(path, signal));
      } catch (err) {
        const authFailure = credentialError(op, err);
        if (authFailure) throw authFailure;
        const failure = attemptFailure(err, deadline, attemptTimer, limitMs);
        const wait = retryDelay(failure, attempt, retry, deadline.remainingMs(), random);
        if (wait === undefined)
          throw toCloudError(op, givenUp(failure, attempt < (retry.attempts ?? Infinity), deadline), {
            attempts: attempt,
            triedMs: deadline.budgetMs - deadline.remainingMs(),
            cause: err,
          });
        logRetry(logger, op, failure, attempt, wait);
        await sleep(wait);
      }
    }
  };

  const sendChunk = async (op: Operation, chunk: readonly BatchGet[], version: GraphVersion): Promise<Map<string, Answered>> => {
    const requests = chunk.map((r) => {
      const headers = { ...r.headers, ...priorityHeaders };
      return { id: r.id, method: 'GET', url: r.url, ...(Object.keys(headers).length > 0 ? { headers } : {}) };
    });
    const envelope = await call(op, (request) => request('/$batch').version(version).post({ requests }) as Promise<BatchEnvelope>);
    const answers = new Map<string, Answered>();
    for (const r of envelope.responses ?? []) {
      if (typeof r.id !== 'string' || typeof r.status !== 'number') continue;
      answers.set(r.id, { id: r.id, status: r.status, headers: stringHeaders(r.headers), body: r.body });
    }
    for (const r of chunk) {
      // A sub-request the envelope forgot counts as unanswered, and so is retried like a 5xx.
      if (!answers.has(r.id))
        answers.set(r.id, {
          id: r.id,
          status: -1,
          headers: {},
          body: { error: { message: 'the $batch response held no answer for this request' } },
        });
    }
    return answers;
  };

  /** One round: which sub-requests are settled, which go again, and how long to wait first. */
  const settle = (
    op: Operation,
    pending: readonly BatchGet[],
    answered: ReadonlyMap<string, Answered>,
    attempt: number,
    done: Map<string, BatchAnswer>,
  ) => {
    const again: BatchGet[] = [];
    let wait = 0;
    let gaveUp = false;
    for (const request of pending) {
      const answer = answered.get(request.id);
      if (!answer) continue;
      const failure =
        answer.status >= 200 && answer.status < 300
          ? undefined
          : failureFromBody(answer.status, answer.body, header(answer.headers, 'retry-after'));
      const delay = failure ? retryDelay(failure, attempt, retry, deadline.remainingMs(), random) : undefined;
      if (failure && delay !== undefined) {
        again.push(request);
        wait = Math.max(wait, delay);
        logRetry(logger, op, failure, attempt, delay, request.id);
      } else {
        done.set(request.id, { ...answer, attempts: attempt });
        if (failure && isRetryable(failure)) gaveUp = true;
      }
    }
    // A retryable failure given up on fails the whole call (queries.ts answerOf), so the other
    // sub-requests are not worth waiting for: they settle with their last answer too.
    if (gaveUp)
      for (const request of again.splice(0)) done.set(request.id, { ...(answered.get(request.id) as Answered), attempts: attempt });
    return { again, wait };
  };

  const batch = async (
    op: Operation,
    requests: readonly BatchGet[],
    options: { version?: GraphVersion } = {},
  ): Promise<Map<string, BatchAnswer>> => {
    const version = options.version ?? 'v1.0';
    const done = new Map<string, BatchAnswer>();
    const started = Date.now();
    let roundTrips = 0;
    let pending = [...requests];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const chunks = chunksOf(pending, BATCH_LIMIT);
      roundTrips += chunks.length;
      const answered = new Map((await Promise.all(chunks.map((chunk) => sendChunk(op, chunk, version)))).flatMap((m) => [...m]));
      const { again, wait } = settle(op, pending, answered, attempt, done);
      if (again.length > 0) await sleep(wait);
      pending = again;
    }
    logger.debug({ operation: op.what, requests: requests.length, roundTrips, ms: Date.now() - started }, 'Graph $batch done');
    return done;
  };

  const remainingPages = async <T>(op: Operation, firstPage: unknown, headers: Record<string, string>): Promise<T[]> => {
    const out: T[] = [];
    let next = (firstPage as Page<T> | null)?.['@odata.nextLink'];
    while (typeof next === 'string' && next !== '') {
      const link = next;
      const page = await call(op, (request) => request(link).headers(headers).get() as Promise<Page<T>>);
      out.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    return out;
  };

  return { call, batch, remainingPages };
}

/** What went wrong with one attempt; a request we stopped waiting for is a time-out saying how long. */
function attemptFailure(err: unknown, deadline: Deadline, attemptTimer: AbortSignal, limitMs: number): GraphFailure {
  const failure = failureFromThrown(err);
  if (failure.status !== -1) return failure;
  if (deadline.signal.aborted) return networkFailure('TimeoutError', deadline.budgetMs);
  if (attemptTimer.aborted) return networkFailure('TimeoutError', limitMs);
  return failure;
}

/**
 * A silent request given up on because the deadline left no room for another try did not answer
 * within the command's whole budget (what the admin configured), not just the last attempt's share.
 */
function givenUp(failure: GraphFailure, attemptsLeft: boolean, deadline: Deadline): GraphFailure {
  if (!attemptsLeft || failure.network?.waitedMs === undefined) return failure;
  return { ...failure, network: { ...failure.network, waitedMs: deadline.budgetMs } };
}

function logRetry(logger: Logger, op: Operation, f: GraphFailure, attempt: number, waitMs: number, subRequest?: string): void {
  logger.warn(
    { operation: op.what, status: f.status, graphCode: f.code, attempt, waitMs, ...(subRequest ? { subRequest } : {}) },
    'Graph request failed; retrying',
  );
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function stringHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') out[name] = value;
  }
  return out;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}
