/**
 * The simulator over a generated directory: a run reads the tenant once and keeps it current, and
 * gives exactly the outcomes (and leaves exactly the tenant) that predicting each user against the
 * whole tenant re-read gives; a run over 10,000 users does what the generator's mix says.
 */
import { describe, expect, it } from 'vitest';
import type { OnPremUser } from '../../../src/domain/onprem-user.ts';
import { EmulatorState } from '../../../src/sandbox/emulator/state.ts';
import { parseFixtureUsers } from '../../../src/sandbox/fixture-directory.ts';
import { generateDirectory } from '../../../src/sandbox/generator/generate.ts';
import { runDeltaSync, syncSubject } from '../../../src/sandbox/sync-simulator/run-delta-sync.ts';

function world(users: number): { state: () => EmulatorState; ad: OnPremUser[] } {
  const generated = generateDirectory({ users, seed: 29 });
  const ad = parseFixtureUsers(generated.directory, 'generated', 'auto');
  const state = (): EmulatorState => {
    let n = 0;
    return EmulatorState.fromSeed(generated.tenant, {
      now: () => new Date('2026-12-01T00:00:00Z'),
      random: () => 0.5,
      newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    });
  };
  return { state, ad };
}

const allInScope = (): boolean => true;

describe('the simulated delta sync at scale', () => {
  it('leaves the same tenant and reports the same as a run that re-reads the tenant for every user', () => {
    const { state, ad } = world(300);
    const fast = state();
    const run = runDeltaSync({ state: fast, users: ad, inScope: allInScope });
    const slow = state();
    const ordered = [...ad].sort((a, b) => (a.dn.toLowerCase() < b.dn.toLowerCase() ? -1 : 1));
    const slowResults = ordered.map((onPrem) => syncSubject(slow, { onPrem, inScope: true }));
    expect(run.results).toEqual(slowResults);
    expect(fast.activeUsers()).toEqual(slow.activeUsers());
    expect(fast.deletedUsers()).toEqual(slow.deletedUsers());
  }, 60_000);

  it('runs over 10,000 users: one result each, the mix the generator drew', () => {
    const { state, ad } = world(10_000);
    const tenant = state();
    const run = runDeltaSync({ state: tenant, users: ad, inScope: allInScope });
    expect(run.results).toHaveLength(10_000);
    const count = (kind: string): number => run.results.filter((r) => r.outcome === kind).length;
    expect(count('UPDATE')).toBeGreaterThan(6_500);
    expect(count('CREATE')).toBeGreaterThan(750);
    expect(count('RESTORE')).toBeGreaterThan(250);
    expect(count('SOFT_MATCH')).toBeGreaterThan(250);
    // A second run finds everything joined that the first could join.
    const again = runDeltaSync({ state: tenant, users: ad, inScope: allInScope });
    expect(again.results.filter((r) => r.outcome === 'CREATE')).toHaveLength(0);
  }, 120_000);
});
