/**
 * The short form of `npm run bench:chaos`: 6 remediations over two bot processes on Azurite while
 * the relay restarts, Graph answers 429 / 503 / nothing and either bot is SIGKILLed. Every request
 * ends final (a failure names its fault), none stays executing, no Graph write is sent twice and
 * every audit trail verifies against the head its record carries. The seed is printed to replay.
 */
import { describe, expect, it } from 'vitest';
import { printChaos, runChaos } from '../support/chaos-run.ts';

describe('chaos run (short form)', () => {
  it('leaves every request final, writes once and every trail verifying under faults', async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const report = await runChaos({ count: 6, seed, chaosMs: 8000, settleMs: 30_000, leaseMs: 2000 });
    printChaos(report);
    expect(report.faults.length, `seed ${seed}`).toBeGreaterThan(0);
    expect(
      Object.values(report.injected).reduce((a, b) => a + b, 0),
      `Graph requests faulted, seed ${seed}`,
    ).toBeGreaterThan(0);
    expect(report.notFinal, `seed ${seed}`).toEqual([]);
    expect(report.failedWithoutReason, `seed ${seed}`).toEqual([]);
    expect(report.duplicateWrites, `seed ${seed}`).toEqual([]);
    expect(report.brokenTrails, `seed ${seed}`).toEqual([]);
  }, 90_000);
});
