/**
 * Every catalog scenario end to end, each on a fresh emulator: `match` finds exactly the catalog's
 * findings and plan; the plan is then carried out (automated steps through the cloud module, the
 * delta sync through the simulator, MANUAL steps by the person actions) and the end state is
 * checked through Graph and in the emulator. No approval yet: the plan runs directly. Each is
 * played twice: with the catalog's person actions, and with the plan's own MANUAL `action`s.
 */
import { afterEach, describe, it } from 'vitest';
import { buildSandboxSeed, SCENARIOS, type Scenario } from '../../src/sandbox/scenarios/index.ts';
import { playMatch, startScenarioWorld, type ScenarioWorld } from './harness.ts';

let world: ScenarioWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function freshWorld(): Promise<ScenarioWorld> {
  world = await startScenarioWorld(buildSandboxSeed());
  return world;
}

function title(scenario: Scenario): string {
  const number = scenario.domainScenario === null ? 'control' : `scenario ${scenario.domainScenario}`;
  return `${scenario.id} (${number}): ${scenario.title}`;
}

describe.each(SCENARIOS.map((s) => [title(s), s] as const))('%s', (_title, scenario) => {
  it(`match ${scenario.matches.map((m) => m.who).join(', ')} → ${[...new Set(scenario.matches.map((m) => m.end))].join(', ')}`, async () => {
    const w = await freshWorld();
    // In order: in the bulk scenario each plan's sync also runs over the users not yet fixed.
    for (const match of scenario.matches) await playMatch(w, match);
  });

  it("plays to the same end with the plan's own MANUAL actions (what the sandbox's manualDone carries out)", async () => {
    const w = await freshWorld();
    for (const match of scenario.matches) await playMatch(w, match, 'plan-action');
  });
});
