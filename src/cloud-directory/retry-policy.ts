/**
 * When a failed Graph call is sent again, and after how long (graph-transport.ts applies it to
 * single requests and to `$batch` sub-requests alike):
 * - 429: wait `Retry-After` (seconds or an HTTP date) exactly, as often as Graph asks: Graph says
 *   when it will serve us. Without Retry-After, back off.
 * - 5xx, no response, a connection reset, a time-out: exponential backoff from `baseDelayMs`,
 *   doubling, capped at `maxDelayMs`, with jitter (50–100 % of the delay) so concurrent callers do
 *   not retry in lockstep.
 * - Both for as long as the call's time budget (its Deadline: GRAPH_TIMEOUT_MS, 20 s by default)
 *   leaves MIN_ATTEMPT_MS for one more try after the wait; then the call gives up naming the last
 *   fault. Graph's own guidance is that 503 / 504 windows pass within seconds, so a budget of
 *   seconds, not a count of tries, decides: four quick tries (about 2–4 s of waits) gave up inside
 *   a 3 s outage that a 20 s budget rides out.
 * - `attempts`, when set, caps the tries for 5xx and silence as well (the configuration check
 *   wants a quick verdict); 429 is bounded by the budget only.
 * - Anything else (4xx) fails at once.
 */
import { isRetryable, type GraphFailure } from './errors.ts';

export interface RetryPolicy {
  /** Tries in all (first one included) for 5xx and silence; unset: as many as the deadline allows. */
  attempts?: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The least time left for which sending (again) is worth it: a healthy Graph answers well within it. */
export const MIN_ATTEMPT_MS = 250;

/**
 * How long to wait before trying again, or undefined to give up: not retryable, a server error or
 * silence past `attempts` (when set), or a wait that would not leave MIN_ATTEMPT_MS before the
 * deadline (`remainingMs`).
 */
export function retryDelay(
  failure: GraphFailure,
  attempt: number,
  policy: RetryPolicy,
  remainingMs: number,
  random: () => number = Math.random,
): number | undefined {
  if (!isRetryable(failure)) return undefined;
  const throttled = failure.status === 429;
  if (!throttled && policy.attempts !== undefined && attempt >= policy.attempts) return undefined;
  const wait = throttled && failure.retryAfterMs !== null ? failure.retryAfterMs : backoff(attempt, policy, random);
  return wait + MIN_ATTEMPT_MS <= remainingMs ? wait : undefined;
}

function backoff(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  // Jitter in [50%, 100%] of the exponential delay.
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
