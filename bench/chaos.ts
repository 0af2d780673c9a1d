/**
 * `npm run bench:chaos`: 100 remediations over two bot processes on one Azurite store and one relay
 * while a seeded driver restarts the relay, makes Graph answer 429 / 503 / nothing for a while and
 * SIGKILLs either bot (test/support/chaos-run.ts). Prints every fault, the final states, requests
 * not final, writes sent twice, audit trails not verifying, and the time. CHAOS_SEED replays a run.
 */
import { printChaos, runChaos } from '../test/support/chaos-run.ts';

const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const report = await runChaos({ count: Number(process.env.CHAOS_COUNT ?? 100), seed, chaosMs: 30_000, settleMs: 90_000, leaseMs: 3000 });
printChaos(report);
const clean = report.notFinal.length + report.failedWithoutReason.length + report.duplicateWrites.length + report.brokenTrails.length === 0;
console.log(clean ? 'result: every request final, no write twice, every trail verifies' : 'result: FAILED (see above)');
process.exitCode = clean ? 0 : 1;
