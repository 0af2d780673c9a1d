/**
 * The tenant switches of scenario 9, each on its own seed: `match` names the switch, the plan says
 * how to turn it off around the sync and on again, and played through, the person is joined. When
 * the next sync soft-matches by itself (soft-match-takeover-blocked), the switch stays on and the
 * sync joins anyway.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPersonAction, buildSandboxSeed, SWITCH_VARIANTS } from '../../src/sandbox/scenarios/index.ts';
import { diagnoseMatch, expectDiagnosis, playMatch, startScenarioWorld, type ScenarioWorld } from './harness.ts';

let world: ScenarioWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe.each(SWITCH_VARIANTS.map((v) => [v.id, v] as const))('%s', (_id, variant) => {
  it(`${variant.title}: match ${variant.match.who} → ${variant.match.end}`, async () => {
    world = await startScenarioWorld(buildSandboxSeed({ switches: variant.switches }));
    const tenant = await world.cloud.tenantFacts();
    expect(tenant.switches).toMatchObject(variant.switches);
    await playMatch(world, variant.match);
    // Every switch the person turned off for the sync is back as it was.
    expect(world.emulator.state.synchronization().features).toMatchObject(variant.switches);
  });

  it('with the switch left on (and no anchor set), the sync does what the plan expects of it', async () => {
    world = await startScenarioWorld(buildSandboxSeed({ switches: variant.switches }));
    expectDiagnosis(await diagnoseMatch(world, variant.match), variant.match);
    for (const action of variant.match.manual.flatMap((m) => m.actions)) {
      if (action.kind !== 'set-sync-switch') applyPersonAction(action, { directory: world.directory, state: world.emulator.state });
    }
    const report = await world.sync();
    const result = report.results.find((r) => r.samAccountName === variant.match.samAccountName);
    const reliesOnSoftMatch =
      !variant.match.steps.includes('SET_ANCHOR') && !variant.match.manual.some((m) => m.actions.some((a) => a.kind === 'set-sync-switch'));
    if (reliesOnSoftMatch) {
      expect(result?.outcome).toBe('SOFT_MATCH');
      return;
    }
    const refused = variant.switches.blockCloudObjectTakeoverThroughHardMatchEnabled ? 'HARD_MATCH_BLOCKED' : 'SOFT_MATCH_BLOCKED';
    expect(result?.outcome).toBe(refused);
    expect(result?.error?.code).toBeTruthy();
  });
});
