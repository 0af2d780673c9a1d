/**
 * Every catalog scenario ends clean, through /api/messages: the plan is requested, approved and
 * run, each person's step carried out as the card says (the sandbox's own carry-out), and `match`
 * afterwards shows ALREADY_MATCHED with no blocker or warning and nothing to do. A plan that ends
 * with "type `match … to …` again" is followed to its end the same way. The tenant-switch variants
 * (their own seeds) and the sync-engine variants (SANDBOX_SYNC_ENGINE) end clean the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_VARIANTS, SCENARIOS, scenarioById, SWITCH_VARIANTS, type ScenarioMatch } from '../../src/sandbox/scenarios/index.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { approveRequest, infoText, matchCard, problemCodes, runToEnd, switchVariantTenant } from './end-state-harness.ts';
import { flowSandbox } from './flow-harness.ts';

let connector: RecordingConnector;
beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(() => connector.close());

// Plans that end in a join, and plans of a person's steps that end with `match … to …` again
// (scenario 7: the old Northwind forest's object leaves scope there, the sandbox's second forest).
// Left out: plans blocked on a decision only a person can make (no steps at all).
const PLANS = SCENARIOS.flatMap((scenario) => scenario.matches.map((match) => ({ scenario, match }))).filter(
  ({ match }) => match.end === 'joined' || (match.end === 'manual' && match.steps.length > 0),
);

/** Plays `match` to its end in a fresh sandbox (env: its tenant), then checks the clean end state. */
async function playToCleanEnd(
  match: ScenarioMatch,
  env: Record<string, string> = {},
  options: { syncBetween?: boolean } = {},
): Promise<void> {
  const sandbox = await flowSandbox(env);
  try {
    let command = match.to ? `match ${match.who} to ${match.to}` : `match ${match.who}`;
    for (let plans = 0; plans < 3; plans += 1) {
      const { requestId } = await matchCard(sandbox, connector, command);
      expect(requestId, `${command} proposes a request`).toBeDefined();
      await approveRequest(sandbox, connector, requestId ?? '');
      const { request, refusals } = await runToEnd(sandbox, connector, requestId ?? '');
      expect(
        refusals.map((r) => JSON.stringify(r.card)),
        `${command}: no Done refused when the person did the step`,
      ).toEqual([]);
      expect(request.state, `${command}: ${JSON.stringify(request.records.filter((r) => r.status === 'failed' || r.warnings))}`).toBe(
        'done',
      );
      // A plan may end by asking for `match … to …` again (scenario 7): follow it.
      const last = request.steps.at(-1);
      const again = last?.kind === 'MANUAL' && last.action?.kind === 'RUN_MATCH_AGAIN' ? last.action.command : undefined;
      if (!again) break;
      // Another admin's plan may run a sync before the person types it: harmless, as the step says.
      if (options.syncBetween) await sandbox.sync();
      command = again;
    }
    const clean = await matchCard(sandbox, connector, `match ${match.samAccountName ?? match.who}`);
    expect(problemCodes(clean.card), clean.text).toEqual([]);
    expect(infoText(clean.card)).toContain('ALREADY_MATCHED');
    expect(clean.requestId, 'nothing left to approve').toBeUndefined();
    expect(clean.text).toContain('Nothing to do');
  } finally {
    await sandbox.close();
  }
}

describe('after the plan, match shows a clean join', () => {
  it.each(PLANS.map((p) => [p.scenario.id, p.match.who, p] as const))('%s: match %s', async (_id, _who, { match }) => {
    await playToCleanEnd(match);
  });

  it('target-already-synced: match fsynced to fsynced@contoso.com (the admin names the cloud user from the start)', async () => {
    const match = scenarioById('target-already-synced').matches[0];
    if (!match) throw new Error('scenario 7 has no match');
    await playToCleanEnd({ ...match, to: 'fsynced@contoso.com' });
  });

  it('target-already-synced: a sync runs before `match … to …` is typed again', async () => {
    const match = scenarioById('target-already-synced').matches[0];
    if (!match) throw new Error('scenario 7 has no match');
    await playToCleanEnd(match, {}, { syncBetween: true });
  });

  it.each(ENGINE_VARIANTS.map((v) => [v.id, v.match.who, v] as const))('engine variant %s: match %s', async (_id, _who, variant) => {
    await playToCleanEnd(variant.match, { SANDBOX_SYNC_ENGINE: variant.syncEngine });
  });

  it.each(SWITCH_VARIANTS.map((v) => [v.id, v.match.who, v] as const))('switch variant %s: match %s', async (_id, _who, variant) => {
    await playToCleanEnd(variant.match, switchVariantTenant(variant));
  });
});
