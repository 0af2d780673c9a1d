/**
 * The short form of `npm run bench:chaos`: 6 remediations from the scenario catalog's automated
 * fixes over two bot processes on Azurite while the relay restarts, Graph answers 429 / 503 /
 * nothing or loses answers, and either bot is SIGKILLed; one target's writes are refused for good.
 * Every request ends final: done, or (only the permanently refused one) failed naming the fault;
 * each planned as its catalog scenario says; no Graph write is sent twice; every audit trail
 * verifies against the head its record carries. The seed is printed to replay (CHAOS_SEED).
 */
import { describe, expect, it } from 'vitest';
import { PERMANENT_FAULT, printChaos } from '../support/chaos-check.ts';
import { runChaos } from '../support/chaos-run.ts';

describe('chaos run (short form)', () => {
  it('ends every request done (failed only on the permanent fault, naming it), writes once, every trail verifying', async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`chaos seed ${seed}`);
    const report = await runChaos({ count: 6, seed, chaosMs: 8000, settleMs: 30_000, leaseMs: 2000 });
    printChaos(report);
    const v = report.verdict;
    const replay = `replay with CHAOS_SEED=${seed}`;
    expect(report.faults.length, replay).toBeGreaterThan(0);
    expect(
      Object.values(report.injected).reduce((a, b) => a + b, 0),
      `Graph requests faulted, ${replay}`,
    ).toBeGreaterThan(0);
    expect(v.notFinal, replay).toEqual([]);
    expect(v.unexpected, replay).toEqual([]);
    expect(v.permanentNotNamed, replay).toEqual([]);
    expect(
      v.failures.every((f) => f.includes('[permanent fault]') && f.includes(PERMANENT_FAULT)),
      replay,
    ).toBe(true);
    expect(v.failures.length, replay).toBe(report.permanent.filter((p) => !p.includes('never reached')).length);
    expect(v.wrongPlans, replay).toEqual([]);
    expect(v.duplicateWrites, replay).toEqual([]);
    expect(v.brokenTrails, replay).toEqual([]);
  }, 120_000);
});
