/**
 * Unit: the 2026 rules as the simulated sync meets them through the emulator's service side:
 * the identifier stamped on join and create, the remap refusal in Microsoft's words, hard match of
 * an unmapped cloud-only user unchanged, a clear followed by a sync stamping the new value, hard
 * match refused onto assigned or PIM-eligible role holders, and cloud-managed users skipped.
 */
import { describe, expect, it } from 'vitest';
import { runDeltaSync } from '../../../src/sandbox/sync-simulator/run-delta-sync.ts';
import { summarizeRun } from '../../../src/sandbox/sync-simulator/summary.ts';
import { onPremUser } from '../../support/users.ts';
import { AD, emulatedTenant, ID, SANDBOX_SCOPE, type SeedUser } from './fixtures.ts';

const REMAP_TEXT = 'Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.';
const OLD_OBJECT = '3f8a61d2-9c47-4e0b-b5d3-0a6e27c4f915';

/** Alice's cloud user, cloud-only, holding her AD anchor (a hard-match candidate). */
function aliceHoldingAnchor(extra: Partial<SeedUser> = {}): SeedUser {
  return {
    id: ID.cloudAlice,
    userPrincipalName: 'asmith@contoso.com',
    displayName: 'Alice Smith',
    onPremisesImmutableId: AD.asmith.anchor.immutableId,
    ...extra,
  };
}

const run = (state: ReturnType<typeof emulatedTenant>, users = [AD.asmith]) => runDeltaSync({ state, users, inScope: SANDBOX_SCOPE });

describe('onPremisesObjectIdentifier', () => {
  it('is stamped with the AD objectGUID when the sync creates a user', () => {
    const state = emulatedTenant();
    const [result] = run(state, [AD.kim]).results;
    expect(result?.outcome).toBe('CREATE');
    expect(state.activeUser(result?.userId ?? '')?.onPremisesObjectIdentifier).toBe(AD.kim.objectGuid);
  });

  it('is stamped on a hard match of a cloud-only user that has none (hard match unchanged)', () => {
    const state = emulatedTenant({ users: [aliceHoldingAnchor()] });
    const [result] = run(state).results;
    expect(result).toMatchObject({ outcome: 'HARD_MATCH', userId: ID.cloudAlice });
    expect(result?.error).toBeUndefined();
    expect(state.activeUser(ID.cloudAlice)).toMatchObject({
      onPremisesSyncEnabled: true,
      onPremisesObjectIdentifier: AD.asmith.objectGuid,
    });
  });

  it('refuses a hard match onto a user mapped to another on-premises object, in Microsoft’s words, and writes nothing', () => {
    const state = emulatedTenant({ users: [aliceHoldingAnchor({ onPremisesObjectIdentifier: OLD_OBJECT })] });
    const before = state.activeUser(ID.cloudAlice);
    const [result] = run(state).results;
    expect(result).toMatchObject({
      outcome: 'REMAP_BLOCKED',
      userId: ID.cloudAlice,
      error: { code: 'InvalidHardMatch', message: REMAP_TEXT },
    });
    expect(state.activeUser(ID.cloudAlice)).toEqual(before);
  });

  it('refuses to re-map a synced user to a different AD object holding the same anchor (a migrated ConsistencyGuid)', () => {
    const migrated = onPremUser({
      ...AD.asmith,
      objectGuid: 'aaaaaaaa-1111-4222-8333-444444444444',
      consistencyGuid: AD.asmith.objectGuid,
    });
    const state = emulatedTenant({
      users: [aliceHoldingAnchor({ onPremisesSyncEnabled: true, onPremisesObjectIdentifier: AD.asmith.objectGuid })],
    });
    expect(migrated.anchor.immutableId).toBe(AD.asmith.anchor.immutableId);
    const [result] = run(state, [migrated]).results;
    expect(result).toMatchObject({ outcome: 'REMAP_BLOCKED', error: { code: 'InvalidHardMatch', message: REMAP_TEXT } });
  });

  it('lets the same object keep syncing, and after a clear the next sync stamps the new value', () => {
    const state = emulatedTenant({ users: [aliceHoldingAnchor({ onPremisesObjectIdentifier: OLD_OBJECT })] });
    expect(run(state).results[0]?.error?.code).toBe('InvalidHardMatch');
    state.patchUser(ID.cloudAlice, { onPremisesObjectIdentifier: null });
    expect(state.activeUser(ID.cloudAlice)?.onPremisesObjectIdentifier).toBeNull();
    const [joined] = run(state).results;
    expect(joined).toMatchObject({ outcome: 'HARD_MATCH', userId: ID.cloudAlice });
    expect(joined?.error).toBeUndefined();
    expect(state.activeUser(ID.cloudAlice)?.onPremisesObjectIdentifier).toBe(AD.asmith.objectGuid);
    const [again] = run(state).results;
    expect(again).toMatchObject({ outcome: 'UPDATE', userId: ID.cloudAlice });
    expect(again?.error).toBeUndefined();
  });
});

describe('hard match onto role holders (MC1262584)', () => {
  it('is refused for a user only eligible (PIM) for a role, with InvalidHardMatch naming the role', () => {
    const state = emulatedTenant({
      users: [aliceHoldingAnchor()],
      roleEligibilities: [{ principalId: ID.cloudAlice, role: 'Global Administrator' }],
    });
    const [result] = run(state).results;
    expect(result?.error?.code).toBe('InvalidHardMatch');
    expect(result?.error?.message).toContain('Global Administrator');
    expect(state.activeUser(ID.cloudAlice)?.onPremisesSyncEnabled).toBeNull();
  });

  it('is refused by the service itself, naming the role, whatever the prediction says', () => {
    const state = emulatedTenant({
      users: [aliceHoldingAnchor()],
      roleEligibilities: [{ principalId: ID.cloudAlice, role: 'Global Administrator' }],
    });
    expect(() => state.updateSyncedUser(ID.cloudAlice, { onPremisesObjectIdentifier: AD.asmith.objectGuid }, 'hard-match')).toThrow(
      expect.objectContaining({ code: 'InvalidHardMatch', message: expect.stringContaining('Global Administrator') as unknown }),
    );
    expect(() => state.updateSyncedUser(ID.cloudAlice, { onPremisesObjectIdentifier: AD.asmith.objectGuid }, 'update')).not.toThrow();
  });

  it('is refused for a user assigned a role (the prediction already says so)', () => {
    const state = emulatedTenant({
      users: [aliceHoldingAnchor()],
      directoryRoles: [
        {
          id: ID.globalAdmin,
          displayName: 'Global Administrator',
          roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
          members: [ID.cloudAlice],
        },
      ],
    });
    const [result] = run(state).results;
    expect(result).toMatchObject({ outcome: 'HARD_MATCH_BLOCKED', error: { code: 'InvalidHardMatch' } });
  });

  it('goes through once the eligibility has ended', () => {
    const state = emulatedTenant({
      users: [aliceHoldingAnchor()],
      roleEligibilities: [{ principalId: ID.cloudAlice, role: 'User Administrator', endDateTime: '2026-01-31T00:00:00Z' }],
    });
    expect(run(state).results[0]?.error).toBeUndefined();
  });
});

describe('source of authority (isCloudManaged)', () => {
  it('skips a cloud-managed user: no export, no error, and the summary says so', () => {
    const state = emulatedTenant({ users: [aliceHoldingAnchor({ isCloudManaged: true })] });
    const before = state.activeUser(ID.cloudAlice);
    const report = run(state);
    expect(report.results[0]).toMatchObject({ userId: ID.cloudAlice, skipped: expect.stringContaining('isCloudManaged') as unknown });
    expect(report.results[0]?.error).toBeUndefined();
    expect(state.activeUser(ID.cloudAlice)).toEqual(before);
    expect(summarizeRun(report)).toContain('1 skipped (source of authority in the cloud: asmith)');
  });

  it('syncs the user again once the source of authority is back on-premises', () => {
    const state = emulatedTenant({
      users: [aliceHoldingAnchor({ isCloudManaged: true, onPremisesObjectIdentifier: AD.asmith.objectGuid })],
    });
    state.setCloudManaged(ID.cloudAlice, false);
    const [result] = run(state).results;
    expect(result).toMatchObject({ outcome: 'HARD_MATCH', userId: ID.cloudAlice });
    expect(state.activeUser(ID.cloudAlice)?.onPremisesSyncEnabled).toBe(true);
  });
});
