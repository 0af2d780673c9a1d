/**
 * `npm run bench:chaos`: 100 remediations drawn from the scenario catalog's automated fixes over
 * two bot processes on one Azurite store and one relay, while a seeded schedule restarts the
 * relay, makes Graph answer 429 / 503 / nothing / lose answers for a while and SIGKILLs either bot,
 * and a few targets are refused for good (test/support/chaos-run.ts). Prints the seed, the mix,
 * every fault, the final states, and what went wrong; exits 1 unless every request is final, done
 * unless it met the permanent fault (then failed naming it), no write was sent twice and every
 * trail verifies. CHAOS_SEED replays the mix and the fault schedule; CHAOS_COUNT (default 100).
 */
import { isClean, printChaos } from '../test/support/chaos-check.ts';
import { runChaos } from '../test/support/chaos-run.ts';

const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`chaos seed ${seed}`);
const report = await runChaos({ count: Number(process.env.CHAOS_COUNT ?? 100), seed, chaosMs: 30_000, settleMs: 90_000, leaseMs: 3000 });
printChaos(report);
const clean = isClean(report.verdict);
console.log(
  clean
    ? 'result: every request final and done unless its fault was permanent, no write twice, every trail verifies'
    : 'result: FAILED (see above)',
);
process.exitCode = clean ? 0 : 1;
