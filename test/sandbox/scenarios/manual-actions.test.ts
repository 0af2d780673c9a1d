/**
 * A MANUAL step's structured action carried out on the sandbox stand-ins (`applyManualAction`):
 * AD changes on the editable directory, cloud changes on the emulator's state; one case per kind.
 */
import { describe, expect, it } from 'vitest';
import type { ManualAction } from '../../../src/domain/diagnosis/types.ts';
import { EmulatorState } from '../../../src/sandbox/emulator/index.ts';
import { listFixtureUsers } from '../../../src/sandbox/fixture-users.ts';
import {
  applyManualAction,
  buildSandboxSeed,
  createEditableDirectory,
  IDS,
  inSandboxSyncScope,
  type PersonWorld,
} from '../../../src/sandbox/scenarios/index.ts';

const JDOE_DN = 'CN=John Doe,OU=Staff,DC=contoso,DC=com';
const DSCOPE_DN = 'CN=Diego Scott,OU=Not Synced,DC=contoso,DC=com';

async function world(): Promise<PersonWorld> {
  return {
    directory: createEditableDirectory(await listFixtureUsers()),
    state: EmulatorState.fromSeed(buildSandboxSeed({ now: new Date('2026-11-22T10:00:00Z') })),
  };
}

const hadmin = { userId: IDS.hadmin, userPrincipalName: 'hadmin@contoso.com' };

describe('applyManualAction', () => {
  it('SCOPE_OUT moves the AD object into OU=Not Synced under its own domain, keeping its name and anchor', async () => {
    const w = await world();
    const before = w.directory.user('jdoe');
    expect(applyManualAction({ kind: 'SCOPE_OUT', dn: JDOE_DN.toLowerCase() }, w)).toBe(
      `moved ${JDOE_DN} to OU=Not Synced,DC=contoso,DC=com`,
    );
    const moved = w.directory.user('jdoe');
    expect(moved.dn).toBe('CN=John Doe,OU=Not Synced,DC=contoso,DC=com');
    expect(inSandboxSyncScope(moved)).toBe(false);
    expect(moved.anchor).toEqual(before.anchor);
  });

  it('SCOPE_IN moves an out-of-scope object to OU=Staff, and leaves one already in scope where it is', async () => {
    const w = await world();
    expect(applyManualAction({ kind: 'SCOPE_IN', dn: DSCOPE_DN }, w)).toMatch(/^moved .* to OU=Staff,DC=contoso,DC=com$/);
    expect(w.directory.user('dscope').dn).toBe('CN=Diego Scott,OU=Staff,DC=contoso,DC=com');
    expect(applyManualAction({ kind: 'SCOPE_IN', dn: 'CN=Hannah Adler,OU=Admins,DC=contoso,DC=com' }, w)).toBeUndefined();
    expect(w.directory.user('hadmin').dn).toBe('CN=Hannah Adler,OU=Admins,DC=contoso,DC=com');
  });

  it('SCOPE_IN finds an object moved since the plan was made by its name in its domain', async () => {
    const w = await world();
    applyManualAction({ kind: 'SCOPE_OUT', dn: JDOE_DN }, w);
    expect(applyManualAction({ kind: 'SCOPE_IN', dn: JDOE_DN }, w)).toBe(
      'moved CN=John Doe,OU=Not Synced,DC=contoso,DC=com to OU=Staff,DC=contoso,DC=com',
    );
    expect(w.directory.user('jdoe').dn).toBe(JDOE_DN);
  });

  it('SET_ONPREM_UPN changes the AD user found by DN', async () => {
    const w = await world();
    const action: ManualAction = {
      kind: 'SET_ONPREM_UPN',
      dn: 'CN=Emma Lindqvist,OU=Staff,DC=contoso,DC=com',
      from: 'elocal@contoso.local',
      to: 'elocal@contoso.com',
    };
    applyManualAction(action, w);
    expect(w.directory.user('elocal').userPrincipalName).toBe('elocal@contoso.com');
  });

  it('refuses a DN the sandbox directory does not have', async () => {
    const w = await world();
    expect(() => applyManualAction({ kind: 'SCOPE_OUT', dn: 'CN=Ghost,OU=Staff,DC=contoso,DC=com' }, w)).toThrow(/no AD user CN=Ghost/);
  });

  it('REMOVE_ADMIN_ROLES and ASSIGN_ADMIN_ROLES take Entra roles off by display name and give them back', async () => {
    const w = await world();
    const roles = (): string[] => w.state.directoryRolesOf(IDS.hadmin).map((r) => r.displayName);
    expect(roles()).toEqual(['Exchange Administrator']);
    expect(applyManualAction({ kind: 'REMOVE_ADMIN_ROLES', subject: hadmin, roles: ['Exchange Administrator'] }, w)).toBe(
      'removed Exchange Administrator from hadmin@contoso.com',
    );
    expect(roles()).toEqual([]);
    applyManualAction({ kind: 'ASSIGN_ADMIN_ROLES', subject: hadmin, roles: ['Exchange Administrator'] }, w);
    expect(roles()).toEqual(['Exchange Administrator']);
  });

  it('REMOVE_ADDRESSES edits the cloud object when its AD object is elsewhere', async () => {
    const w = await world();
    const action: ManualAction = {
      kind: 'REMOVE_ADDRESSES',
      objectId: IDS.frontDesk,
      objectKind: 'user',
      addresses: ['bruce.wayne@contoso.com'],
      dn: null,
    };
    expect(applyManualAction(action, w)).toBe(`removed bruce.wayne@contoso.com from cloud user ${IDS.frontDesk}`);
    expect(w.state.activeUser(IDS.frontDesk)?.proxyAddresses).toEqual(['SMTP:frontdesk@contoso.com']);
  });

  it('REMOVE_ADDRESSES edits the AD object when the sandbox directory has it, so the next sync exports it', async () => {
    const w = await world();
    const action: ManualAction = {
      kind: 'REMOVE_ADDRESSES',
      objectId: IDS.jdoe,
      objectKind: 'user',
      addresses: ['SMTP:JDOE@contoso.com', 'john.doe@contoso.com'],
      dn: JDOE_DN,
    };
    expect(applyManualAction(action, w)).toBe(`removed SMTP:JDOE@contoso.com, john.doe@contoso.com from AD user ${JDOE_DN}`);
    const jdoe = w.directory.user('jdoe');
    expect(jdoe.proxyAddresses).toEqual(['smtp:jdoe@contoso.mail.onmicrosoft.com']);
    expect(jdoe.mail).toBeNull();
  });

  it('REMOVE_ADDRESSES takes the addresses off a mail-enabled group (Exchange), the next alias becoming primary', async () => {
    const seed = buildSandboxSeed({ now: new Date('2026-11-22T10:00:00Z') });
    const sales = {
      id: '5a0d9901-0000-4000-8000-000000009901',
      displayName: 'Northwind Sales',
      mail: 'carla.mendes@northwind.com',
      mailEnabled: true,
      proxyAddresses: ['SMTP:carla.mendes@northwind.com', 'smtp:sales@northwind.com', 'smtp:vertrieb@northwind.com'],
    };
    const w: PersonWorld = {
      directory: createEditableDirectory(await listFixtureUsers()),
      state: EmulatorState.fromSeed({ ...seed, groups: [...seed.groups, sales] }),
    };
    const action: ManualAction = {
      kind: 'REMOVE_ADDRESSES',
      objectId: sales.id,
      objectKind: 'group',
      addresses: ['Carla.Mendes@northwind.com'],
      dn: null,
    };
    expect(applyManualAction(action, w)).toBe(`removed Carla.Mendes@northwind.com from group ${sales.id}`);
    expect(w.state.group(sales.id)).toMatchObject({
      mail: 'sales@northwind.com',
      proxyAddresses: ['SMTP:sales@northwind.com', 'smtp:vertrieb@northwind.com'],
    });
    applyManualAction({ ...action, addresses: ['sales@northwind.com', 'smtp:vertrieb@northwind.com'] }, w);
    expect(w.state.group(sales.id)).toMatchObject({ mail: null, proxyAddresses: [] });
  });

  it('REMOVE_ADDRESSES on a group the tenant does not have fails with Graph 404', async () => {
    const w = await world();
    const action: ManualAction = { kind: 'REMOVE_ADDRESSES', objectId: 'g-1', objectKind: 'group', addresses: ['x@contoso.com'], dn: null };
    expect(() => applyManualAction(action, w)).toThrow(/g-1/);
  });

  it('SET_SYNC_SWITCH flips the tenant switch', async () => {
    const w = await world();
    const feature = 'blockCloudObjectTakeoverThroughHardMatchEnabled';
    applyManualAction({ kind: 'SET_SYNC_SWITCH', feature, enabled: true }, w);
    expect(w.state.synchronization().features[feature]).toBe(true);
    expect(applyManualAction({ kind: 'SET_SYNC_SWITCH', feature, enabled: false }, w)).toBe(`turned ${feature} off`);
    expect(w.state.synchronization().features[feature]).toBe(false);
  });

  it('RESTORE_DELETED_USER brings the user back from the recycle bin', async () => {
    const w = await world();
    expect(w.state.deletedUser(IDS.asmithDeleted)).toBeDefined();
    applyManualAction({ kind: 'RESTORE_DELETED_USER', subject: { userId: IDS.asmithDeleted, userPrincipalName: 'asmith@contoso.com' } }, w);
    expect(w.state.deletedUser(IDS.asmithDeleted)).toBeUndefined();
    expect(w.state.activeUser(IDS.asmithDeleted)?.id).toBe(IDS.asmithDeleted);
  });

  it('RUN_MATCH_AGAIN changes nothing', async () => {
    const w = await world();
    const users = w.directory.users();
    const active = w.state.activeUsers().length;
    expect(applyManualAction({ kind: 'RUN_MATCH_AGAIN', command: 'match jdoe' }, w)).toBeUndefined();
    expect(w.directory.users()).toEqual(users);
    expect(w.state.activeUsers()).toHaveLength(active);
  });
});
