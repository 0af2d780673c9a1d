/**
 * How every Graph call goes out: one retry policy for single requests and for `$batch`
 * sub-requests, JSON batching in chunks of 20 sent concurrently, and paging through
 * `@odata.nextLink`. Failures leave here as CloudError (see errors.ts).
 *
 * Retries, and why they are ours: the SDK's RetryHandler would retry a throttled single request,
 * but never a throttled sub-request inside a `$batch` (the envelope answers 200), so the client is
 * built without it (graph-client.ts) and this module retries both the same way:
 * - 429: wait `Retry-After` (seconds or an HTTP date) exactly; without one, back off. A wait
 *   longer than `maxDelayMs` is not worth blocking an admin's chat for: fail with CLOUD_THROTTLED.
 * - 5xx, no response, timeout: exponential backoff from `baseDelayMs`, capped at `maxDelayMs`,
 *   with jitter so concurrent callers do not retry in lockstep.
 * - In a batch only the sub-requests that failed that way are sent again, in a new batch.
 * - Anything else fails at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logging/logger.ts';
import { credentialError, failureFromBody, failureFromThrown, isRetryable, toCloudError, type GraphFailure, type Operation } from './errors.ts';

export interface RetryPolicy {
  /** Tries in all (first one included); at least 1. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

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
  /** Per HTTP request; a request still waiting then counts as "no response". */
  requestTimeoutMs: number;
}

export interface GraphTransport {
  /** A request builder for `path` (relative to the version root, encoded), with the timeout set. */
  api(path: string): GraphRequest;
  /** Run one request with the retry policy; failures become CloudError. */
  call<T>(op: Operation, run: () => Promise<T>): Promise<T>;
  /** GETs in as few round trips as Graph allows (20 per `$batch`, chunks concurrent). */
  batch(op: Operation, requests: readonly BatchGet[]): Promise<Map<string, BatchAnswer>>;
  /** The rest of a collection: follow `@odata.nextLink` from a first page, sending `headers` again. */
  remainingPages<T>(op: Operation, firstPage: unknown, headers: Record<string, string>): Promise<T[]>;
}

/** Graph's JSON batching limit. */
export const BATCH_LIMIT = 20;

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

interface BatchEnvelope {
  responses?: { id?: unknown; status?: unknown; headers?: unknown; body?: unknown }[];
}

export function createGraphTransport(options: GraphTransportOptions): GraphTransport {
  const { client, retry, logger } = options;

  const api = (path: string): GraphRequest => client.api(path).option('signal', AbortSignal.timeout(options.requestTimeoutMs));

  const call = async <T>(op: Operation, run: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        const authFailure = credentialError(op, err);
        if (authFailure) throw authFailure;
        const failure = failureFromThrown(err);
        const wait = retryDelay(failure, attempt, retry);
        if (wait === undefined) throw toCloudError(op, failure, { attempts: attempt, cause: err });
        logRetry(logger, op, failure, attempt, wait);
        await sleep(wait);
      }
    }
  };

  const sendChunk = async (op: Operation, chunk: readonly BatchGet[]): Promise<Map<string, Omit<BatchAnswer, 'attempts'>>> => {
    const requests = chunk.map((r) => ({ id: r.id, method: 'GET', url: r.url, ...(r.headers ? { headers: r.headers } : {}) }));
    const envelope = await call(op, () => api('/$batch').post({ requests }) as Promise<BatchEnvelope>);
    const answers = new Map<string, Omit<BatchAnswer, 'attempts'>>();
    for (const r of envelope.responses ?? []) {
      if (typeof r.id !== 'string' || typeof r.status !== 'number') continue;
      answers.set(r.id, { id: r.id, status: r.status, headers: stringHeaders(r.headers), body: r.body });
    }
    for (const r of chunk) {
      // A sub-request the envelope forgot counts as unanswered, and so is retried like a 5xx.
      if (!answers.has(r.id)) answers.set(r.id, { id: r.id, status: -1, headers: {}, body: { error: { message: 'the $batch response held no answer for this request' } } });
    }
    return answers;
  };

  const batch = async (op: Operation, requests: readonly BatchGet[]): Promise<Map<string, BatchAnswer>> => {
    const done = new Map<string, BatchAnswer>();
    const started = Date.now();
    let roundTrips = 0;
    let pending = [...requests];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const chunks = chunksOf(pending, BATCH_LIMIT);
      roundTrips += chunks.length;
      const answered = await Promise.all(chunks.map((chunk) => sendChunk(op, chunk)));
      const again: BatchGet[] = [];
      let wait = 0;
      for (const request of pending) {
        const answer = answered.map((m) => m.get(request.id)).find((a) => a !== undefined);
        if (!answer) continue;
        const failure = answer.status >= 200 && answer.status < 300 ? undefined : failureFromBody(answer.status, answer.body, header(answer.headers, 'retry-after'));
        const delay = failure ? retryDelay(failure, attempt, retry) : undefined;
        if (failure && delay !== undefined) {
          again.push(request);
          wait = Math.max(wait, delay);
          logRetry(logger, op, failure, attempt, delay, request.id);
        } else {
          done.set(request.id, { ...answer, attempts: attempt });
        }
      }
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
      const page = await call(op, () => api(link).headers(headers).get() as Promise<Page<T>>);
      out.push(...(page.value ?? []));
      next = page['@odata.nextLink'];
    }
    return out;
  };

  return { api, call, batch, remainingPages };
}

/**
 * How long to wait before trying again, or undefined to give up: not retryable, out of attempts,
 * or Graph asked for a wait longer than the policy allows.
 */
export function retryDelay(failure: GraphFailure, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (!isRetryable(failure) || attempt >= policy.attempts) return undefined;
  if (failure.status === 429 && failure.retryAfterMs !== null) {
    return failure.retryAfterMs <= policy.maxDelayMs ? failure.retryAfterMs : undefined;
  }
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Jitter in [50%, 100%] of the exponential delay.
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

function logRetry(logger: Logger, op: Operation, f: GraphFailure, attempt: number, waitMs: number, subRequest?: string): void {
  logger.warn({ operation: op.what, status: f.status, graphCode: f.code, attempt, waitMs, ...(subRequest ? { subRequest } : {}) }, 'Graph request failed; retrying');
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
