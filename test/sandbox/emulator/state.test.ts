/**
 * Unit: EmulatorState used directly, as the sync simulator will (Entra Connect's side), and the
 * guarantee that direct use enforces the same rules as HTTP.
 */
import { describe, expect, it } from 'vitest';
import { GraphServiceError } from '../../../src/sandbox/emulator/graph-errors.ts';
import { EmulatorState } from '../../../src/sandbox/emulator/state.ts';
import { ID, testSeed } from './graph-harness.ts';

const NOW = new Date('2026-03-05T12:00:00Z');

function tenant(random: () => number = () => 0.1234): EmulatorState {
  let n = 0;
  return EmulatorState.fromSeed(testSeed(), {
    now: () => NOW,
    random,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  });
}

function graphError(fn: () => unknown): GraphServiceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GraphServiceError) return err;
    throw err;
  }
  throw new Error('expected a GraphServiceError');
}

const AD_USER = {
  onPremisesImmutableId: 'newAnchor0123456789abc==',
  userPrincipalName: 'mjones@contoso.com',
  displayName: 'Mary Jones',
  mail: 'mjones@contoso.com',
  proxyAddresses: ['SMTP:mjones@contoso.com'],
  onPremisesSamAccountName: 'mjones',
  onPremisesDistinguishedName: 'CN=Mary Jones,OU=Staff,DC=contoso,DC=local',
};

describe('Entra Connect writes (createSyncedUser / updateSyncedUser)', () => {
  it('creates a synced user with the AD values, the sync time, and no errors', () => {
    const user = tenant().createSyncedUser(AD_USER);
    expect(user).toMatchObject({
      id: '00000000-0000-4000-8000-000000000001',
      userPrincipalName: 'mjones@contoso.com',
      onPremisesUserPrincipalName: 'mjones@contoso.com',
      onPremisesSyncEnabled: true,
      onPremisesLastSyncDateTime: '2026-03-05T12:00:00Z',
      onPremisesProvisioningErrors: [],
    });
  });

  it('refuses an anchor held by a soft-deleted user (the export fails)', () => {
    const err = graphError(() => tenant().createSyncedUser({ ...AD_USER, onPremisesImmutableId: 'SV+BWQuSnU6tbIK1OqTBAg==' }));
    expect(err.code).toBe('ObjectConflict');
    expect(err.details?.[1]).toMatchObject({ code: 'ConflictingObjects', target: `User_${ID.bobDeleted}` });
  });

  it('applies duplicate-attribute resiliency: UPN → prefix+NNNN@initial, proxy quarantined, both reported', () => {
    const user = tenant(() => 0.0042).createSyncedUser({
      ...AD_USER,
      userPrincipalName: 'jdoe@contoso.com',
      proxyAddresses: ['SMTP:jdoe@contoso.com', 'smtp:jd@contoso.com'],
    });
    expect(user.userPrincipalName).toBe('jdoe+0042@contoso.onmicrosoft.com');
    expect(user.proxyAddresses).toEqual(['smtp:jd@contoso.com']);
    expect(user.onPremisesProvisioningErrors).toEqual([
      {
        category: 'PropertyConflict',
        occurredDateTime: '2026-03-05T12:00:00Z',
        propertyCausingError: 'UserPrincipalName',
        value: 'jdoe@contoso.com',
      },
      {
        category: 'PropertyConflict',
        occurredDateTime: '2026-03-05T12:00:00Z',
        propertyCausingError: 'ProxyAddress',
        value: 'SMTP:jdoe@contoso.com',
      },
    ]);
  });

  it('keeps the substitute UPN on later syncs while the conflict lasts', () => {
    const draws = [0.1111, 0.2222];
    const state = tenant(() => draws.shift() ?? 0.9999);
    const created = state.createSyncedUser({ ...AD_USER, userPrincipalName: 'jdoe@contoso.com' });
    const again = state.updateSyncedUser(created.id, { displayName: 'Mary J.' });
    expect(again.userPrincipalName).toBe(created.userPrincipalName);
  });

  it('turns an unverified or non-routable UPN suffix into the initial domain', () => {
    const user = tenant().createSyncedUser({ ...AD_USER, userPrincipalName: 'mjones@contoso.local' });
    expect(user.userPrincipalName).toBe('mjones@contoso.onmicrosoft.com');
    expect(user.onPremisesUserPrincipalName).toBe('mjones@contoso.local');
  });

  it('joins a cloud-only user (hard match): anchor stamped, synced, attributes overwritten from AD', () => {
    const state = tenant();
    const joined = state.updateSyncedUser(ID.bob, { ...AD_USER, userPrincipalName: 'bsmith@contoso.com', displayName: 'Bob Smith (AD)' });
    expect(joined).toMatchObject({
      id: ID.bob,
      onPremisesSyncEnabled: true,
      onPremisesImmutableId: AD_USER.onPremisesImmutableId,
      displayName: 'Bob Smith (AD)',
    });
    // From now on Graph may not change what sync owns.
    expect(graphError(() => state.patchUser(ID.bob, { displayName: 'X' })).code).toBe('Request_BadRequest');
  });
});

describe('look-ups and copies', () => {
  it('finds an anchor across active and deleted users', () => {
    const state = tenant();
    state.updateSyncedUser(ID.jane, {
      onPremisesImmutableId: 'shared0123456789abcdef==',
      userPrincipalName: 'jdoe@contoso.com',
      displayName: 'Jane',
    });
    state.deleteUser(ID.jane);
    expect(state.usersByImmutableId('shared0123456789abcdef==').map((h) => [h.user.id, h.deleted])).toEqual([[ID.jane, true]]);
    expect(state.usersByImmutableId('SV+BWQuSnU6tbIK1OqTBAg==').map((h) => [h.user.id, h.deleted])).toEqual([[ID.bobDeleted, true]]);
  });

  it('hands out copies: changing a returned record changes nothing', () => {
    const state = tenant();
    const copy = state.activeUser(ID.jane);
    if (!copy) throw new Error('seed user missing');
    copy.proxyAddresses.push('SMTP:evil@contoso.com');
    copy.displayName = 'Evil';
    expect(state.activeUser(ID.jane)).toMatchObject({ displayName: 'Jane Doe', proxyAddresses: ['SMTP:jdoe@contoso.com'] });
  });

  it('hard-deletes a user without the recycle bin, freeing its anchor and memberships', () => {
    const state = tenant();
    state.hardDeleteUser(ID.bobDeleted);
    expect(state.deletedUser(ID.bobDeleted)).toBeUndefined();
    expect(state.usersByImmutableId('SV+BWQuSnU6tbIK1OqTBAg==')).toEqual([]);
    expect(state.group(ID.admins)?.members).not.toContain(ID.bobDeleted);
  });

  it('enforces the Graph rules on direct patchUser calls too', () => {
    const err = graphError(() => tenant().patchUser(ID.jane, { onPremisesImmutableId: 'g8Pclm4vok+vFWtMERklmg==' }));
    expect(err).toMatchObject({ status: 400, code: 'ObjectConflict' });
  });
});
