/**
 * What a person does for a MANUAL plan step, carried out on the sandbox's stand-ins: AD changes on
 * an editable copy of the fixture directory (what the simulated sync reads), cloud changes on the
 * Entra emulator's state. The scenario tests use this to play the person's part of a plan.
 */
import type { OnPremUser } from '../../domain/onprem-user.ts';
import type { EmulatorState } from '../../emulator/index.ts';
import { SANDBOX_ROLES } from './tenant-seed.ts';
import type { PersonAction } from './types.ts';

/** The AD users as a person can change them (move to another OU, new UPN). */
export interface EditableDirectory {
  /** Copies of every user, in the order given. */
  users(): OnPremUser[];
  /** A copy of one user; throws when there is none (a catalog typo, not a runtime condition). */
  user(samAccountName: string): OnPremUser;
  update(samAccountName: string, change: (user: OnPremUser) => OnPremUser): void;
}

export function createEditableDirectory(initial: readonly OnPremUser[]): EditableDirectory {
  const users = initial.map((u) => structuredClone(u));
  const indexOf = (sam: string): number => {
    const i = users.findIndex((u) => u.samAccountName.toLowerCase() === sam.toLowerCase());
    if (i < 0) throw new Error(`no AD user ${sam} in the sandbox directory`);
    return i;
  };
  return {
    users: () => users.map((u) => structuredClone(u)),
    user: (sam) => structuredClone(users[indexOf(sam)] as OnPremUser),
    update(sam, change) {
      const i = indexOf(sam);
      users[i] = change(structuredClone(users[i] as OnPremUser));
    },
  };
}

/** The first RDN of a DN (up to the first unescaped comma). */
export function firstRdn(dn: string): string {
  return /^(?:\\.|[^,\\])*/.exec(dn)?.[0] ?? dn;
}

export interface PersonWorld {
  directory: EditableDirectory;
  state: EmulatorState;
}

export function applyPersonAction(action: PersonAction, world: PersonWorld): void {
  const { directory, state } = world;
  switch (action.kind) {
    case 'move-ad-object':
      directory.update(action.samAccountName, (u) => ({ ...u, dn: `${firstRdn(u.dn)},${action.toOu}` }));
      return;
    case 'set-ad-upn':
      directory.update(action.samAccountName, (u) => ({ ...u, userPrincipalName: action.userPrincipalName }));
      return;
    case 'remove-address-from-other-forest-object': {
      // The other forest's Entra Connect exports the edited object: the address leaves its proxyAddresses.
      const holder = state.activeUser(action.userId);
      if (!holder) throw new Error(`no active cloud user ${action.userId}`);
      const proxyAddresses = holder.proxyAddresses.filter((p) => p.toLowerCase() !== action.address.toLowerCase());
      state.updateSyncedUser(action.userId, { proxyAddresses });
      return;
    }
    case 'remove-directory-roles':
      for (const role of action.roles) state.setDirectoryRoleMember(SANDBOX_ROLES[role].id, action.userId, false);
      return;
    case 'assign-directory-roles':
      for (const role of action.roles) state.setDirectoryRoleMember(SANDBOX_ROLES[role].id, action.userId, true);
      return;
    case 'set-sync-switch':
      // Graph `PATCH /directory/onPremisesSynchronization/{id}`.
      state.setSyncFeatures({ [action.feature]: action.enabled });
      return;
  }
}
