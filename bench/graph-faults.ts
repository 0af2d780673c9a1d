/**
 * What `match` does when Microsoft Graph misbehaves, end to end: the bot's HTTP endpoint, the
 * relay agent and the Entra emulator (seeded, the sandbox scenario catalog) in this process, as in
 * bench/match-latency.ts. Three conditions, each on a fresh stack with the production deadline
 * (GRAPH_TIMEOUT_MS, default 20 s) and retry policy: 50 % and 80 % of Graph operations answered
 * 429 `Retry-After: 1` (seeded PRNG), and a frozen Graph (a TCP server that accepts and never
 * answers). Runs go CONCURRENCY at a time, cycling through the catalog's `match` commands. A run
 * "completed" when the card carries the same finding codes as with a healthy Graph; otherwise it
 * is a give-up, counted by the error code on the card. The tenant facts are cached after the
 * first run of a stack, as in production.
 *
 *   npm run bench:graph-faults
 */
import { ERROR_NOTICE_ID } from '../src/cards/error-card.ts';
import { findById } from '../test/support/card-query.ts';
import { startFrozenServer } from '../test/support/frozen-server.ts';
import { benchCases, benchFixturesDir, benchSeed, type BenchCase } from './support/cases.ts';
import { startMatchStack, type Exchange, type MatchStackOptions } from './support/match-stack.ts';
import { summarise } from './support/stats.ts';

const CONCURRENCY = 4;
const GRAPH_LATENCY_MS = 20;

interface Condition {
  name: string;
  runs: number;
  stack: Partial<MatchStackOptions>;
  frozen?: boolean;
}

const CONDITIONS: readonly Condition[] = [
  { name: 'throttled 50 %', runs: 24, stack: { throttleRate: 0.5, randomSeed: 50 } },
  { name: 'throttled 80 %', runs: 12, stack: { throttleRate: 0.8, randomSeed: 80 } },
  { name: 'frozen Graph', runs: 4, stack: {}, frozen: true },
];

type Outcome = { kind: 'completed' } | { kind: 'gave-up'; code: string } | { kind: 'wrong'; detail: string };

function cardOf(exchange: Exchange): unknown {
  return (exchange.reply.attachments as { content?: unknown }[] | undefined)?.[0]?.content;
}

/** The finding codes of `benchCase` that a card shows. */
function codesShown(benchCase: BenchCase, card: unknown): string[] {
  const json = JSON.stringify(card);
  return benchCase.findingCodes.filter((code) => json.includes(code) || json.includes(code.replaceAll('_', '\\\\_')));
}

function outcomeOf(benchCase: BenchCase, exchange: Exchange, expected: readonly string[]): Outcome {
  const card = cardOf(exchange);
  if (findById(card, ERROR_NOTICE_ID)) {
    const code = /Code: ([A-Z\\_]+)/.exec(JSON.stringify(card))?.[1]?.replaceAll('\\', '') ?? 'unknown';
    return { kind: 'gave-up', code };
  }
  const shown = codesShown(benchCase, card);
  return shown.join() === expected.join()
    ? { kind: 'completed' }
    : { kind: 'wrong', detail: `${benchCase.text}: ${shown.join()} ≠ ${expected.join()}` };
}

async function baseline(): Promise<Map<string, string[]>> {
  const stack = await startMatchStack({
    seed: benchSeed(),
    fixturesDir: benchFixturesDir(),
    graphLatencyMs: 0,
    relayLatencyMs: 0,
    log: () => undefined,
  });
  try {
    const expected = new Map<string, string[]>();
    for (const c of benchCases()) {
      const card = cardOf(await stack.send(c.text));
      if (findById(card, ERROR_NOTICE_ID)) throw new Error(`${c.text}: error card with a healthy Graph`);
      expected.set(c.text, codesShown(c, card));
    }
    return expected;
  } finally {
    await stack.close();
  }
}

async function runCondition(condition: Condition, expected: ReadonlyMap<string, string[]>): Promise<{ ms: number[]; outcomes: Outcome[] }> {
  const frozen = condition.frozen ? await startFrozenServer() : undefined;
  let warnings = 0;
  const stack = await startMatchStack({
    seed: benchSeed(),
    fixturesDir: benchFixturesDir(),
    graphLatencyMs: GRAPH_LATENCY_MS,
    relayLatencyMs: 0,
    log: () => void warnings++,
    ...condition.stack,
    ...(frozen ? { graphBaseUrl: frozen.url } : {}),
  });
  try {
    const cases = benchCases();
    const ms: number[] = [];
    const outcomes: Outcome[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let i = next++; i < condition.runs; i = next++) {
        const benchCase = cases[i % cases.length] as BenchCase;
        const exchange = await stack.send(benchCase.text);
        ms.push(exchange.ms);
        outcomes.push(outcomeOf(benchCase, exchange, expected.get(benchCase.text) ?? []));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    return { ms, outcomes };
  } finally {
    await stack.close();
    await frozen?.close();
  }
}

function report(condition: Condition, ms: number[], outcomes: Outcome[]): string {
  const { p50, p95, max } = summarise(ms);
  const completed = outcomes.filter((o) => o.kind === 'completed').length;
  const codes = new Map<string, number>();
  for (const o of outcomes) if (o.kind === 'gave-up') codes.set(o.code, (codes.get(o.code) ?? 0) + 1);
  const gaveUp = [...codes].map(([code, n]) => `${n} ${code}`).join(', ') || '0';
  const wrong = outcomes.flatMap((o) => (o.kind === 'wrong' ? [o.detail] : []));
  const cells = [
    condition.name.padEnd(16),
    String(outcomes.length).padStart(4),
    String(completed).padStart(9),
    (p50 / 1000).toFixed(1).padStart(7),
    (p95 / 1000).toFixed(1).padStart(7),
    (max / 1000).toFixed(1).padStart(7),
  ];
  return `${cells.join('  ')}  give-ups: ${gaveUp}${wrong.length > 0 ? `; WRONG DIAGNOSIS: ${wrong.join(' | ')}` : ''}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `graph faults: match through the bot's endpoint, ${CONCURRENCY} at a time, Graph latency ${GRAPH_LATENCY_MS} ms, GRAPH_TIMEOUT_MS default (20 s)`,
  );
  const expected = await baseline();
  const checked = [...expected.values()].reduce((n, codes) => n + codes.length, 0);
  console.log(`right diagnosis = the same ${checked} finding codes over ${expected.size} commands as with a healthy Graph`);
  console.log(
    `\n${['condition'.padEnd(16), 'runs', 'completed', 'p50 s', 'p95 s', 'max s'].map((c, i) => (i === 0 ? c : c.padStart(i === 2 ? 9 : i === 1 ? 4 : 7))).join('  ')}`,
  );
  let failed = false;
  for (const condition of CONDITIONS) {
    const { ms, outcomes } = await runCondition(condition, expected);
    console.log(report(condition, ms, outcomes));
    if (outcomes.some((o) => o.kind === 'wrong')) failed = true;
    if (condition.name === 'throttled 50 %' && outcomes.some((o) => o.kind !== 'completed')) failed = true;
    if (condition.frozen && (outcomes.some((o) => o.kind !== 'gave-up' || o.code !== 'CLOUD_UNAVAILABLE') || Math.max(...ms) > 21_000))
      failed = true;
  }
  console.log(
    `\ntarget: every 50 % run completes; frozen Graph answers CLOUD_UNAVAILABLE within the 20 s deadline (+1 s): ${failed ? 'FAIL' : 'PASS'}`,
  );
  console.log(`bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (failed) process.exitCode = 1;
}

await main();
