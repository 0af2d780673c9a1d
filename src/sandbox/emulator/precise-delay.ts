/**
 * A wait of exactly `ms` milliseconds (never less, and late only by what the event loop is busy
 * with): injected latency must be the nominal figure a latency bound assumes. A timer alone fires
 * up to a millisecond or two late (its clock is the loop's cached millisecond time, and waking
 * takes its time), so the timer is set FINISH_MS short and the rest is finished on setImmediate
 * turns against performance.now(); those turns still let the loop serve I/O meanwhile.
 *
 * `since` (a performance.now() time, default now) makes the wait end `ms` after that moment: a
 * stand-in that models a remote service's latency measures it from when the request arrived, so
 * its own work (a lookup, a `$batch`'s sub-requests) is inside the nominal figure, as a real
 * service's is, instead of added to it.
 */
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';

/** How much of the wait is left to the precise finish. */
export const FINISH_MS = 2;

export async function preciseDelay(ms: number, since = performance.now()): Promise<void> {
  const until = since + ms;
  const left = until - performance.now();
  if (left > FINISH_MS) await delay(left - FINISH_MS);
  while (performance.now() < until) await nextTurn();
}
