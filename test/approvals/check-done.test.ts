/**
 * A person's Done, checked where the bot can see the result (issue 19): through the relay for AD
 * (the DN against SYNC_SCOPE_OUS, found again by its anchor after a move; the AD UPN), through
 * Graph for the cloud. Not done → what is still there; not visible → the person's word and why.
 */
import { describe, expect, it } from 'vitest';
import { checkDone, type DoneCheckDeps } from '../../src/approvals/check-done.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { ManualAction, PlanStep } from '../../src/domain/diagnosis/types.ts';
import type { OnPremUser } from '../../src/domain/onprem-user.ts';
import { parseSyncScope, type SyncScope } from '../../src/domain/sync-scope.ts';
import { adUser } from '../domain/diagnosis/builders.ts';
import { proposed } from '../domain/approval/builders.ts';
import { cloudUser, fakeCloud, fakeRelay, tenantFacts } from '../support/fakes.ts';

const SCOPE = ((): SyncScope => {
  const parsed = parseSyncScope('DC=contoso,DC=com;!OU=Not Synced,DC=contoso,DC=com');
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.scope;
})();
const JDOE_DN = 'CN=jdoe,OU=Staff,DC=contoso,DC=com';
const MOVED_DN = 'CN=jdoe,OU=Not Synced,DC=contoso,DC=com';

function step(action?: ManualAction): Extract<PlanStep, { kind: 'MANUAL' }> {
  return { kind: 'MANUAL', number: 1, irreversible: false, description: 'd', instruction: 'i', ...(action ? { action } : {}) };
}

/** A relay holding these AD users, found by DN, objectGUID or sAMAccountName. */
function relayOf(users: OnPremUser[]) {
  return fakeRelay((who) => ({
    users: users.filter((u) =>
      [u.dn, u.objectGuid, u.samAccountName, u.anchor.immutableId].some((k) => k.toLowerCase() === who.toLowerCase()),
    ),
    truncated: false,
  }));
}

const request: ApprovalRequest = proposed();

describe('checkDone: sync scope', () => {
  it('SCOPE_OUT: done once the AD object, found again by its objectGUID after the move, is outside the scope', async () => {
    const deps: DoneCheckDeps = { cloud: fakeCloud(), relay: relayOf([adUser({ dn: MOVED_DN })]), scope: SCOPE };
    expect(await checkDone(request, step({ kind: 'SCOPE_OUT', dn: JDOE_DN }), deps)).toEqual({
      status: 'done',
      seen: `${MOVED_DN} is outside the sync scope (SYNC_SCOPE_OUS: !OU=Not Synced,DC=contoso,DC=com)`,
    });
  });

  it('SCOPE_OUT: refused while the object is still in a synchronised OU', async () => {
    const deps: DoneCheckDeps = { cloud: fakeCloud(), relay: relayOf([adUser({ dn: JDOE_DN })]), scope: SCOPE };
    const check = await checkDone(request, step({ kind: 'SCOPE_OUT', dn: JDOE_DN }), deps);
    expect(check).toMatchObject({
      status: 'not-done',
      still: expect.stringContaining(`${JDOE_DN} is in the sync scope (SYNC_SCOPE_OUS: DC=contoso,DC=com)`) as unknown,
    });
  });

  it('SCOPE_IN: refused while the object sits in an excluded OU', async () => {
    const deps: DoneCheckDeps = { cloud: fakeCloud(), relay: relayOf([adUser({ dn: MOVED_DN })]), scope: SCOPE };
    expect(await checkDone(request, step({ kind: 'SCOPE_IN', dn: MOVED_DN }), deps)).toMatchObject({ status: 'not-done' });
  });

  it("is the person's word without SYNC_SCOPE_OUS, or for an object in a forest it does not cover", async () => {
    const relay = relayOf([adUser({ dn: JDOE_DN })]);
    expect(await checkDone(request, step({ kind: 'SCOPE_OUT', dn: JDOE_DN }), { cloud: fakeCloud(), relay })).toEqual({
      status: 'word',
      why: expect.stringContaining('SYNC_SCOPE_OUS is not set') as unknown,
    });
    const other = 'CN=Frank Sutton,OU=Users,DC=northwind,DC=local';
    expect(await checkDone(request, step({ kind: 'SCOPE_OUT', dn: other }), { cloud: fakeCloud(), relay, scope: SCOPE })).toMatchObject({
      status: 'word',
    });
    expect(relay.calls).toEqual([]);
  });
});

describe('checkDone: AD UPN, roles, addresses, UPN holder, switch, restore', () => {
  it('SET_ONPREM_UPN: any UPN in a verified domain will do; the old one is refused', async () => {
    const action: ManualAction = { kind: 'SET_ONPREM_UPN', dn: JDOE_DN, from: 'jdoe@contoso.local', to: 'jdoe@contoso.com' };
    const cloud = fakeCloud({ tenantFacts: () => Promise.resolve(tenantFacts()) });
    expect(
      await checkDone(request, step(action), { cloud, relay: relayOf([adUser({ userPrincipalName: 'john.doe@contoso.com' })]) }),
    ).toMatchObject({ status: 'done' });
    expect(
      await checkDone(request, step(action), { cloud, relay: relayOf([adUser({ userPrincipalName: 'jdoe@contoso.local' })]) }),
    ).toMatchObject({
      status: 'not-done',
      still: expect.stringContaining('still has the UPN jdoe@contoso.local') as unknown,
    });
  });

  it('REMOVE_ADMIN_ROLES reads the roles from Graph now and names those still held', async () => {
    const cloud = fakeCloud({ rolesOf: () => Promise.resolve(['Exchange Administrator']) });
    const action: ManualAction = {
      kind: 'REMOVE_ADMIN_ROLES',
      subject: { userId: 'u1', userPrincipalName: 'hadmin@contoso.com' },
      roles: ['Exchange Administrator'],
    };
    expect(await checkDone(request, step(action), { cloud })).toEqual({
      status: 'not-done',
      still: 'hadmin@contoso.com still holds Exchange Administrator',
    });
    expect(await checkDone(request, step({ ...action, kind: 'ASSIGN_ADMIN_ROLES' }), { cloud })).toMatchObject({ status: 'done' });
  });

  it('REMOVE_ADDRESSES: refused while the cloud holder still has the address; done once it is gone', async () => {
    const action: ManualAction = {
      kind: 'REMOVE_ADDRESSES',
      objectId: 'u2',
      objectKind: 'user',
      addresses: ['john.doe@contoso.com'],
      dn: null,
    };
    const holding = fakeCloud({
      findUser: () =>
        Promise.resolve(cloudUser({ id: 'u2', userPrincipalName: 'shared@contoso.com', proxyAddresses: ['SMTP:john.doe@contoso.com'] })),
    });
    expect(await checkDone(request, step(action), { cloud: holding })).toEqual({
      status: 'not-done',
      still: 'shared@contoso.com still holds john.doe@contoso.com',
    });
    const freed = fakeCloud({
      findUser: () =>
        Promise.resolve(
          cloudUser({ id: 'u2', userPrincipalName: 'shared@contoso.com', mail: null, proxyAddresses: ['SMTP:shared@contoso.com'] }),
        ),
    });
    expect(await checkDone(request, step(action), { cloud: freed })).toMatchObject({ status: 'done' });
  });

  it("REMOVE_ADDRESSES on a holder synced from this forest reads its AD object (the plan's sync exports it)", async () => {
    const dn = 'CN=Shared,OU=Staff,DC=contoso,DC=com';
    const action: ManualAction = { kind: 'REMOVE_ADDRESSES', objectId: 'u2', objectKind: 'user', addresses: ['john.doe@contoso.com'], dn };
    const cloud = fakeCloud({ findUser: () => Promise.reject(new Error('Graph must not decide here')) });
    const holder = adUser({ samAccountName: 'shared', dn, proxyAddresses: ['SMTP:shared@contoso.com'], mail: 'shared@contoso.com' });
    expect(await checkDone(request, step(action), { cloud, relay: relayOf([holder]) })).toMatchObject({
      status: 'done',
      seen: expect.stringContaining('the next sync exports it') as unknown,
    });
  });

  it('FREE_UPN: refused while the holder keeps the UPN', async () => {
    const action: ManualAction = {
      kind: 'FREE_UPN',
      objectId: 'u3',
      upn: 'jdoe@contoso.com',
      suggestion: 'jdoe.old@contoso.onmicrosoft.com',
      dn: null,
    };
    const cloud = fakeCloud({ findUser: () => Promise.resolve(cloudUser({ id: 'u3', userPrincipalName: 'jdoe@contoso.com' })) });
    expect(await checkDone(request, step(action), { cloud })).toMatchObject({
      status: 'not-done',
      still: expect.stringContaining('still has the UPN jdoe@contoso.com') as unknown,
    });
  });

  it('SET_SYNC_SWITCH reads the switch fresh; RESTORE_DELETED_USER wants the user active', async () => {
    const cloud = fakeCloud({
      tenantFacts: () => Promise.resolve(tenantFacts()),
      findUser: () => Promise.resolve(cloudUser({ deletedDateTime: '2026-12-01T00:00:00Z' })),
    });
    const off: ManualAction = { kind: 'SET_SYNC_SWITCH', feature: 'blockCloudObjectTakeoverThroughHardMatchEnabled', enabled: false };
    expect(await checkDone(request, step(off), { cloud })).toMatchObject({ status: 'done' });
    expect(cloud.calls.find((c) => c.method === 'tenantFacts')?.args).toEqual([{ fresh: true }]);
    expect(await checkDone(request, step({ ...off, enabled: true }), { cloud })).toMatchObject({ status: 'not-done' });
    const restore: ManualAction = { kind: 'RESTORE_DELETED_USER', subject: { userId: 'u1', userPrincipalName: 'fsynced@contoso.com' } };
    expect(await checkDone(request, step(restore), { cloud })).toMatchObject({
      status: 'not-done',
      still: expect.stringContaining('still in the recycle bin') as unknown,
    });
  });

  it('RESTORE_DELETED_USER wants the user back cloud-only: one still synced was never deleted', async () => {
    const restore: ManualAction = { kind: 'RESTORE_DELETED_USER', subject: { userId: 'u1', userPrincipalName: 'fsynced@contoso.com' } };
    const oldDn = 'CN=Frank Sutton,OU=Users,DC=northwind,DC=local';
    const synced = fakeCloud({ findUser: () => Promise.resolve(cloudUser({ synced: true, onPremisesDistinguishedName: oldDn })) });
    expect(await checkDone(request, step(restore), { cloud: synced })).toMatchObject({
      status: 'not-done',
      still: expect.stringMatching(new RegExp(`still synced \\(joined to ${oldDn}.*never soft-deleted`)) as unknown,
    });
    const cloudOnly = fakeCloud({ findUser: () => Promise.resolve(cloudUser({ synced: false })) });
    expect(await checkDone(request, step(restore), { cloud: cloudOnly })).toMatchObject({
      status: 'done',
      seen: expect.stringContaining('cloud-only') as unknown,
    });
    const gone = fakeCloud({ findUser: () => Promise.resolve(null) });
    expect(await checkDone(request, step(restore), { cloud: gone })).toMatchObject({
      status: 'not-done',
      still: 'there is no user u1, active or deleted',
    });
  });

  it('a step it cannot model, or "type match again", is the person\'s word', async () => {
    expect(await checkDone(request, step(), { cloud: fakeCloud() })).toMatchObject({ status: 'word' });
    expect(await checkDone(request, step({ kind: 'RUN_MATCH_AGAIN', command: 'match x to y' }), { cloud: fakeCloud() })).toMatchObject({
      status: 'word',
    });
  });

  it('lets a failed read through, so the Done is refused with the error instead of trusted', async () => {
    const relay = fakeRelay(new Error('relay down'));
    await expect(checkDone(request, step({ kind: 'SCOPE_OUT', dn: JDOE_DN }), { cloud: fakeCloud(), relay, scope: SCOPE })).rejects.toThrow(
      'relay down',
    );
  });
});
