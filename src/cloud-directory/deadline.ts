/**
 * One time budget (the interface lives in ports/deadline.ts, which every layer may import) for every Graph call a command makes. A command creates it once
 * (`CloudDirectory.startDeadline()`) and passes it to each cloud directory call, so the tenant
 * facts, the target look-up and both evidence round trips of one `match` share it: retries of one
 * call eat into the time left for the next, and the admin gets an answer within GRAPH_TIMEOUT_MS
 * whatever Graph does.
 *
 * `signal` aborts when the budget is spent (AbortSignal.timeout: real time, so an in-flight
 * request is cut off); `remainingMs()` reads the injectable clock, which is what retry decisions
 * use, so they can be tested without waiting.
 */
import type { Deadline } from '../ports/deadline.ts';

export type { Deadline };

export const DEFAULT_GRAPH_TIMEOUT_MS = 20_000;

export function createDeadline(budgetMs: number = DEFAULT_GRAPH_TIMEOUT_MS, now: () => number = Date.now): Deadline {
  if (!Number.isFinite(budgetMs) || budgetMs <= 0) throw new RangeError(`a deadline needs a positive budget in ms, got ${budgetMs}`);
  const endsAt = now() + budgetMs;
  return {
    budgetMs,
    signal: AbortSignal.timeout(budgetMs),
    remainingMs: () => Math.max(0, endsAt - now()),
  };
}

/** "20 s", "2.5 s", "800 ms": a duration as a card says it. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds} s`;
}
