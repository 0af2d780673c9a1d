/** Injected latency is the nominal figure: never short of it, and not a timer's millisecond late on an idle loop. */
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

  it('finishes within a fraction of a millisecond of the nominal wait at the median', async () => {
    const over: number[] = [];
    for (let i = 0; i < 15; i++) {
      const start = performance.now();
      await preciseDelay(20);
      over.push(performance.now() - start - 20);
    }
    over.sort((a, b) => a - b);
    // A plain 20 ms timer is typically 0.5-1.5 ms late; the loose bound keeps a loaded machine from failing the test.
    expect(over[7]).toBeLessThan(0.5);
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
    const busyUntil = since + 15;
    while (performance.now() < busyUntil); // 15 ms of a stand-in's own work
    await preciseDelay(25, since);
    const took = performance.now() - since;
    expect(took).toBeGreaterThanOrEqual(25);
    expect(took).toBeLessThan(25 + 10);
  });

  it('returns at once when `since` + ms is already past', async () => {
    const start = performance.now();
    await preciseDelay(5, start - 50);
    expect(performance.now() - start).toBeLessThan(5);
  });
});
