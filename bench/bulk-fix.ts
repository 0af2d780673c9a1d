/**
 * bench:bulk-fix: one bulk approval fixing USERS users (default 2,000, each a SET_ANCHOR), run by
 * two bot processes sharing one Azurite (Table Storage for the store, Queue Storage for the work
 * items: QUEUE_URL=azure-queues:), against the Entra emulator enforcing a write quota per app and
 * tenant (QUOTA, default 400 writes per 15 s: Graph's 3,000 per 150 s would never bite in a 100 s
 * run; 429 TooManyRequests + Retry-After beyond it). Printed: writes/s during the execution against
 * the shared budget (BULK_WRITES_PER_SECOND, default 20 here; target at least 0.9 of it),
 * executions per user (anchor PATCHes per user in the emulator's write log; exactly 1), the quota's
 * 429s, how many writes said `x-ms-throttle-priority: low`, and the same run with the coordinating
 * instance SIGKILLed once half the users are written (every user still ends; none written twice).
 * Usage: npm run bench:bulk-fix [-- --users 2000 --budget 20 --quota 400/15]
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { parseWriteQuota, type WriteQuotaLimit } from '../src/sandbox/emulator/write-quota.ts';
import { createScanStore } from '../src/bulk/scan-store.ts';
import { openStore } from '../src/store/index.ts';
import type { RequestStore } from '../src/ports/request-store.ts';
import { findItemRequest } from '../src/bulk/bulk-item.ts';
import { startMultiBotStack, type BotChild, type MultiBotStack } from '../test/support/multi-bot-stack.ts';
import { raceTenant, type RaceTenant } from '../test/support/race-seed.ts';
import { RACE_ADMINS } from '../test/support/race-run.ts';
import { startRecordingConnector, type RecordingConnector } from '../test/support/recording-connector.ts';
import { teamsClient } from '../test/support/teams-client.ts';
import { visibleText } from '../test/support/card-query.ts';

const { values } = parseArgs({ options: { users: { type: 'string' }, budget: { type: 'string' }, quota: { type: 'string' } } });
const USERS = Number(values.users ?? 2000);
const BUDGET = Number(values.budget ?? 20);
const QUOTA = ((): WriteQuotaLimit | null => {
  const parsed = parseWriteQuota(values.quota ?? '400/15');
  if (parsed !== null && 'problem' in parsed) throw new Error(`--quota ${parsed.problem}`);
  return parsed;
})();
const [REQUESTER, APPROVER] = RACE_ADMINS;
const BOT_ENV = {
  ADMIN_IDS: RACE_ADMINS.map((p) => p.aadObjectId).join(','),
  ENGINE_LEASE_MS: '4000',
  ENGINE_POLL_MS: '10',
  LOG_LEVEL: 'error',
  BULK_WRITES_PER_SECOND: String(BUDGET),
};

interface Run {
  stack: MultiBotStack;
  bots: BotChild[];
  store: RequestStore;
  connector: RecordingConnector;
  tenant: RaceTenant;
}

async function start(): Promise<Run> {
  const tenant = await raceTenant(USERS);
  const connector = await startRecordingConnector();
  const stack = await startMultiBotStack({ seed: tenant.seed, fixturesDir: tenant.fixturesDir, queues: true, writeQuota: QUOTA });
  const bots = await Promise.all([stack.spawnBot(BOT_ENV), stack.spawnBot(BOT_ENV)]);
  return { stack, bots, store: await openStore(stack.storeUrl), connector, tenant };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Scans on the first bot, requests approval, approves on the second; answers the bulk request id. */
async function approveBulk(run: Run): Promise<string> {
  const client = (i: number, person = REQUESTER) =>
    teamsClient({
      botUrl: run.bots[i]?.url ?? '',
      connector: run.connector,
      tenantId: run.stack.emulator.state.tenant.id,
      person: person ?? RACE_ADMINS[0]!,
    });
  const { card } = await client(0).say('scan');
  const scanId = /Scan ([a-z0-9]{6})/.exec(visibleText(card))?.[1];
  if (!scanId) throw new Error(`no scan id on the card: ${visibleText(card).slice(0, 200)}`);
  const scans = createScanStore(run.store);
  const scan = await until('the scan', 300_000, async () => {
    const s = await scans.get(scanId);
    if (s?.state === 'failed') throw new Error(`scan failed: ${s.failure?.text ?? ''}`);
    return s?.state === 'done' ? s : undefined;
  });
  const requestId = scan.requestId;
  if (!requestId) throw new Error('the scan proposed no bulk request');
  await client(0).invoke('requestApproval', {
    verb: 'requestApproval',
    requestId,
    justification: 'Bench: the migrated OU lost its anchors.',
  });
  await client(1, APPROVER).invoke('approve', { verb: 'approve', requestId });
  return requestId;
}

function patchesPerUser(run: Run): { writes: number; low: number; perUser: Map<string, number>; times: number[] } {
  const writes = run.stack.emulator.state.graphWrites().filter((w) => w.method === 'PATCH' && w.status < 300);
  const perUser = new Map<string, number>();
  for (const u of run.tenant.users) perUser.set(u.cloudId.toLowerCase(), 0);
  for (const w of writes) {
    const id = /^\/users\/([^/?]+)/.exec(w.path)?.[1]?.toLowerCase() ?? '';
    if (perUser.has(id)) perUser.set(id, (perUser.get(id) ?? 0) + 1);
  }
  const low = writes.filter((w) => w.priority === 'low').length;
  return { writes: writes.length, low, perUser, times: writes.map((w) => Date.parse(w.at)).sort((a, b) => a - b) };
}

async function finished(run: Run, requestId: string) {
  return until('the bulk execution', 1_800_000, async () => {
    const r = (await run.store.get(requestId))?.value;
    return r && (r.state === 'done' || r.state === 'cancelled') ? r : undefined;
  });
}

function report(label: string, run: Run, bulk: Awaited<ReturnType<typeof finished>>): void {
  const { writes, low, perUser, times } = patchesPerUser(run);
  const counts = [...perUser.values()];
  const seconds = times.length > 1 ? ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000 : Number.NaN;
  const rate = (writes - 1) / seconds;
  const histogram = new Map<number, number>();
  for (const c of counts) histogram.set(c, (histogram.get(c) ?? 0) + 1);
  console.log(`${label}`);
  console.log(`  users: ${USERS}; ended: ${JSON.stringify(bulk.bulk?.progress)}`);
  // The first users that did not end done (or were not seen joined), and why, as the card lists them.
  for (const note of bulk.bulk?.notes ?? []) console.log(`  not done: ${note.samAccountName} (${note.requestId}): ${note.why}`);
  console.log(
    `  writes: ${writes} anchor PATCHes in ${seconds.toFixed(1)} s = ${rate.toFixed(2)} writes/s; budget ${BUDGET}/s; ratio ${(rate / BUDGET).toFixed(3)} (target >= 0.9)`,
  );
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  const stalled = gaps.filter((g) => g >= 500);
  console.log(
    `  pauses between writes of 0.5 s or more: ${stalled.length}, ${(stalled.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s in all (longest ${((Math.max(0, ...gaps) || 0) / 1000).toFixed(1)} s)`,
  );
  // The simulated delta sync runs in this process beside the emulator: while it runs the stand-in
  // Graph answers nothing (Entra Connect's sync never stops Graph). Writes/s over the rest, too.
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  const syncMs = run.stack
    .syncRuns()
    .map((r) => Math.max(0, Math.min(last, r.at + r.ms) - Math.max(first, r.at)))
    .reduce((a, b) => a + b, 0);
  const answering = seconds - syncMs / 1000;
  console.log(
    `  simulated delta syncs: ${run.stack.syncRuns().length}, ${(syncMs / 1000).toFixed(1)} s of the window with the stand-in Graph blocked; over the other ${answering.toFixed(1)} s: ${((writes - 1) / answering).toFixed(2)} writes/s, ratio ${((writes - 1) / answering / BUDGET).toFixed(3)}`,
  );
  const refused = [...run.stack.emulator.quotaRefusals().values()].reduce((a, b) => a + b, 0);
  console.log(`  quota 429s: ${refused}; writes marked x-ms-throttle-priority: low: ${low} of ${writes}`);
  console.log(`  load: ${load()}`);
  console.log(
    `  executions per user: ${[...histogram.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([n, users]) => `${n} write(s): ${users} users`)
      .join('; ')} (target: every user exactly 1)`,
  );
}

/**
 * Users whose write Graph throttled (CLOUD_THROTTLED), or did not answer (CLOUD_UNAVAILABLE), past
 * its deadline: released and put back on the queue (their own trails say so), and how often.
 */
async function requeued(run: Run, bulkId: string): Promise<void> {
  const seen = { CLOUD_THROTTLED: { users: 0, times: 0 }, CLOUD_UNAVAILABLE: { users: 0, times: 0 } };
  for (let index = 0; index < USERS; index += 1) {
    const found = await findItemRequest(run.store, bulkId, index);
    if ('free' in found) continue;
    const trail = (await run.store.auditOf(found.found.value.id)).filter((e) => e.action === 'step-requeued');
    for (const code of ['CLOUD_THROTTLED', 'CLOUD_UNAVAILABLE'] as const) {
      const n = trail.filter((e) => e.code === code).length;
      if (n > 0) seen[code].users += 1;
      seen[code].times += n;
    }
  }
  const { CLOUD_THROTTLED: t, CLOUD_UNAVAILABLE: u } = seen;
  console.log(
    `  put back on the queue past the write deadline: throttled ${t.users} users (${t.times} times), unanswered ${u.users} users (${u.times} times)`,
  );
}

async function normalRun(): Promise<void> {
  const run = await start();
  try {
    const id = await approveBulk(run);
    report('two instances, no failure', run, await finished(run, id));
    await requeued(run, id);
  } finally {
    await close(run);
  }
}

async function killedRun(): Promise<void> {
  const run = await start();
  try {
    const id = await approveBulk(run);
    await until('half the users written', 1_800_000, () => Promise.resolve(patchesPerUser(run).writes >= USERS / 2 ? true : undefined));
    const owner = (await run.store.get(id))?.value.lease?.owner ?? '';
    const victim = run.bots.find((b) => owner.includes(`:${b.pid}:`)) ?? run.bots[0];
    victim?.child.kill('SIGKILL');
    console.log(`  SIGKILLed the coordinating instance (pid ${victim?.pid ?? '?'}) after ${patchesPerUser(run).writes} writes`);
    report('two instances, the coordinator SIGKILLed half-way', run, await finished(run, id));
    await requeued(run, id);
  } finally {
    await close(run);
  }
}

async function close(run: Run): Promise<void> {
  await run.store.close();
  await run.stack.close();
  await run.connector.close();
}

function load(): string {
  return execFileSync('uptime', { encoding: 'utf8' }).trim();
}

console.log(
  `bench:bulk-fix: ${USERS} users (SET_ANCHOR each), budget ${BUDGET} writes/s, emulator write quota ${QUOTA ? `${QUOTA.writes} per ${QUOTA.windowSeconds} s per app and tenant` : 'off'}, work items on Azure Storage Queues (Azurite)`,
);
console.log(`  load before: ${load()}`);
await normalRun();
await killedRun();
