/**
 * A wait of exactly `ms` milliseconds (never less, and late only by what the event loop is busy
 * with): injected latency must be the nominal figure a latency bound assumes. A timer alone fires
 * up to a millisecond or two late (its clock is the loop's cached millisecond time, and waking
 * takes its time), so the timer is set FINISH_MS short and the rest is finished on setImmediate
 * turns against performance.now(); those turns still let the loop serve I/O meanwhile.
 */
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';

/** How much of the wait is left to the precise finish. */
export const FINISH_MS = 2;

export async function preciseDelay(ms: number): Promise<void> {
  const until = performance.now() + ms;
  if (ms > FINISH_MS) await delay(ms - FINISH_MS);
  while (performance.now() < until) await nextTurn();
}
