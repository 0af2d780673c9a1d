/**
 * Two bot processes sharing one Azurite store and one emulator: 100 requests, each approved at the
 * same moment on both instances by two admins. Every plan executes exactly once (the emulator's
 * journal of Graph writes) and no audit entry is lost (each trail verifies and holds every entry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/audit/chain.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { openStore } from '../../src/store/index.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { startMultiBotStack, type MultiBotStack } from '../support/multi-bot-stack.ts';
import { raceTenant, type RaceTenant } from '../support/race-seed.ts';
import { inParallel, RACE_ADMINS, raceOne, type RaceOutcome } from '../support/race-run.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { visibleText } from '../support/card-query.ts';

const COUNT = 100;
let tenant: RaceTenant;
let stack: MultiBotStack;
let connector: RecordingConnector;
let store: RequestStore;
let outcomes: RaceOutcome[];

beforeAll(async () => {
  tenant = await raceTenant(COUNT);
  connector = await startRecordingConnector();
  stack = await startMultiBotStack({ seed: tenant.seed, fixturesDir: tenant.fixturesDir });
  const env = {
    ADMIN_IDS: RACE_ADMINS.map((p) => p.aadObjectId).join(','),
    REQUIRED_APPROVALS: '1',
    ENGINE_LEASE_MS: '5000',
    ENGINE_POLL_MS: '25',
  };
  const [a, b] = await Promise.all([stack.spawnBot(env), stack.spawnBot(env)]);
  store = await openStore(stack.storeUrl);
  const target = { botA: a.url, botB: b.url, connector, tenantId: stack.emulator.state.tenant.id };
  outcomes = await inParallel(tenant.users, 20, (u) => raceOne(target, u.sam));
  await untilAllSettled(
    outcomes.map((o) => o.requestId),
    60_000,
  );
}, 150_000);

afterAll(async () => {
  await store?.close();
  await stack?.close();
  await connector?.close();
});

async function untilAllSettled(ids: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(ids.map(async (id) => (await store.get(id))?.value.state));
    if (states.every((s) => s === 'done' || s === 'failed' || s === 'stale')) return;
    if (Date.now() > deadline) throw new Error(`not settled after ${timeoutMs} ms: ${states.filter((s) => s !== 'done').join(',')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two bot instances racing on the same approvals', () => {
  it('executes every plan exactly once: one anchor PATCH per user, every request done', async () => {
    const writes = stack.emulator.state.graphWrites();
    for (const user of tenant.users) {
      expect(
        writes.filter((w) => w.method === 'PATCH' && w.path.includes(user.cloudId)),
        user.sam,
      ).toHaveLength(1);
    }
    expect(writes).toHaveLength(COUNT);
    const states = await Promise.all(outcomes.map(async (o) => (await store.get(o.requestId))?.value.state));
    expect(states).toEqual(outcomes.map(() => 'done'));
  });

  it('lets exactly one approval win; the other is told it was already approved and by whom', () => {
    for (const { answers, sam } of outcomes) {
      const texts = answers.map((a) => visibleText(a.card));
      const refused = texts.map((t) => /Code: ALREADY\\?_DECIDED/.test(t));
      expect(refused.filter(Boolean), `${sam}: ${texts.join(' | ')}`).toHaveLength(1);
      const winner = refused.indexOf(false);
      expect(texts[winner], sam).toMatch(/State: (approved|executing|done)/);
      expect(texts[1 - winner], sam).toContain(`was already approved by ${RACE_ADMINS[winner + 1]?.name ?? '?'}`);
    }
  });

  it('keeps every audit entry: each chain verifies with one approval, one refusal and each step started and done', async () => {
    const audit = createAuditTrail(store, createLogger({ level: 'silent' }));
    for (const { requestId, sam } of outcomes) {
      const entries = await audit.entriesOf(requestId);
      expect(verifyChain(entries).ok, sam).toBe(true);
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      const count = (action: string) => entries.filter((e) => e.action === action).length;
      expect(
        {
          proposed: count('proposed'),
          requested: count('requested'),
          approved: count('approved'),
          refused: count('refused'),
          claimed: count('execution-claimed') + count('execution-resumed'),
          started: count('step-started'),
          stepsDone: count('step-done'),
          done: count('done'),
        },
        sam,
      ).toEqual({
        proposed: 1,
        requested: 1,
        approved: 1,
        refused: 1,
        claimed: 1,
        started: 3,
        stepsDone: 3,
        done: 1,
      });
    }
  });
});
