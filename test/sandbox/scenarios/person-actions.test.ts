/**
 * The person's part of a plan, played on the sandbox stand-ins: AD changes on the editable
 * directory (never on the caller's objects), cloud changes on the emulator's state.
 */
import { describe, expect, it } from 'vitest';
import { EmulatorState } from '../../../src/sandbox/emulator/index.ts';
import { listFixtureUsers } from '../../../src/sandbox/fixture-users.ts';
import {
  applyPersonAction,
  buildSandboxSeed,
  createEditableDirectory,
  firstRdn,
  IDS,
  inSandboxSyncScope,
  OU,
} from '../../../src/sandbox/scenarios/index.ts';

async function world(): Promise<Parameters<typeof applyPersonAction>[1]> {
  return {
    directory: createEditableDirectory(await listFixtureUsers()),
    state: EmulatorState.fromSeed(buildSandboxSeed({ now: new Date('2026-11-22T10:00:00Z') })),
  };
}

describe('firstRdn', () => {
  it('stops at the first unescaped comma', () => {
    expect(firstRdn('CN=John Doe,OU=Staff,DC=contoso,DC=com')).toBe('CN=John Doe');
    expect(firstRdn('CN=Doe\\, John,OU=Staff,DC=contoso,DC=com')).toBe('CN=Doe\\, John');
    expect(firstRdn('CN=Zoë (Ops) *Star\\\\ Ødegård,OU=Staff,DC=contoso,DC=com')).toBe('CN=Zoë (Ops) *Star\\\\ Ødegård');
  });
});

describe('applyPersonAction', () => {
  it('moves an AD object out of sync scope and back, keeping its name and anchor', async () => {
    const w = await world();
    const before = w.directory.user('jdoe');
    applyPersonAction({ kind: 'move-ad-object', samAccountName: 'jdoe', toOu: OU.notSynced }, w);
    const moved = w.directory.user('jdoe');
    expect(moved.dn).toBe('CN=John Doe,OU=Not Synced,DC=contoso,DC=com');
    expect(inSandboxSyncScope(moved)).toBe(false);
    expect(moved.anchor).toEqual(before.anchor);
    applyPersonAction({ kind: 'move-ad-object', samAccountName: 'jdoe', toOu: OU.staff }, w);
    expect(w.directory.user('jdoe').dn).toBe(before.dn);
  });

  it('changes the AD UPN on the directory copy only', async () => {
    const w = await world();
    const users = w.directory.users();
    applyPersonAction({ kind: 'set-ad-upn', samAccountName: 'elocal', userPrincipalName: 'elocal@contoso.com' }, w);
    expect(w.directory.user('elocal').userPrincipalName).toBe('elocal@contoso.com');
    expect(users.find((u) => u.samAccountName === 'elocal')?.userPrincipalName).toBe('elocal@contoso.local');
  });

  it("removes an alias from the other forest's object as its export would", async () => {
    const w = await world();
    applyPersonAction(
      { kind: 'remove-address-from-other-forest-object', userId: IDS.frontDesk, address: 'SMTP:Bruce.Wayne@contoso.com' },
      w,
    );
    const frontDesk = w.state.activeUser(IDS.frontDesk);
    expect(frontDesk?.proxyAddresses).toEqual(['SMTP:frontdesk@contoso.com']);
    expect(frontDesk?.onPremisesSyncEnabled).toBe(true);
  });

  it('takes Entra roles off a user and gives them back', async () => {
    const w = await world();
    const roles = (): string[] => w.state.directoryRolesOf(IDS.hadmin).map((r) => r.displayName);
    expect(roles()).toEqual(['Exchange Administrator']);
    applyPersonAction({ kind: 'remove-directory-roles', userId: IDS.hadmin, roles: ['Exchange Administrator'] }, w);
    expect(roles()).toEqual([]);
    applyPersonAction({ kind: 'assign-directory-roles', userId: IDS.hadmin, roles: ['Exchange Administrator'] }, w);
    expect(roles()).toEqual(['Exchange Administrator']);
  });

  it('refuses an AD user the directory does not have', async () => {
    const w = await world();
    expect(() => applyPersonAction({ kind: 'set-ad-upn', samAccountName: 'ghost', userPrincipalName: 'g@contoso.com' }, w)).toThrow(
      /no AD user ghost/,
    );
  });
});
