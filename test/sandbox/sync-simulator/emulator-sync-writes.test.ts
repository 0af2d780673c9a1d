/**
 * Unit: the Entra Connect-side writes this helper added to the emulator (EmulatorState
 * `restoreSyncedUser`, `groups()`, `now()`, and conflicts keeping the time they first occurred).
 * Kept here because test/emulator belongs to the emulator's HTTP owner.
 */
import { describe, expect, it } from 'vitest';
import { GraphServiceError } from '../../../src/sandbox/emulator/index.ts';
import { syncedAttributesOf } from '../../../src/sandbox/sync-simulator/synced-attributes.ts';
import { AD, emulatedTenant, ID, INITIAL, manualClock, T0 } from './fixtures.ts';

const DELETED_ALICE = {
  id: ID.cloudAlice,
  userPrincipalName: 'asmith@contoso.com',
  displayName: 'Alice Smith',
  proxyAddresses: ['SMTP:alice.smith@contoso.com'],
  onPremisesImmutableId: AD.asmith.anchor.immutableId,
  onPremisesSyncEnabled: true,
  deletedDateTime: '2026-02-21T09:15:00Z',
};

describe('EmulatorState.restoreSyncedUser', () => {
  it('restores under the export rules: a UPN taken meanwhile gets a placeholder, a taken address is quarantined', () => {
    const state = emulatedTenant({
      random: () => 0.0042,
      users: [
        DELETED_ALICE,
        {
          id: ID.cloudKim,
          userPrincipalName: 'asmith@contoso.com',
          displayName: 'Taker',
          proxyAddresses: ['smtp:alice.smith@contoso.com'],
        },
      ],
    });
    const restored = state.restoreSyncedUser(ID.cloudAlice, syncedAttributesOf(AD.asmith));
    expect(restored).toMatchObject({
      deletedDateTime: null,
      userPrincipalName: `asmith+0042@${INITIAL}`,
      proxyAddresses: ['smtp:asmith@contoso.com'],
      onPremisesLastSyncDateTime: T0,
      onPremisesProvisioningErrors: [
        { category: 'PropertyConflict', occurredDateTime: T0, propertyCausingError: 'UserPrincipalName', value: 'asmith@contoso.com' },
        { category: 'PropertyConflict', occurredDateTime: T0, propertyCausingError: 'ProxyAddress', value: 'SMTP:alice.smith@contoso.com' },
      ],
    });
    expect(state.deletedUsers()).toEqual([]);
  });

  it('leaves the user in the recycle bin, unchanged, when the export is refused', () => {
    const state = emulatedTenant({ users: [DELETED_ALICE] });
    const before = state.deletedUser(ID.cloudAlice);
    expect(() => state.restoreSyncedUser(ID.cloudAlice, { ...syncedAttributesOf(AD.asmith), onPremisesImmutableId: 'bad_anchor' })).toThrow(
      GraphServiceError,
    );
    expect(state.deletedUser(ID.cloudAlice)).toEqual(before);
    expect(state.activeUsers()).toEqual([]);
  });

  it('answers 404 for a user that is not in the recycle bin', () => {
    const state = emulatedTenant();
    expect(() => state.restoreSyncedUser(ID.cloudAlice, syncedAttributesOf(AD.asmith))).toThrow(/does not exist/);
  });
});

describe('EmulatorState sync-side details', () => {
  it('a conflict that lasts keeps the time it first occurred; the sync time moves on', () => {
    const clock = manualClock();
    const state = emulatedTenant({
      now: clock.now,
      groups: [
        { id: ID.sales, displayName: 'Sales', mail: 'sales@contoso.com', mailEnabled: true, proxyAddresses: ['SMTP:sales@contoso.com'] },
      ],
    });
    const created = state.createSyncedUser(syncedAttributesOf(AD.kim));
    clock.advance(60_000);
    const again = state.updateSyncedUser(created.id, syncedAttributesOf(AD.kim));
    expect(again.onPremisesLastSyncDateTime).toBe('2026-03-05T12:01:00Z');
    expect(again.onPremisesProvisioningErrors).toEqual([
      { category: 'PropertyConflict', occurredDateTime: T0, propertyCausingError: 'ProxyAddress', value: 'smtp:sales@contoso.com' },
    ]);
  });

  it('lists groups by id as copies, and exposes the tenant clock', () => {
    const state = emulatedTenant({
      groups: [
        { id: ID.staff, displayName: 'Staff' },
        { id: ID.sales, displayName: 'Sales', mail: 'sales@contoso.com', proxyAddresses: ['SMTP:sales@contoso.com'] },
      ],
    });
    const groups = state.groups();
    expect(groups.map((g) => g.displayName)).toEqual(['Staff', 'Sales']);
    groups[1]?.proxyAddresses.push('smtp:x@contoso.com');
    expect(state.groups()[1]?.proxyAddresses).toEqual(['SMTP:sales@contoso.com']);
    expect(state.now().toISOString()).toBe('2026-03-05T12:00:00.000Z');
  });
});
