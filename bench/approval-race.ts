/**
 * `npm run bench:approval-race`: two bot processes over one Azurite store and one Entra emulator.
 * 1. Executions per request under the two-instance race: every request approved at the same moment
 *    on both instances; the engine's claims (audit) and the anchor PATCHes (emulator) are counted.
 * 2. Approve-to-verified latency with injected latency (80 ms per Graph request, 40 ms per relay
 *    call), one request at a time, from the approvals being sent to the engine's `done` entry,
 *    against its bound: the re-validation's relay and Graph round trips (serial depth observed in
 *    the relay's and emulator's timelines), one Graph round trip per write step, the sync call and
 *    one verifying read. Printed as a ratio (target at most 1.3).
 */
import { createLogger } from '../src/logging/logger.ts';
import { createAuditTrail } from '../src/store/audit-trail.ts';
import { openStore } from '../src/store/index.ts';
import { startMultiBotStack, type MultiBotStack } from '../test/support/multi-bot-stack.ts';
import { raceTenant } from '../test/support/race-seed.ts';
import { inParallel, RACE_ADMINS, raceOne, type RaceOutcome } from '../test/support/race-run.ts';
import { startRecordingConnector } from '../test/support/recording-connector.ts';
import { graphRecorder, type GraphSpan } from './support/match-stack.ts';
import { summarise } from './support/stats.ts';

const RACE_REQUESTS = 40;
const TIMED_REQUESTS = 20;
const GRAPH_MS = 80;
const RELAY_MS = 40;
const BOT_ENV = { ADMIN_IDS: RACE_ADMINS.map((p) => p.aadObjectId).join(','), REQUIRED_APPROVALS: '1', ENGINE_LEASE_MS: '5000', ENGINE_POLL_MS: '10', LOG_LEVEL: 'error' };

type Entries = Awaited<ReturnType<ReturnType<typeof createAuditTrail>['entriesOf']>>;

async function twoBots(stack: MultiBotStack) {
  const [a, b] = await Promise.all([stack.spawnBot(BOT_ENV), stack.spawnBot(BOT_ENV)]);
  const store = await openStore(stack.storeUrl);
  const audit = createAuditTrail(store, createLogger({ level: 'silent' }));
  const untilDone = async (requestId: string): Promise<Entries> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const entries = await audit.entriesOf(requestId);
      if (entries.some((e) => e.action === 'done' || e.action === 'failed')) return entries;
      if (Date.now() > deadline) throw new Error(`request ${requestId} not done after 30 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { a, b, store, untilDone };
}

interface Span {
  start: number;
  end: number;
}

/** Number of maximal groups of overlapping spans: the serial depth of calls in a window. */
function serialDepth(spans: readonly Span[]): number {
  return merged(spans).length;
}

/** Time covered by at least one span (where the window waited on that party). */
function busyMs(spans: readonly Span[]): number {
  return merged(spans).reduce((sum, s) => sum + s.end - s.start, 0);
}

function merged(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of [...spans].sort((x, y) => x.start - y.start)) {
    const last = out.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

const within = (from: number, to: number) => (s: Span) => s.start >= from && s.end <= to;

async function racePhase(): Promise<void> {
  const tenant = await raceTenant(RACE_REQUESTS);
  const connector = await startRecordingConnector();
  const stack = await startMultiBotStack({ seed: tenant.seed, fixturesDir: tenant.fixturesDir });
  try {
    const { a, b, store, untilDone } = await twoBots(stack);
    const target = { botA: a.url, botB: b.url, connector, tenantId: stack.emulator.state.tenant.id };
    const outcomes = await inParallel(tenant.users, 20, (u) => raceOne(target, u.sam));
    const trails = await Promise.all(outcomes.map((o) => untilDone(o.requestId)));
    const claims = trails.map((t) => t.filter((e) => e.action === 'execution-claimed' || e.action === 'execution-resumed').length);
    const patches = stack.emulator.state.graphWrites().filter((w) => w.method === 'PATCH').length;
    const perRequest = new Set(claims);
    console.log(`race: ${RACE_REQUESTS} requests, each approved at once on both instances`);
    console.log(`executions per request: ${perRequest.size === 1 ? String(claims[0]) : `varies (${[...perRequest].join(', ')})`}`);
    console.log(`anchor PATCHes: ${patches} for ${RACE_REQUESTS} requests (${(patches / RACE_REQUESTS).toFixed(2)} per request)`);
    await store.close();
  } finally {
    await stack.close();
    await connector.close();
  }
}

async function latencyPhase(): Promise<void> {
  const tenant = await raceTenant(TIMED_REQUESTS);
  const connector = await startRecordingConnector();
  const graph: GraphSpan[] = [];
  const stack = await startMultiBotStack({ seed: tenant.seed, fixturesDir: tenant.fixturesDir, graphLatencyMs: GRAPH_MS, relayLatencyMs: RELAY_MS, emulatorLogger: graphRecorder(graph) });
  try {
    const { a, b, store, untilDone } = await twoBots(stack);
    const target = { botA: a.url, botB: b.url, connector, tenantId: stack.emulator.state.tenant.id };
    const samples: { ms: number; bound: number; phases: string }[] = [];
    for (const user of tenant.users) {
      const outcome: RaceOutcome = await raceOne(target, user.sam);
      const sent = Date.now() - (performance.now() - outcome.approvedAt);
      const entries = await untilDone(outcome.requestId);
      const done = entries.find((e) => e.action === 'done')?.at ?? Number.NaN;
      const claimed = entries.find((e) => e.action === 'execution-claimed')?.at ?? Number.NaN;
      // Re-validation: what the winning approval read between being sent and the claim.
      const relayDepth = serialDepth(stack.directory.spans.filter(within(sent, claimed)));
      const graphDepth = serialDepth(graph.filter(within(sent, claimed)));
      const executionGraph = graph.filter(within(claimed, done));
      const writeSteps = 1;
      const bound = relayDepth * RELAY_MS + graphDepth * GRAPH_MS + writeSteps * GRAPH_MS + RELAY_MS + GRAPH_MS;
      const phases = `re-validation+claim ${Math.round(claimed - sent)} ms (relay depth ${relayDepth}, Graph depth ${graphDepth}), execution ${Math.round(done - claimed)} ms (Graph ${executionGraph.length} requests, depth ${serialDepth(executionGraph)}, ${Math.round(busyMs(executionGraph))} ms of it waiting on Graph: ${executionGraph.map((g) => `${g.method} ${g.url.split('?')[0] ?? ''}`).join(', ')}; re-validation waited ${Math.round(busyMs(graph.filter(within(sent, claimed))))} ms on Graph, ${Math.round(busyMs(stack.directory.spans.filter(within(sent, claimed))))} ms on the relay)`;
      samples.push({ ms: done - sent, bound, phases });
    }
    const latency = summarise(samples.map((s) => s.ms));
    const bound = summarise(samples.map((s) => s.bound));
    console.log(`approve-to-verified (${TIMED_REQUESTS} requests, ${GRAPH_MS} ms Graph, ${RELAY_MS} ms relay): p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms`);
    console.log(`bound: ${bound.p50} ms (re-validation relay + Graph round trips, 1 write step, the sync call, 1 verifying read)`);
    console.log(`ratio: p50 ${(latency.p50 / bound.p50).toFixed(2)}, p95 ${(latency.p95 / bound.p50).toFixed(2)} (target at most 1.3)`);
    console.log(`median request: ${samples.sort((x, y) => x.ms - y.ms)[Math.floor(samples.length / 2)]?.phases ?? '?'}`);
    await store.close();
  } finally {
    await stack.close();
    await connector.close();
  }
}

if (process.env.BENCH_SKIP_RACE !== '1') await racePhase();
await latencyPhase();
