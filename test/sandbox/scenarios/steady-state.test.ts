/**
 * The sandbox tenant is the state Entra Connect left behind: one simulated delta sync over the
 * fixture directory with nothing fixed does, for every AD user, exactly what the catalog's
 * `syncNow` says (mostly export errors and refreshes), under the default switches and under each
 * variant's. A scenario whose tenant Entra Connect would "fix" by itself would show nothing.
 */
import { describe, expect, it } from 'vitest';
import { EmulatorState } from '../../../src/sandbox/emulator/index.ts';
import { listFixtureUsers } from '../../../src/sandbox/fixture-users.ts';
import { buildSandboxSeed, inSandboxSyncScope, scenarioById, SCENARIOS, SWITCH_VARIANTS } from '../../../src/sandbox/scenarios/index.ts';
import { runDeltaSync } from '../../../src/sandbox/sync-simulator/index.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

async function syncOnce(switches = {}): Promise<Record<string, string>> {
  const state = EmulatorState.fromSeed(buildSandboxSeed({ now: NOW, switches }), { now: () => NOW });
  const report = runDeltaSync({ state, users: await listFixtureUsers(), inScope: inSandboxSyncScope });
  return Object.fromEntries(report.results.map((r) => [r.samAccountName, r.outcome]));
}

describe('the sandbox tenant under one delta sync', () => {
  it('does for each AD user what its scenario says', async () => {
    const expected = Object.assign({}, ...SCENARIOS.map((s) => s.syncNow)) as Record<string, string>;
    expect(await syncOnce()).toEqual(expected);
  });

  it.each(SWITCH_VARIANTS.map((v) => [v.id, v] as const))('does what the %s variant says', async (_id, variant) => {
    const outcomes = await syncOnce(variant.switches);
    for (const sam of scenarioById(variant.scenario).adUsers) expect(outcomes[sam], sam).toBe(variant.syncNow[sam]);
  });

  it("leaves the 2026 targets as the service left them: the remaps refused in Microsoft's words, the cloud-managed user skipped", async () => {
    const state = EmulatorState.fromSeed(buildSandboxSeed({ now: NOW }), { now: () => NOW });
    const report = runDeltaSync({ state, users: await listFixtureUsers(), inScope: inSandboxSyncScope });
    const bySam = new Map(report.results.map((r) => [r.samAccountName, r]));
    for (const sam of ['nrecreated', 'pmigrated']) {
      expect(bySam.get(sam)?.error, sam).toEqual({
        code: 'InvalidHardMatch',
        message: 'Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.',
      });
    }
    expect(bySam.get('rcloud')?.skipped).toContain('isCloudManaged');
    expect(bySam.get('qeligible')?.error?.code).toBeTruthy();
  });

  it('joins or creates nobody except elocal (scenario 6 itself) and mnew (the soft match the next sync makes by itself)', async () => {
    const outcomes = await syncOnce();
    const changing = Object.entries(outcomes).filter(([, kind]) =>
      ['HARD_MATCH', 'SOFT_MATCH', 'CREATE', 'RESTORE', 'DELETE'].includes(kind),
    );
    expect(changing).toEqual([
      ['elocal', 'SOFT_MATCH'],
      ['mnew', 'SOFT_MATCH'],
    ]);
  });
});
