/**
 * The chaos run, shared by `npm run bench:chaos` and its short form in the integration tests: N
 * remediations (race-seed plans: SET_ANCHOR → TRIGGER_DELTA_SYNC → VERIFY_JOINED) over two bot
 * processes sharing one Azurite store and one relay, while a seeded driver restarts the relay,
 * switches the Graph fault proxy to 429 / 503 / silence for a while, and SIGKILLs a bot (starting a
 * new one). Then every request is checked: final state, none executing, no write sent twice, the
 * audit chain verifying against the head the record carries. Plain functions (no vitest).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINAL_STATES, type ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { seededRandom } from '../../src/sandbox/emulator/prng.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { openStore } from '../../src/store/index.ts';
import { startGraphFaultProxy } from './graph-fault-proxy.ts';
import { startMultiBotStack, type BotChild } from './multi-bot-stack.ts';
import { raceTenant } from './race-seed.ts';
import { inParallel, RACE_ADMINS, RACE_JUSTIFICATION } from './race-run.ts';
import { startRecordingConnector } from './recording-connector.ts';
import { teamsClient, type Person } from './teams-client.ts';
import { allElements } from './card-query.ts';

export interface ChaosOptions {
  count: number;
  seed: number;
  /** How long the driver keeps injecting faults after the approvals start. */
  chaosMs: number;
  /** Longest the run waits for every request to be final once the faults stop. */
  settleMs: number;
  leaseMs: number;
}

export interface ChaosReport {
  seed: number;
  count: number;
  states: Record<string, number>;
  notFinal: string[];
  failedWithoutReason: string[];
  /** Each failed request with the reason its trail names. */
  failures: string[];
  duplicateWrites: string[];
  brokenTrails: string[];
  faults: string[];
  /** Graph requests the fault proxy answered itself (429, 503) or held unanswered. */
  injected: Record<string, number>;
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function requestIdOf(card: unknown): string {
  const action = allElements(card).find(
    (e) => e.type === 'Action.Execute' && typeof (e.data as { requestId?: unknown } | undefined)?.requestId === 'string',
  );
  const id = (action?.data as { requestId?: string } | undefined)?.requestId;
  if (!id) throw new Error('the match card carries no request id');
  return id;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = performance.now();
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const tenant = await raceTenant(options.count);
  const connector = await startRecordingConnector();
  const stack = await startMultiBotStack({ seed: tenant.seed, fixturesDir: tenant.fixturesDir });
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
    LOG_LEVEL: 'fatal',
  };
  const store = await openStore(stack.storeUrl);
  const faults: string[] = [];
  try {
    const bots: BotChild[] = await Promise.all([stack.spawnBot(env), stack.spawnBot(env)]);
    const tenantId = stack.emulator.state.tenant.id;
    const client = (bot: number, person: Person, sam: string) =>
      teamsClient({
        botUrl: bots[bot]?.url ?? '',
        connector,
        tenantId,
        person,
        conversation: { id: `chaos-${sam}-${person.aadObjectId.slice(-2)}`, type: 'personal' },
      });
    const [requester, approver] = RACE_ADMINS as [Person, Person];
    // Requests are raised before the faults start: the chaos is in approval and execution.
    const ids = await inParallel(tenant.users, 4, async (u) => {
      const rae = client(0, requester, u.sam);
      const requestId = requestIdOf((await rae.say(`match ${u.sam}`)).card);
      await rae.invoke('requestApproval', { verb: 'requestApproval', requestId, justification: RACE_JUSTIFICATION });
      return requestId;
    });
    let chaos = true;
    // Each request is approved on a bot picked at random, again while it still waits for approval
    // (the bot died, or re-validation met a fault and left it requested).
    const approve = async (requestId: string): Promise<void> => {
      const deadline = performance.now() + options.chaosMs + options.settleMs;
      while (performance.now() < deadline) {
        const state = (await store.get(requestId))?.value.state;
        if (state !== 'requested') return;
        await client(random() < 0.5 ? 0 : 1, approver, requestId)
          .invoke('approve', { verb: 'approve', requestId })
          .catch(() => undefined);
        await sleep(chaos ? 500 : 200);
      }
    };
    // Approvals are released as each fault starts, so executions meet every kind of fault.
    const pending = [...ids];
    const approvals: Promise<void>[] = [];
    const release = (): void => {
      for (const id of pending.splice(0, Math.ceil(ids.length / 10))) approvals.push(approve(id));
    };
    const driver = (async () => {
      const until = performance.now() + options.chaosMs;
      // Every kind of fault once, in a seeded order, then kinds at random.
      const kinds = ['relay', 'throttle', 'unavailable', 'silent', 'kill'] as const;
      const first = [...kinds].sort(() => random() - 0.5);
      while (performance.now() < until || first.length > 0) {
        await sleep(200 + random() * 1000);
        const kind = first.shift() ?? pick(kinds);
        const t = Math.round(performance.now() - started);
        if (kind === 'relay') {
          const down = Math.round(random() * 1500);
          faults.push(`+${t} ms relay restart (down ${down} ms)`);
          release();
          await stack.restartRelay(down);
        } else if (kind === 'kill') {
          const which = random() < 0.5 ? 0 : 1;
          faults.push(`+${t} ms SIGKILL bot ${which === 0 ? 'A' : 'B'}`);
          release();
          await sleep(random() * 300);
          const victim = bots[which];
          victim?.child.kill('SIGKILL');
          await victim?.exited;
          bots[which] = await stack.spawnBot(env);
        } else {
          const ms = Math.round(500 + random() * 2500);
          faults.push(`+${t} ms Graph ${kind} for ${ms} ms`);
          proxy.set(kind);
          release();
          await sleep(ms);
          proxy.set('pass');
        }
      }
      chaos = false;
      while (pending.length > 0) release();
    })();
    await driver;
    await Promise.all(approvals);
    proxy.set('pass');
    const deadline = performance.now() + options.settleMs;
    const states = async () => Promise.all(ids.map(async (id) => (await store.get(id))?.value));
    let records = await states();
    while (records.some((r) => !r || !FINAL_STATES.includes(r.state)) && performance.now() < deadline) {
      await sleep(250);
      records = await states();
    }
    const report = await checkRequests(store, ids, records, stack.emulator.state.graphWrites());
    Object.assign(report, { seed: options.seed, faults, injected: { ...proxy.injected } });
    report.ms = Math.round(performance.now() - started);
    return report;
  } finally {
    await store.close();
    await proxy.close();
    await stack.close();
    await connector.close();
  }
}

/** The end state of every request, the audit trail of each and the emulator's write journal. */
async function checkRequests(
  store: RequestStore,
  ids: readonly string[],
  records: readonly (ApprovalRequest | undefined)[],
  writes: readonly { method: string; path: string }[],
): Promise<ChaosReport> {
  const audit = createAuditTrail(store, createLogger({ level: 'silent' }));
  const report: ChaosReport = {
    seed: 0,
    count: ids.length,
    states: {},
    notFinal: [],
    failedWithoutReason: [],
    failures: [],
    duplicateWrites: [],
    brokenTrails: [],
    faults: [],
    injected: {},
    ms: 0,
  };
  for (const [i, record] of records.entries()) {
    const id = ids[i] ?? '?';
    const state = record?.state ?? 'missing';
    report.states[state] = (report.states[state] ?? 0) + 1;
    if (!record || !FINAL_STATES.includes(record.state)) report.notFinal.push(`${id} ${state}`);
    const entries = await audit.entriesOf(id);
    const failed = entries.find((e) => e.action === 'failed');
    if (state === 'failed') report.failures.push(`${id}: ${failed?.summary ?? '(no failed entry)'}`);
    if (state === 'failed' && !entries.some((e) => e.action === 'failed' && e.summary.trim().length > 0))
      report.failedWithoutReason.push(id);
    const verdict = record ? audit.verify(record, entries) : { ok: false, reason: 'no record' };
    if (!verdict.ok) report.brokenTrails.push(`${id}: ${'reason' in verdict ? String(verdict.reason) : ''}`);
  }
  const seen = new Map<string, number>();
  for (const w of writes) seen.set(`${w.method} ${w.path}`, (seen.get(`${w.method} ${w.path}`) ?? 0) + 1);
  for (const [write, n] of seen) if (n > 1) report.duplicateWrites.push(`${write} x${n}`);
  return report;
}

export function printChaos(report: ChaosReport): void {
  console.log(`chaos: ${report.count} remediations, seed ${report.seed} (replay: CHAOS_SEED=${report.seed})`);
  for (const f of report.faults) console.log(`  ${f}`);
  console.log(
    `Graph requests faulted: ${Object.entries(report.injected)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  console.log(
    `final states: ${Object.entries(report.states)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`,
  );
  console.log(
    `not final (executing or other): ${report.notFinal.length}${report.notFinal.length ? `: ${report.notFinal.join(', ')}` : ''}`,
  );
  for (const f of report.failures) console.log(`  failed ${f}`);
  console.log(`failed without a named fault: ${report.failedWithoutReason.length}`);
  console.log(
    `writes sent twice: ${report.duplicateWrites.length}${report.duplicateWrites.length ? `: ${report.duplicateWrites.join(', ')}` : ''}`,
  );
  console.log(
    `audit trails not verifying: ${report.brokenTrails.length}${report.brokenTrails.length ? `: ${report.brokenTrails.join('; ')}` : ''}`,
  );
  console.log(`time: ${(report.ms / 1000).toFixed(1)} s`);
}
