/**
 * What the match bench measures: every `match` of every scenario in the sandbox catalog (one row per
 * AD user, so bulk-relink gives three), against the sandbox tenant and the sandbox's AD fixtures,
 * exactly what `npm start` serves.
 */
import type { Seed } from '../../src/sandbox/emulator/index.ts';
import { FIXTURES_DIR } from '../../src/sandbox/sandbox-relay.ts';
import { buildSandboxSeed, SCENARIOS } from '../../src/sandbox/scenarios/index.ts';

export interface BenchCase {
  /** Scenario id of the catalog. */
  scenario: string;
  /** What follows `match`, and what follows `to` when the scenario names the cloud user. */
  who: string;
  target?: string;
  /** The message the admin types. */
  text: string;
  /** Finding codes the card must show (checked on the warm-up replies). */
  findingCodes: readonly string[];
}

export function benchCases(): BenchCase[] {
  return SCENARIOS.flatMap((scenario) =>
    scenario.matches.map((m) => ({
      scenario: scenario.id,
      who: m.who,
      ...(m.to === undefined ? {} : { target: m.to }),
      text: m.to === undefined ? `match ${m.who}` : `match ${m.who} to ${m.to}`,
      findingCodes: m.findings,
    })),
  );
}

export function benchSeed(): Seed {
  return buildSandboxSeed();
}

export function benchFixturesDir(): string {
  return FIXTURES_DIR;
}
