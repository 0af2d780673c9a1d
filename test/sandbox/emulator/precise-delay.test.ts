/**
 * Injected latency is the nominal figure: never short of it, counted from when the request arrived.
 * How close to the figure it ends on an idle loop is a timing property, measured by the benches
 * (bench:match-latency prints the injected spans), not asserted here.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FINISH_MS, preciseDelay } from '../../../src/sandbox/emulator/precise-delay.ts';

describe('preciseDelay', () => {
  it.each([0, 1, FINISH_MS, 5, 40])('waits at least %d ms', async (ms) => {
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await preciseDelay(ms);
      expect(performance.now() - start).toBeGreaterThanOrEqual(ms);
    }
  });

  it('lets the event loop serve other work while it finishes', async () => {
    let turns = 0;
    let waiting = true;
    const counter = (async () => {
      while (waiting) {
        turns += 1;
        await nextTurn();
      }
    })();
    await preciseDelay(FINISH_MS + 1);
    waiting = false;
    await counter;
    expect(turns).toBeGreaterThan(1);
  });

  it('counts the wait from `since`: work done since then is inside the figure, not added to it', async () => {
    const since = performance.now();
    const busyUntil = since + 30;
    while (performance.now() < busyUntil); // 30 ms of a stand-in's own work
    await preciseDelay(40, since);
    const took = performance.now() - since;
    expect(took).toBeGreaterThanOrEqual(40);
    // Added rather than counted from `since`, it would take at least 70 ms.
    expect(took).toBeLessThan(65);
  });

  it('returns at once when `since` + ms is already past', async () => {
    const start = performance.now();
    await preciseDelay(5, start - 50);
    expect(performance.now() - start).toBeLessThan(5);
  });
});
