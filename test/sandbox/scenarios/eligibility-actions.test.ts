/**
 * The person's part for PIM-eligible and cloud-managed targets on the sandbox stand-ins: removing
 * "the roles" of a user only eligible for one takes the eligibility away, assigning them again
 * gives back the eligibility (not an active assignment), assigned roles keep behaving as before;
 * and the catalog's person actions for eligibility and source of authority.
 */
import { describe, expect, it } from 'vitest';
import { EmulatorState } from '../../../src/sandbox/emulator/index.ts';
import { listFixtureUsers } from '../../../src/sandbox/fixture-users.ts';
import {
  applyManualAction,
  applyPersonAction,
  buildSandboxSeed,
  createEditableDirectory,
  IDS,
  type PersonWorld,
} from '../../../src/sandbox/scenarios/index.ts';

async function world(): Promise<PersonWorld> {
  const state = EmulatorState.fromSeed(buildSandboxSeed({ now: new Date('2026-11-22T10:00:00Z') }));
  return { directory: createEditableDirectory(await listFixtureUsers()), state };
}

const hadmin = { userId: IDS.hadmin, userPrincipalName: 'hadmin@contoso.com' };

describe('REMOVE_ADMIN_ROLES / ASSIGN_ADMIN_ROLES with PIM eligibility', () => {
  it('takes an eligibility away and gives it back as an eligibility; an assigned role comes back assigned', async () => {
    const w = await world();
    w.state.setRoleEligibility('User Administrator', IDS.hadmin, true);
    const roles = ['Exchange Administrator', 'User Administrator'];
    applyManualAction({ kind: 'REMOVE_ADMIN_ROLES', subject: hadmin, roles }, w);
    expect(w.state.eligibleRolesOf(IDS.hadmin)).toEqual([]);
    expect(w.state.directoryRolesOf(IDS.hadmin)).toEqual([]);
    applyManualAction({ kind: 'ASSIGN_ADMIN_ROLES', subject: hadmin, roles }, w);
    expect(w.state.eligibleRolesOf(IDS.hadmin)).toEqual(['User Administrator']);
    expect(w.state.directoryRolesOf(IDS.hadmin).map((r) => r.displayName)).toEqual(['Exchange Administrator']);
  });
});

describe('person actions of the 2026 scenarios', () => {
  it('remove-role-eligibilities and assign-role-eligibilities edit PIM eligibility', async () => {
    const w = await world();
    applyPersonAction({ kind: 'assign-role-eligibilities', userId: IDS.hadmin, roles: ['Global Administrator'] }, w);
    expect(w.state.eligibleRolesOf(IDS.hadmin)).toEqual(['Global Administrator']);
    applyPersonAction({ kind: 'remove-role-eligibilities', userId: IDS.hadmin, roles: ['Global Administrator'] }, w);
    expect(w.state.eligibleRolesOf(IDS.hadmin)).toEqual([]);
  });

  it('set-cloud-managed moves the source of authority', async () => {
    const w = await world();
    applyPersonAction({ kind: 'set-cloud-managed', userId: IDS.lmatched, isCloudManaged: true }, w);
    expect(w.state.activeUser(IDS.lmatched)).toMatchObject({ isCloudManaged: true, onPremisesSyncEnabled: false });
    applyPersonAction({ kind: 'set-cloud-managed', userId: IDS.lmatched, isCloudManaged: false }, w);
    expect(w.state.activeUser(IDS.lmatched)?.isCloudManaged).toBe(false);
  });
});
