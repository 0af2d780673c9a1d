/**
 * The chaos run, shared by `npm run bench:chaos` and its short form in the integration tests: N
 * remediations drawn from the scenario catalog's automated fixes (chaos-tenant.ts) over two bot
 * processes sharing one Azurite store and one relay, approved while a seeded schedule of
 * transient faults plays (chaos-faults.ts), and a few targets refused for good (the permanent
 * fault). Then every request is judged (chaos-check.ts). Plain functions (no vitest).
 *
 * The seed draws the catalog mix, the permanently refused targets and the fault schedule from
 * separate streams before anything runs, so a seed replays all three; which bot takes which click
 * is drawn as the run goes (that, and the timings, vary).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINAL_STATES, type ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { seededRandom } from '../../src/sandbox/emulator/prng.ts';
import { openStore } from '../../src/store/index.ts';
import { allElements } from './card-query.ts';
import { checkRequests, type ChaosSummary, type RaisedRequest } from './chaos-check.ts';
import { describeFault, driveFaults, faultSchedule, type Fault } from './chaos-faults.ts';
import { chaosTenant, type ChaosRemediation } from './chaos-tenant.ts';
import { startGraphFaultProxy, type GraphFaultProxy } from './graph-fault-proxy.ts';
import { startMultiBotStack, type BotChild, type MultiBotStack } from './multi-bot-stack.ts';
import { inParallel, RACE_ADMINS, RACE_JUSTIFICATION } from './race-run.ts';
import { startRecordingConnector, type RecordingConnector } from './recording-connector.ts';
import { teamsClient, type Person } from './teams-client.ts';

export interface ChaosOptions {
  count: number;
  seed: number;
  /** How long the driver keeps injecting faults after the approvals start. */
  chaosMs: number;
  /** Longest the run waits for every request to be final once the faults stop. */
  settleMs: number;
  leaseMs: number;
}

/** A test key for the bots' HMAC-keyed audit chain (AUDIT_KEY), so the check verifies with it. */
const AUDIT_KEY = 'chaos-run-audit-key-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a run works with once the stack is up. */
interface ChaosWorld {
  options: ChaosOptions;
  stack: MultiBotStack;
  proxy: GraphFaultProxy;
  connector: RecordingConnector;
  store: RequestStore;
  env: Record<string, string>;
  bots: BotChild[];
  /** Which bot takes a click (a stream of its own). */
  pickBot: () => 0 | 1;
}

function requestIdOf(card: unknown): string {
  const action = allElements(card).find(
    (e) => e.type === 'Action.Execute' && typeof (e.data as { requestId?: unknown } | undefined)?.requestId === 'string',
  );
  const id = (action?.data as { requestId?: string } | undefined)?.requestId;
  if (!id) throw new Error('the match card carries no request id');
  return id;
}

function client(w: ChaosWorld, bot: number, person: Person, conversation: string) {
  return teamsClient({
    botUrl: w.bots[bot]?.url ?? '',
    connector: w.connector,
    tenantId: w.stack.emulator.state.tenant.id,
    person,
    conversation: { id: `chaos-${conversation}-${person.aadObjectId.slice(-2)}`, type: 'personal' },
  });
}

/** Raised before the faults start (on bot A): the chaos is in approval and execution. */
function raise(w: ChaosWorld, remediations: readonly ChaosRemediation[]): Promise<string[]> {
  const requester = RACE_ADMINS[0] as Person;
  return inParallel(remediations, 4, async (r) => {
    const rae = client(w, 0, requester, r.who);
    const requestId = requestIdOf((await rae.say(`match ${r.who}`)).card);
    await rae.invoke('requestApproval', { verb: 'requestApproval', requestId, justification: RACE_JUSTIFICATION });
    return requestId;
  });
}

/** Approves on a bot picked at random, again while it still waits (the bot died, or re-validation met a fault). */
async function approve(w: ChaosWorld, requestId: string, calm: () => boolean): Promise<void> {
  const deadline = performance.now() + w.options.chaosMs + w.options.settleMs;
  while (performance.now() < deadline && (await w.store.get(requestId))?.value.state === 'requested') {
    await client(w, w.pickBot(), RACE_ADMINS[1] as Person, requestId)
      .invoke('approve', { verb: 'approve', requestId })
      .catch(() => undefined);
    await sleep(calm() ? 200 : 500);
  }
}

/** Plays the schedule, releasing a tenth of the approvals as each fault starts, the rest at the end. */
async function approveUnderFaults(w: ChaosWorld, ids: readonly string[], schedule: readonly Fault[]): Promise<void> {
  const pending = [...ids];
  const approvals: Promise<void>[] = [];
  let calm = false;
  const release = (): void => {
    for (const id of pending.splice(0, Math.ceil(ids.length / 10))) approvals.push(approve(w, id, () => calm));
  };
  const targets = { stack: w.stack, proxy: w.proxy, bots: w.bots, spawnBot: () => w.stack.spawnBot(w.env) };
  await driveFaults(schedule, targets, release);
  calm = true;
  while (pending.length > 0) release();
  await Promise.all(approvals);
}

async function settle(w: ChaosWorld, ids: readonly string[]): Promise<(ApprovalRequest | undefined)[]> {
  const deadline = performance.now() + w.options.settleMs;
  const read = () => Promise.all(ids.map(async (id) => (await w.store.get(id))?.value));
  let records = await read();
  while (records.some((r) => !r || !FINAL_STATES.includes(r.state)) && performance.now() < deadline) {
    await sleep(250);
    records = await read();
  }
  return records;
}

/** Each target refused for good with probability 1/50 (at least one per run), drawn from its own stream. */
function permanentlyRefused(seed: number, count: number): Set<number> {
  const random = seededRandom(seed);
  const picked = new Set<number>();
  for (let i = 0; i < count; i += 1) if (random() < 1 / 50) picked.add(i);
  if (picked.size === 0) picked.add(Math.floor(random() * count));
  return picked;
}

async function startWorld(options: ChaosOptions, seed: ChaosTenantSeed): Promise<ChaosWorld> {
  const connector = await startRecordingConnector();
  const stack = await startMultiBotStack({ seed: seed.tenant.seed, fixturesDir: seed.tenant.fixturesDir, inScope: seed.tenant.inScope });
  const proxy = await startGraphFaultProxy(stack.emulator.url, stack.emulator.caCertificate ?? '');
  const caFile = join(await mkdtemp(join(tmpdir(), 'hardmatch-chaos-')), 'ca.pem');
  await writeFile(caFile, `${proxy.caCertificate}${stack.emulator.caCertificate ?? ''}`);
  const env = {
    GRAPH_BASE_URL: proxy.url,
    GRAPH_CA_FILE: caFile,
    ADMIN_IDS: RACE_ADMINS.map((p) => p.aadObjectId).join(','),
    REQUIRED_APPROVALS: '1',
    ENGINE_LEASE_MS: String(options.leaseMs),
    ENGINE_POLL_MS: '50',
    AUDIT_KEY,
    LOG_LEVEL: 'fatal',
  };
  const store = await openStore(stack.storeUrl);
  const bots = await Promise.all([stack.spawnBot(env), stack.spawnBot(env)]);
  const random = seededRandom(options.seed + 3);
  return { options, stack, proxy, connector, store, env, bots, pickBot: () => (random() < 0.5 ? 0 : 1) };
}

async function closeWorld(w: ChaosWorld): Promise<void> {
  await w.store.close();
  await w.proxy.close();
  await w.stack.close();
  await w.connector.close();
}

interface ChaosTenantSeed {
  tenant: Awaited<ReturnType<typeof chaosTenant>>;
  permanent: Set<number>;
  schedule: Fault[];
}

/** Everything the seed decides, before anything runs. */
async function drawRun(options: ChaosOptions): Promise<ChaosTenantSeed> {
  const tenant = await chaosTenant(options.count, seededRandom(options.seed));
  return {
    tenant,
    permanent: permanentlyRefused(options.seed + 1, options.count),
    schedule: faultSchedule(options.seed + 2, options.chaosMs),
  };
}

function tally(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[item] = (out[item] ?? 0) + 1;
  return out;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosSummary> {
  const started = performance.now();
  const drawn = await drawRun(options);
  const { remediations } = drawn.tenant;
  const w = await startWorld(options, drawn);
  try {
    const ids = await raise(w, remediations);
    for (const i of drawn.permanent) w.proxy.refuse(remediations[i]?.targetUserId ?? '');
    await approveUnderFaults(w, ids, drawn.schedule);
    w.proxy.set('pass');
    const records = await settle(w, ids);
    // A drawn target meets the permanent fault only if one of its writes reached the proxy (a sync
    // may have joined it before its write, which then sends nothing): only then must it fail.
    const raised: RaisedRequest[] = ids.map((id, i) => {
      const remediation = remediations[i] as ChaosRemediation;
      return { id, remediation, permanent: drawn.permanent.has(i) && w.proxy.refusedWrites(remediation.targetUserId) > 0 };
    });
    const verdict = await checkRequests(
      w.store,
      raised,
      records,
      w.stack.emulator.state.graphWrites(),
      new TextEncoder().encode(AUDIT_KEY),
    );
    return {
      seed: options.seed,
      count: options.count,
      mix: tally(remediations.map((r) => r.scenario)),
      permanent: raised
        .filter((_, i) => drawn.permanent.has(i))
        .map((r) => `${r.id} (${r.remediation.who}${r.permanent ? '' : ': never reached, no write needed'})`),
      faults: drawn.schedule.map(describeFault),
      injected: { ...w.proxy.injected },
      verdict,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await closeWorld(w);
  }
}
