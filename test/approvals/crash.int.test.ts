/**
 * The executing bot process is killed (SIGKILL) at every step boundary of the longest automated
 * plan (asmith: PURGE_DELETED_USER → SET_ANCHOR → TRIGGER_DELTA_SYNC → VERIFY_JOINED), and a new
 * process sharing the store file and the emulator is started: its start-up resume (or sweeper)
 * finishes the plan once the 1 s lease ran out, no irreversible step runs twice, and the last update
 * of the posted card shows the truth.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/audit/chain.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { FIXTURES_DIR } from '../../src/sandbox/sandbox-relay.ts';
import { SANDBOX_ADMIN_IDS } from '../../src/sandbox/sandbox-users.ts';
import { buildSandboxSeed, IDS, inSandboxSyncScope } from '../../src/sandbox/scenarios/index.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { openStore } from '../../src/store/index.ts';
import { visibleText } from '../support/card-query.ts';
import { startMultiBotStack } from '../support/multi-bot-stack.ts';
import { inParallel } from '../support/race-run.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { teamsClient } from '../support/teams-client.ts';
import { ADELE, BEN, JUSTIFICATION, requestIdOf } from './flow-harness.ts';

/** claimed, then step-started / step-ran / step-recorded for each of the 4 steps. */
const BOUNDARIES = 1 + 4 * 3;

interface CrashRun {
  boundary: number;
  /** `<step> <phase>` the first process died at. */
  killedAt: string;
  signal: NodeJS.Signals | number | null;
  state: string | undefined;
  stepStatuses: string[];
  purges: number;
  anchorWrites: number;
  lastCardText: string;
  chainOk: boolean;
  resumed: number;
}

let connector: RecordingConnector;
let runs: CrashRun[];

async function untilDone(storeUrl: string, requestId: string, timeoutMs: number) {
  const store = await openStore(storeUrl);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await store.get(requestId);
      if (stored && ['done', 'failed'].includes(stored.value.state)) return stored.value;
      if (Date.now() > deadline) return stored?.value;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await store.close();
  }
}

async function crashAt(boundary: number): Promise<CrashRun> {
  const dir = await mkdtemp(join(tmpdir(), 'hardmatch-crash-'));
  const storeUrl = `sqlite:${join(dir, 'requests.db')}`;
  const stack = await startMultiBotStack({ seed: buildSandboxSeed(), fixturesDir: FIXTURES_DIR, inScope: inSandboxSyncScope, storeUrl });
  try {
    const env = { ADMIN_IDS: SANDBOX_ADMIN_IDS, ENGINE_LEASE_MS: '1000', ENGINE_POLL_MS: '25' };
    const first = await stack.spawnBot({ ...env, CRASH_AT_BOUNDARY: String(boundary) });
    const conversation = { id: `crash-${boundary}`, type: 'personal' as const };
    const client = (botUrl: string, person: typeof ADELE) =>
      teamsClient({
        botUrl,
        connector,
        tenantId: stack.emulator.state.tenant.id,
        person,
        conversation: { ...conversation, id: `${conversation.id}-${person.name}` },
      });
    const adele = client(first.url, ADELE);
    const id = requestIdOf((await adele.say('match asmith')).card);
    await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: id, justification: JUSTIFICATION });
    // The process may die before it answers (a crash at 'claimed'): the answer does not matter here.
    await client(first.url, BEN)
      .invoke('approve', { verb: 'approve', requestId: id })
      .catch(() => undefined);
    const signal = await first.exited;
    const killedAt = /BOUNDARY (\d+) (\d+ [a-z-]+)\n?$/.exec(first.stdout().trim())?.[2] ?? '?';
    const second = await stack.spawnBot(env);
    const request = await untilDone(storeUrl, id, 15_000);
    await second.stop();
    const writes = stack.emulator.state.graphWrites();
    const updates = connector.calls.filter((c) => c.method === 'PUT' && JSON.stringify(c.body).includes(id));
    const last = updates.at(-1)?.body.attachments as { content: unknown }[] | undefined;
    const store = await openStore(storeUrl);
    const entries = await createAuditTrail(store, createLogger({ level: 'silent' })).entriesOf(id);
    await store.close();
    return {
      boundary,
      killedAt,
      signal,
      state: request?.state,
      stepStatuses: request?.records.map((r) => r.status) ?? [],
      purges: writes.filter((w) => w.method === 'DELETE' && w.path.includes(IDS.asmithDeleted)).length,
      anchorWrites: writes.filter((w) => w.method === 'PATCH' && w.path.includes(IDS.asmith)).length,
      lastCardText: visibleText(last?.[0]?.content ?? {}),
      chainOk: verifyChain(entries).ok,
      resumed: entries.filter((e) => e.action === 'execution-resumed').length,
    };
  } finally {
    await stack.close();
  }
}

beforeAll(async () => {
  connector = await startRecordingConnector();
  const boundaries = Array.from({ length: BOUNDARIES }, (_, i) => i + 1);
  runs = await inParallel(boundaries, 5, crashAt);
}, 170_000);

afterAll(() => connector?.close());

describe('SIGKILL of the executing process at every step boundary of asmith’s plan', () => {
  it('killed the first process once at each of the 13 boundaries', () => {
    expect(runs.map((r) => r.signal)).toEqual(runs.map(() => 'SIGKILL'));
    const phases = ['step-started', 'step-ran', 'step-recorded'];
    expect(runs.map((r) => r.killedAt)).toEqual(['0 claimed', ...[1, 2, 3, 4].flatMap((step) => phases.map((p) => `${step} ${p}`))]);
  });

  it.each(Array.from({ length: BOUNDARIES }, (_, i) => i + 1))(
    'boundary %i: the new process finishes the plan, purges once, writes the anchor once, the card says done',
    (boundary) => {
      const run = runs[boundary - 1];
      expect(run).toMatchObject({
        state: 'done',
        stepStatuses: ['done', 'done', 'done', 'done'],
        purges: 1,
        anchorWrites: 1,
        chainOk: true,
        resumed: 1,
      });
      expect(run?.lastCardText).toContain('State: done');
    },
  );
});
