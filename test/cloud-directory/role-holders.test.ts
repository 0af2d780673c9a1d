/**
 * Admin-role holders as a cached tenant fact, against the real emulator through the real Graph
 * SDK: a role granted between two `match` runs shows once the cache time has passed (and not
 * before); re-validation with fresh roles sees a role the cache does not (so an approval refuses
 * to run the plan onto that user); `rolesOf` is never cached; roles held through a role-assignable
 * group and roles past Graph's 20-member `$expand` cap are complete.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runMatch } from '../../src/bot/commands/match.ts';
import { MATCH_CARD_IDS } from '../../src/cards/match-card.ts';
import { diagnose } from '../../src/domain/diagnosis/index.ts';
import type { SeedInput } from '../../src/sandbox/emulator/seed.ts';
import { findById } from '../support/card-query.ts';
import { commandDeps, fakeRelay } from '../support/fakes.ts';
import { AD, C, cloudSeed } from './fixtures.ts';
import { countRequests, startCloud, type CloudHarness } from './harness.ts';

let h: CloudHarness;
beforeAll(async () => {
  h = await startCloud();
});
afterAll(() => h.close());
afterEach(() => h.emulator.state.setDirectoryRoleMember('Global Administrator', C.target, false));

const TTL = 60_000;
const ROLE_FINDING = MATCH_CARD_IDS.finding('TARGET_HAS_ADMIN_ROLE');

describe('role holders as a cached tenant fact', () => {
  it('a role granted to a candidate between two match runs shows after the cache time, not before', async () => {
    let now = 5_000_000;
    const cloud = h.directoryWith({ tenantFactsTtlMs: TTL, now: () => now });
    const deps = commandDeps({ relay: fakeRelay({ users: [AD.asmith], truncated: false }), cloud });
    const first = await runMatch('asmith to target@contoso.com', deps);
    expect(findById(first.card, ROLE_FINDING)).toBeUndefined();

    h.emulator.state.setDirectoryRoleMember('Global Administrator', C.target, true);
    now += TTL - 1;
    expect(findById((await runMatch('asmith to target@contoso.com', deps)).card, ROLE_FINDING)).toBeUndefined();
    now += 1;
    expect(findById((await runMatch('asmith to target@contoso.com', deps)).card, ROLE_FINDING)).toBeDefined();
  });

  it('match reads the evidence in one Graph round trip once the tenant facts are cached', async () => {
    const cloud = h.directoryWith({});
    const deps = commandDeps({ relay: fakeRelay({ users: [AD.jdoe], truncated: false }), cloud });
    expect((await countRequests(h.emulator, () => runMatch('jdoe', deps))).requests).toBe(2);
    expect((await countRequests(h.emulator, () => runMatch('jdoe', deps))).requests).toBe(1);
  });
});

describe('fresh role reads for re-validation', () => {
  it('re-diagnosis with freshRoles gives TARGET_HAS_ADMIN_ROLE for a user who gained a role since the cached read', async () => {
    const tenant = await h.directory.tenantFacts();
    const target = await h.directory.findUser(C.target);
    const context = { tenant, target: { requested: 'target@contoso.com', user: target } };
    const before = diagnose({ who: 'asmith', onPrem: AD.asmith, evidence: await h.directory.evidenceFor(AD.asmith, context) });
    expect(before.findings.map((f) => f.code)).not.toContain('TARGET_HAS_ADMIN_ROLE');

    h.emulator.state.setDirectoryRoleMember('Global Administrator', C.target, true);
    expect((await h.directory.tenantFacts()).roleHolders[C.target]).toBeUndefined();
    const cached = diagnose({ who: 'asmith', onPrem: AD.asmith, evidence: await h.directory.evidenceFor(AD.asmith, context) });
    expect(cached.findings.map((f) => f.code)).not.toContain('TARGET_HAS_ADMIN_ROLE');

    const fresh = diagnose({
      who: 'asmith',
      onPrem: AD.asmith,
      evidence: await h.directory.evidenceFor(AD.asmith, { ...context, freshRoles: true }),
    });
    expect(fresh.findings.find((f) => f.code === 'TARGET_HAS_ADMIN_ROLE')).toMatchObject({ severity: 'blocker', userIds: [C.target] });
    expect(fresh.plan.steps.map((s) => s.kind)).not.toEqual(before.plan.steps.map((s) => s.kind));
  });

  it('rolesOf reads one user now, bypassing the cache; tenantFacts(undefined, { fresh: true }) refreshes it', async () => {
    await h.directory.tenantFacts();
    h.emulator.state.setDirectoryRoleMember('Global Administrator', C.target, true);
    const { result, requests } = await countRequests(h.emulator, () => h.directory.rolesOf(C.target));
    expect(result).toEqual(['Global Administrator']);
    expect(requests).toBe(1);
    expect(await h.directory.rolesOf('00000000-0000-4000-8000-00000000dead')).toEqual([]);
    expect((await h.directory.tenantFacts()).roleHolders[C.target]).toBeUndefined();
    expect((await h.directory.tenantFacts(undefined, { fresh: true })).roleHolders[C.target]).toEqual(['Global Administrator']);
    expect((await h.directory.tenantFacts()).roleHolders[C.target]).toEqual(['Global Administrator']);
  });
});

describe('complete holders: role-assignable groups, and roles past the 20-member expand cap', () => {
  const ROLE_ADMINS = '0a1b2c3d-4e5f-4607-8819-2a3b4c5d6e7f';
  const HELPDESK_ADMIN = '1b2c3d4e-5f60-4718-892a-3b4c5d6e7f80';
  const bulkId = (i: number): string => `00000000-0000-4000-8000-0000000${String(i).padStart(5, '0')}`;

  function bigSeed(): SeedInput {
    const base = cloudSeed();
    const bulk = Array.from({ length: 21 }, (_, i) => ({
      id: bulkId(i),
      userPrincipalName: `helper${i}@contoso.com`,
      displayName: `Helper ${i}`,
    }));
    return {
      ...base,
      users: [...(base.users ?? []), ...bulk],
      groups: [...(base.groups ?? []), { id: ROLE_ADMINS, displayName: 'Role Admins', isAssignableToRole: true, members: [C.zoe] }],
      directoryRoles: [
        ...(base.directoryRoles ?? []),
        {
          id: HELPDESK_ADMIN,
          displayName: 'Helpdesk Administrator',
          roleTemplateId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
          members: [ROLE_ADMINS, ...bulk.map((u) => u.id)],
        },
      ],
    };
  }

  it('expands group members and reads a capped role in full, in 2 round trips', async () => {
    const big = await startCloud({ emulator: { seed: bigSeed() } });
    try {
      const { result, requests } = await countRequests(big.emulator, () => big.directory.tenantFacts());
      expect(result.roleHolders[C.zoe]).toEqual(['Helpdesk Administrator']);
      expect(Array.from({ length: 21 }, (_, i) => result.roleHolders[bulkId(i)])).toEqual(
        Array.from({ length: 21 }, () => ['Helpdesk Administrator']),
      );
      expect(result.roleHolders[C.jane]).toEqual(['Global Administrator', 'User Administrator']);
      expect(requests).toBe(2);
    } finally {
      await big.close();
    }
  });
});
