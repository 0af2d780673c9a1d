/**
 * Unit: runDeltaSync over a real EmulatorState. Each case seeds a tenant, runs one delta sync over
 * AD users, and asserts both the per-user report and what the tenant holds afterwards.
 */
import { describe, expect, it } from 'vitest';
import { predictSync } from '../../../src/domain/sync/predict.ts';
import type { EmulatorState } from '../../../src/sandbox/emulator/index.ts';
import { runDeltaSync } from '../../../src/sandbox/sync-simulator/run-delta-sync.ts';
import { syncTenantOf } from '../../../src/sandbox/sync-simulator/sync-tenant.ts';
import { AD, emulatedTenant, ID, INITIAL, manualClock, OTHER_ANCHOR, SANDBOX_SCOPE, snapshotWithoutSyncTime, T0 } from './fixtures.ts';

const ALL_IN_SCOPE = (): boolean => true;

function user(state: EmulatorState, id: string) {
  const found = state.activeUser(id) ?? state.deletedUser(id);
  if (!found) throw new Error(`no user ${id}`);
  return found;
}

describe('runDeltaSync: creating, with duplicate-attribute resiliency', () => {
  it('creates a duplicate when nothing matches: placeholder UPN, quarantined address, provisioning errors', () => {
    const state = emulatedTenant({
      features: { softMatchOnUpnEnabled: false },
      users: [
        {
          id: ID.cloudJdoe,
          userPrincipalName: 'jdoe@contoso.com',
          displayName: 'John (cloud)',
          mail: 'jdoe@contoso.com',
          proxyAddresses: ['SMTP:jdoe@contoso.com'],
        },
      ],
    });
    const predicted = predictSync({ onPrem: AD.jdoe, inScope: true }, syncTenantOf(state), { placeholderDigits: () => '1234' });

    const report = runDeltaSync({ state, users: [AD.jdoe], inScope: ALL_IN_SCOPE });

    expect(report).toEqual({
      startedAt: '2026-03-05T12:00:00.000Z',
      finishedAt: '2026-03-05T12:00:00.000Z',
      results: [{ samAccountName: 'jdoe', dn: AD.jdoe.dn, outcome: 'CREATE', userId: 'eeeeeeee-0000-4000-8000-000000000001' }],
    });
    const created = user(state, 'eeeeeeee-0000-4000-8000-000000000001');
    expect(created).toMatchObject({
      userPrincipalName: `jdoe+1234@${INITIAL}`,
      onPremisesUserPrincipalName: 'jdoe@contoso.com',
      onPremisesImmutableId: AD.jdoe.anchor.immutableId,
      onPremisesSyncEnabled: true,
      onPremisesLastSyncDateTime: T0,
      proxyAddresses: ['SMTP:john.doe@contoso.com'],
      onPremisesProvisioningErrors: [
        { category: 'PropertyConflict', occurredDateTime: T0, propertyCausingError: 'UserPrincipalName', value: 'jdoe@contoso.com' },
        { category: 'PropertyConflict', occurredDateTime: T0, propertyCausingError: 'ProxyAddress', value: 'smtp:jdoe@contoso.com' },
      ],
    });
    // The prediction (same digits) says exactly what the emulator did.
    expect(predicted).toMatchObject({
      kind: 'CREATE',
      values: { userPrincipalName: created.userPrincipalName, quarantinedAddresses: ['smtp:jdoe@contoso.com'] },
    });
    expect(user(state, ID.cloudJdoe)).toMatchObject({
      userPrincipalName: 'jdoe@contoso.com',
      onPremisesSyncEnabled: null,
      onPremisesImmutableId: null,
    });
  });

  it('moves a .local UPN to the initial domain', () => {
    const state = emulatedTenant();
    const [result] = runDeltaSync({ state, users: [AD.elocal], inScope: ALL_IN_SCOPE }).results;
    expect(result).toMatchObject({ outcome: 'CREATE' });
    expect(user(state, result?.userId ?? '')).toMatchObject({
      userPrincipalName: `elocal@${INITIAL}`,
      onPremisesUserPrincipalName: 'elocal@contoso.local',
      onPremisesProvisioningErrors: [],
    });
  });

  it('quarantines an alias a mail-enabled group holds', () => {
    const state = emulatedTenant({
      groups: [
        {
          id: ID.sales,
          displayName: 'Sales',
          mail: 'sales@contoso.com',
          mailEnabled: true,
          securityEnabled: false,
          proxyAddresses: ['SMTP:sales@contoso.com'],
        },
      ],
    });
    const [result] = runDeltaSync({ state, users: [AD.kim], inScope: ALL_IN_SCOPE }).results;
    expect(user(state, result?.userId ?? '')).toMatchObject({
      userPrincipalName: 'kim@contoso.com',
      proxyAddresses: ['SMTP:kim.lee@contoso.com'],
      onPremisesProvisioningErrors: [
        { category: 'PropertyConflict', occurredDateTime: T0, propertyCausingError: 'ProxyAddress', value: 'smtp:sales@contoso.com' },
      ],
    });
  });
});

describe('runDeltaSync: joining', () => {
  it('hard match: the cloud-only holder becomes synced, fresh lastSync, onPremises* set, attributes from AD', () => {
    const state = emulatedTenant({
      users: [
        {
          id: ID.cloudAlice,
          userPrincipalName: 'alice.cloud@contoso.com',
          displayName: 'Alice (cloud)',
          accountEnabled: true,
          onPremisesImmutableId: AD.asmith.anchor.immutableId,
        },
      ],
    });
    const disabledInAd = { ...AD.asmith, enabled: false };
    const report = runDeltaSync({ state, users: [disabledInAd], inScope: ALL_IN_SCOPE });
    expect(report.results).toEqual([{ samAccountName: 'asmith', dn: AD.asmith.dn, outcome: 'HARD_MATCH', userId: ID.cloudAlice }]);
    expect(user(state, ID.cloudAlice)).toMatchObject({
      userPrincipalName: 'asmith@contoso.com',
      displayName: 'Alice Smith',
      mail: 'alice.smith@contoso.com',
      proxyAddresses: ['SMTP:alice.smith@contoso.com', 'smtp:asmith@contoso.com'],
      accountEnabled: false,
      onPremisesSyncEnabled: true,
      onPremisesImmutableId: AD.asmith.anchor.immutableId,
      onPremisesLastSyncDateTime: T0,
      onPremisesDistinguishedName: 'CN=Alice Smith,OU=Staff,DC=contoso,DC=com',
      onPremisesSamAccountName: 'asmith',
      onPremisesUserPrincipalName: 'asmith@contoso.com',
    });
  });

  it('soft match on the primary SMTP address stamps the anchor', () => {
    const state = emulatedTenant({
      users: [
        {
          id: ID.cloudBruce,
          userPrincipalName: 'bruce@contoso.com',
          displayName: 'Bruce',
          proxyAddresses: ['SMTP:Bruce.Wayne@contoso.com'],
        },
      ],
    });
    const [result] = runDeltaSync({ state, users: [AD.bwayne], inScope: ALL_IN_SCOPE }).results;
    expect(result).toEqual({ samAccountName: 'bwayne', dn: AD.bwayne.dn, outcome: 'SOFT_MATCH', userId: ID.cloudBruce });
    expect(user(state, ID.cloudBruce)).toMatchObject({
      onPremisesImmutableId: AD.bwayne.anchor.immutableId,
      onPremisesSyncEnabled: true,
      userPrincipalName: 'bwayne@contoso.com',
    });
    expect(state.activeUsers()).toHaveLength(1);
  });

  it('soft match on the UPN when no address matches', () => {
    const state = emulatedTenant({ users: [{ id: ID.cloudKim, userPrincipalName: 'kim@contoso.com', displayName: 'Kim' }] });
    const [result] = runDeltaSync({ state, users: [AD.kim], inScope: ALL_IN_SCOPE }).results;
    expect(result).toMatchObject({ outcome: 'SOFT_MATCH', userId: ID.cloudKim });
    expect(user(state, ID.cloudKim)).toMatchObject({
      onPremisesImmutableId: AD.kim.anchor.immutableId,
      onPremisesSyncEnabled: true,
      onPremisesSamAccountName: 'kim',
    });
  });

  it('restores a soft-deleted synced holder, with its group membership', () => {
    const state = emulatedTenant({
      users: [
        {
          id: ID.cloudAlice,
          userPrincipalName: 'asmith@contoso.com',
          displayName: 'Alice Smith',
          onPremisesImmutableId: AD.asmith.anchor.immutableId,
          onPremisesSyncEnabled: true,
          onPremisesLastSyncDateTime: '2026-02-20T10:00:00Z',
          deletedDateTime: '2026-02-21T09:15:00Z',
        },
      ],
      groups: [{ id: ID.staff, displayName: 'Staff', members: [ID.cloudAlice] }],
    });
    const [result] = runDeltaSync({ state, users: [AD.asmith], inScope: ALL_IN_SCOPE }).results;
    expect(result).toEqual({ samAccountName: 'asmith', dn: AD.asmith.dn, outcome: 'RESTORE', userId: ID.cloudAlice });
    expect(state.deletedUsers()).toEqual([]);
    expect(user(state, ID.cloudAlice)).toMatchObject({
      deletedDateTime: null,
      userPrincipalName: 'asmith@contoso.com',
      onPremisesLastSyncDateTime: T0,
    });
    expect(state.transitiveMembers(ID.staff).map((m) => (m.kind === 'user' ? m.user.id : m.group.id))).toEqual([ID.cloudAlice]);
  });
});

describe('runDeltaSync: export errors are recorded, never thrown, and change nothing', () => {
  it('InvalidSoftMatch: the SMTP candidate already holds another ImmutableID', () => {
    const state = emulatedTenant({
      users: [
        {
          id: ID.cloudBruce,
          userPrincipalName: 'bruce@contoso.com',
          displayName: 'Bruce',
          proxyAddresses: ['SMTP:bruce.wayne@contoso.com'],
          onPremisesImmutableId: OTHER_ANCHOR,
        },
      ],
    });
    const before = snapshotWithoutSyncTime(state);
    const [result] = runDeltaSync({ state, users: [AD.bwayne], inScope: ALL_IN_SCOPE }).results;
    expect(result).toMatchObject({ outcome: 'INVALID_SOFT_MATCH', userId: ID.cloudBruce, error: { code: 'InvalidSoftMatch' } });
    expect(result?.error?.message).toContain(OTHER_ANCHOR);
    expect(snapshotWithoutSyncTime(state)).toEqual(before);
  });

  it('ANCHOR_CONFLICT: a deleted cloud-only user holds the anchor (ObjectConflict until purged)', () => {
    const state = emulatedTenant({
      users: [
        {
          id: ID.cloudAlice,
          userPrincipalName: 'asmith@contoso.com',
          displayName: 'Alice (cloud)',
          onPremisesImmutableId: AD.asmith.anchor.immutableId,
          deletedDateTime: '2026-02-21T09:15:00Z',
        },
      ],
    });
    const [result] = runDeltaSync({ state, users: [AD.asmith], inScope: ALL_IN_SCOPE }).results;
    expect(result).toMatchObject({ outcome: 'ANCHOR_CONFLICT', userId: ID.cloudAlice, error: { code: 'ObjectConflict' } });
    expect(result?.error?.message).toContain(`User_${ID.cloudAlice}`);
    expect(state.activeUsers()).toEqual([]);
    expect(state.deletedUser(ID.cloudAlice)?.onPremisesSyncEnabled).toBeNull();
  });

  it('InvalidHardMatch: the holder has an admin role (read from the tenant directory roles)', () => {
    const state = emulatedTenant({
      users: [
        {
          id: ID.cloudHank,
          userPrincipalName: 'hank@contoso.com',
          displayName: 'Hank',
          onPremisesImmutableId: AD.hadmin.anchor.immutableId,
        },
      ],
      directoryRoles: [
        {
          id: ID.globalAdmin,
          displayName: 'Global Administrator',
          roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
          members: [ID.cloudHank],
        },
      ],
    });
    const [result] = runDeltaSync({ state, users: [AD.hadmin], inScope: ALL_IN_SCOPE }).results;
    expect(result).toMatchObject({ outcome: 'HARD_MATCH_BLOCKED', userId: ID.cloudHank, error: { code: 'InvalidHardMatch' } });
    expect(user(state, ID.cloudHank).onPremisesSyncEnabled).toBeNull();
  });

  it('ObjectTypeMismatch: a group holds the primary SMTP address', () => {
    const state = emulatedTenant({
      groups: [
        {
          id: ID.sales,
          displayName: 'Sales',
          mail: 'kim.lee@contoso.com',
          mailEnabled: true,
          securityEnabled: false,
          proxyAddresses: ['SMTP:kim.lee@contoso.com'],
        },
      ],
    });
    const [result] = runDeltaSync({ state, users: [AD.kim], inScope: ALL_IN_SCOPE }).results;
    expect(result).toMatchObject({ outcome: 'OBJECT_TYPE_MISMATCH', error: { code: 'ObjectTypeMismatch' } });
    expect(result?.error?.message).toContain(ID.sales);
    expect(result?.userId).toBeUndefined();
    expect(state.activeUsers()).toEqual([]);
  });

  it('a write the emulator refuses is recorded with Graph’s code', () => {
    const state = emulatedTenant();
    const badAnchor = { ...AD.kim, anchor: { ...AD.kim.anchor, immutableId: 'not_a_valid$anchor' } };
    const [result] = runDeltaSync({ state, users: [badAnchor], inScope: ALL_IN_SCOPE }).results;
    expect(result).toMatchObject({ outcome: 'CREATE', error: { code: 'Request_BadRequest' } });
    expect(result?.error?.message).toContain('onPremisesImmutableId');
    expect(state.activeUsers()).toEqual([]);
  });
});

describe('runDeltaSync: scope and order', () => {
  it('soft-deletes the joined cloud user of an AD user out of scope', () => {
    const clock = manualClock('2026-03-05T13:30:00Z');
    const state = emulatedTenant({
      now: clock.now,
      users: [
        {
          id: ID.cloudDiego,
          userPrincipalName: 'dscope@contoso.com',
          displayName: 'Diego',
          onPremisesImmutableId: AD.dscope.anchor.immutableId,
          onPremisesSyncEnabled: true,
        },
      ],
    });
    const [result] = runDeltaSync({ state, users: [AD.dscope], inScope: SANDBOX_SCOPE }).results;
    expect(result).toEqual({ samAccountName: 'dscope', dn: AD.dscope.dn, outcome: 'DELETE', userId: ID.cloudDiego });
    expect(state.deletedUser(ID.cloudDiego)?.deletedDateTime).toBe('2026-03-05T13:30:00Z');
  });

  it('handles deletions first, then by DN, so a deletion frees its UPN for the next user', () => {
    const zed = { ...AD.dscope, samAccountName: 'zed', dn: 'CN=Zed,OU=Not Synced,DC=contoso,DC=com' };
    const amy = {
      ...AD.kim,
      samAccountName: 'amy',
      dn: 'CN=Amy,OU=Staff,DC=contoso,DC=com',
      userPrincipalName: 'shared@contoso.com',
      proxyAddresses: [],
    };
    const state = emulatedTenant({
      users: [
        {
          id: ID.cloudDiego,
          userPrincipalName: 'shared@contoso.com',
          displayName: 'Zed',
          onPremisesImmutableId: zed.anchor.immutableId,
          onPremisesSyncEnabled: true,
        },
      ],
    });
    const report = runDeltaSync({ state, users: [AD.jdoe, amy, zed], inScope: SANDBOX_SCOPE });
    expect(report.results.map((r) => [r.samAccountName, r.outcome])).toEqual([
      ['zed', 'DELETE'],
      ['amy', 'CREATE'],
      ['jdoe', 'CREATE'],
    ]);
    expect(user(state, report.results[1]?.userId ?? '').userPrincipalName).toBe('shared@contoso.com');
  });

  it('leaves alone a synced cloud user whose anchor belongs to no AD user given', () => {
    const state = emulatedTenant({
      users: [
        {
          id: ID.orphan,
          userPrincipalName: 'orphan@contoso.com',
          displayName: 'Orphan',
          onPremisesImmutableId: OTHER_ANCHOR,
          onPremisesSyncEnabled: true,
          onPremisesLastSyncDateTime: '2026-01-01T00:00:00Z',
        },
      ],
    });
    const before = state.activeUsers();
    runDeltaSync({ state, users: [AD.kim], inScope: ALL_IN_SCOPE });
    expect(user(state, ID.orphan)).toEqual(before[0]);
  });
});

describe('runDeltaSync: idempotence', () => {
  it('a second run changes nothing but onPremisesLastSyncDateTime', () => {
    const clock = manualClock();
    const state = emulatedTenant({
      now: clock.now,
      users: [
        {
          id: ID.cloudJdoe,
          userPrincipalName: 'jdoe@contoso.com',
          displayName: 'John (cloud)',
          proxyAddresses: ['SMTP:jdoe@contoso.com'],
          onPremisesImmutableId: OTHER_ANCHOR,
        },
        {
          id: ID.cloudAlice,
          userPrincipalName: 'alice.cloud@contoso.com',
          displayName: 'Alice',
          onPremisesImmutableId: AD.asmith.anchor.immutableId,
        },
        {
          id: ID.cloudBruce,
          userPrincipalName: 'bruce@contoso.com',
          displayName: 'Bruce',
          proxyAddresses: ['SMTP:bruce.wayne@contoso.com'],
        },
        {
          id: ID.cloudDiego,
          userPrincipalName: 'dscope@contoso.com',
          displayName: 'Diego',
          onPremisesImmutableId: AD.dscope.anchor.immutableId,
          onPremisesSyncEnabled: true,
        },
        {
          id: ID.cloudHank,
          userPrincipalName: 'hadmin@contoso.com',
          displayName: 'Hank',
          onPremisesImmutableId: AD.hadmin.anchor.immutableId,
          onPremisesSyncEnabled: true,
          deletedDateTime: '2026-02-21T09:15:00Z',
        },
      ],
      groups: [
        {
          id: ID.sales,
          displayName: 'Sales',
          mail: 'sales@contoso.com',
          mailEnabled: true,
          securityEnabled: false,
          proxyAddresses: ['SMTP:sales@contoso.com'],
        },
      ],
    });
    const users = Object.values(AD);
    const first = runDeltaSync({ state, users, inScope: SANDBOX_SCOPE });
    expect(Object.fromEntries(first.results.map((r) => [r.samAccountName, r.outcome]))).toEqual({
      dscope: 'DELETE',
      asmith: 'HARD_MATCH',
      bwayne: 'SOFT_MATCH',
      elocal: 'CREATE',
      hadmin: 'RESTORE',
      jdoe: 'INVALID_SOFT_MATCH',
      kim: 'CREATE',
    });
    const afterFirst = snapshotWithoutSyncTime(state);

    clock.advance(30 * 60_000);
    const second = runDeltaSync({ state, users, inScope: SANDBOX_SCOPE });

    expect(snapshotWithoutSyncTime(state)).toEqual(afterFirst);
    expect(Object.fromEntries(second.results.map((r) => [r.samAccountName, r.outcome]))).toEqual({
      dscope: 'NOTHING',
      asmith: 'UPDATE',
      bwayne: 'UPDATE',
      elocal: 'UPDATE',
      hadmin: 'UPDATE',
      jdoe: 'INVALID_SOFT_MATCH',
      kim: 'UPDATE',
    });
    const synced = state.activeUsers().filter((u) => u.onPremisesSyncEnabled === true);
    expect(synced.map((u) => u.onPremisesLastSyncDateTime)).toEqual(synced.map(() => '2026-03-05T12:30:00Z'));
    expect(synced).toHaveLength(5);
  });
});
