/**
 * What a person does for a MANUAL plan step, carried out on the sandbox's stand-ins: AD changes on
 * an editable copy of the fixture directory (what the simulated sync reads), cloud changes on the
 * Entra emulator's state. The scenario tests play the catalog's person actions with it; the
 * sandbox's manualDone carries out a MANUAL step's structured action (`applyManualAction`).
 */
import type { ManualAction } from '../../domain/diagnosis/types.ts';
import { sameDn } from '../../domain/dn.ts';
import type { OnPremUser } from '../../domain/onprem-user.ts';
import type { EmulatorState } from '../emulator/index.ts';
import { SANDBOX_ROLES } from './tenant-seed.ts';
import type { PersonAction, SeedSwitches } from './types.ts';
import { inSandboxSyncScope } from './values.ts';

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
  /** Other forests the same Entra Connect syncs (the sandbox's old Northwind forest); their objects can be moved too. */
  otherForests?: EditableDirectory;
}

/** Move an AD object under another parent: its DN changes, and the sandbox's sync scope follows the DN. */
function moveAdObject(directory: EditableDirectory, samAccountName: string, toOu: string): void {
  directory.update(samAccountName, (u) => ({ ...u, dn: `${firstRdn(u.dn)},${toOu}` }));
}

/** Eligibilities a person took away, per tenant and user, so "assign them again" gives back eligibility, not assignment. */
const removedEligibilities = new WeakMap<EmulatorState, Map<string, Set<string>>>();

function rememberRemoved(state: EmulatorState, userId: string): Set<string> {
  const byUser = removedEligibilities.get(state) ?? new Map<string, Set<string>>();
  removedEligibilities.set(state, byUser);
  const key = userId.toLowerCase();
  const set = byUser.get(key) ?? new Set<string>();
  byUser.set(key, set);
  return set;
}

/**
 * Entra roles (display names or ids) given to or taken from an active cloud user, the way an admin
 * does it: a role the user is only eligible for (PIM) loses its eligibility, and assigning it
 * "again" restores the eligibility rather than making it active; every other role is an assignment.
 */
function setRoles(state: EmulatorState, userId: string, roles: readonly string[], member: boolean): void {
  const eligible = new Set(state.eligibleRolesOf(userId).map((r) => r.toLowerCase()));
  const removed = rememberRemoved(state, userId);
  for (const role of roles) {
    const name = role.toLowerCase();
    if (!member && eligible.has(name)) {
      state.setRoleEligibility(role, userId, false);
      removed.add(name);
    } else if (member && removed.has(name)) {
      state.setRoleEligibility(role, userId, true);
      removed.delete(name);
    } else if (member || state.directoryRolesOf(userId).some((r) => r.displayName.toLowerCase() === name || r.id === name)) {
      state.setDirectoryRoleMember(role, userId, member);
    }
  }
}

/** Graph `PATCH /directory/onPremisesSynchronization/{id}`, as a Global Administrator does it. */
function setSyncSwitch(state: EmulatorState, feature: keyof SeedSwitches, enabled: boolean): void {
  state.setSyncFeatures({ [feature]: enabled });
}

/** An address without its `smtp:` prefix (either case), lower-case, for comparing. */
function bareAddress(address: string): string {
  return address.replace(/^smtp:/i, '').toLowerCase();
}

/**
 * Addresses removed from a synced cloud user the way its own Entra Connect exports the edit
 * (proxyAddresses, and mail when it is one of them).
 */
function removeCloudAddresses(state: EmulatorState, userId: string, addresses: readonly string[]): void {
  const holder = state.activeUser(userId);
  if (!holder) throw new Error(`no active cloud user ${userId}`);
  const gone = new Set(addresses.map(bareAddress));
  const proxyAddresses = holder.proxyAddresses.filter((p) => !gone.has(bareAddress(p)));
  const mail = holder.mail !== null && gone.has(bareAddress(holder.mail)) ? null : holder.mail;
  state.updateSyncedUser(userId, { proxyAddresses, mail });
}

export function applyPersonAction(action: PersonAction, world: PersonWorld): void {
  const { directory, state } = world;
  switch (action.kind) {
    case 'move-ad-object':
      moveAdObject(directory, action.samAccountName, action.toOu);
      return;
    case 'set-ad-upn':
      directory.update(action.samAccountName, (u) => ({ ...u, userPrincipalName: action.userPrincipalName }));
      return;
    case 'remove-address-from-other-forest-object':
      // The other forest's Entra Connect exports the edited object: the address leaves its proxyAddresses.
      removeCloudAddresses(state, action.userId, [action.address]);
      return;
    case 'remove-directory-roles':
      setRoles(
        state,
        action.userId,
        action.roles.map((r) => SANDBOX_ROLES[r].id),
        false,
      );
      return;
    case 'assign-directory-roles':
      setRoles(
        state,
        action.userId,
        action.roles.map((r) => SANDBOX_ROLES[r].id),
        true,
      );
      return;
    case 'set-sync-switch':
      setSyncSwitch(state, action.feature, action.enabled);
      return;
    case 'remove-role-eligibilities':
      for (const role of action.roles) state.setRoleEligibility(role, action.userId, false);
      return;
    case 'assign-role-eligibilities':
      for (const role of action.roles) state.setRoleEligibility(role, action.userId, true);
      return;
    case 'set-cloud-managed':
      state.setCloudManaged(action.userId, action.isCloudManaged);
      return;
  }
}

/**
 * The AD user at `dn` (the DN when the plan was made) in the editable directory. A plan's later
 * step names the DN an earlier step moved away from (scope out, then back in): then the one user
 * with the same name in the same domain is it. Throws when there is none.
 */
function userAtDn(directory: EditableDirectory, dn: string): OnPremUser {
  const users = directory.users();
  const exact = users.find((u) => sameDn(u.dn, dn));
  if (exact) return exact;
  const sameName = (u: OnPremUser): boolean =>
    sameDn(firstRdn(u.dn), firstRdn(dn)) && domainOf(u.dn).toLowerCase() === domainOf(dn).toLowerCase();
  const moved = users.filter(sameName);
  if (moved.length === 1 && moved[0]) return moved[0];
  throw new Error(`no AD user ${dn} in the sandbox directory`);
}

/** The `DC=` tail of a DN (its domain), e.g. `DC=contoso,DC=com`. */
function domainOf(dn: string): string {
  return /(?:^|(?<!\\),)\s*(DC=.*)$/i.exec(dn)?.[1] ?? '';
}

/** The directory that holds `dn`'s domain: another forest's when one of its objects is there, else the sandbox's own. */
function forestOf(world: PersonWorld, dn: string): EditableDirectory {
  const other = world.otherForests;
  const domain = domainOf(dn).toLowerCase();
  if (other?.users().some((u) => domainOf(u.dn).toLowerCase() === domain)) return other;
  return world.directory;
}

/**
 * In or out of the sandbox's sync scope the way the catalog moves objects: out into
 * `OU=Not Synced`, in to `OU=Staff`, under the object's own domain. Nothing moves when it is already there.
 */
function scope(world: PersonWorld, dn: string, inScope: boolean): string | undefined {
  const directory = forestOf(world, dn);
  const user = userAtDn(directory, dn);
  if (inSandboxSyncScope(user) === inScope) return undefined;
  const domain = domainOf(user.dn);
  const toOu = inScope ? `OU=Staff,${domain}` : `OU=Not Synced,${domain}`;
  moveAdObject(directory, user.samAccountName, toOu);
  return `moved ${user.dn} to ${toOu}`;
}

/** Addresses off the holder: on its AD object when the sandbox directory has it (the sync exports it), else in the cloud. */
function removeAddresses(world: PersonWorld, action: Extract<ManualAction, { kind: 'REMOVE_ADDRESSES' }>): string {
  const what = `removed ${action.addresses.join(', ')} from`;
  const onPrem = action.dn === null ? undefined : world.directory.users().find((u) => sameDn(u.dn, action.dn ?? ''));
  if (onPrem) {
    const gone = new Set(action.addresses.map(bareAddress));
    world.directory.update(onPrem.samAccountName, (u) => ({
      ...u,
      proxyAddresses: u.proxyAddresses.filter((p) => !gone.has(bareAddress(p))),
      mail: u.mail !== null && gone.has(bareAddress(u.mail)) ? null : u.mail,
    }));
    return `${what} AD user ${onPrem.dn}`;
  }
  if (action.objectKind === 'group') {
    // The Exchange admin center, as the step says: the group's addresses are Exchange Online's.
    world.state.removeGroupAddresses(action.objectId, action.addresses);
    return `${what} group ${action.objectId}`;
  }
  removeCloudAddresses(world.state, action.objectId, action.addresses);
  return `${what} cloud user ${action.objectId}`;
}

/** Another UPN for the holder: on its AD object when the sandbox directory has it (the sync exports it), else in the cloud. */
function freeUpn(world: PersonWorld, action: Extract<ManualAction, { kind: 'FREE_UPN' }>): string {
  const onPrem = action.dn === null ? undefined : world.directory.users().find((u) => sameDn(u.dn, action.dn ?? ''));
  if (onPrem) {
    world.directory.update(onPrem.samAccountName, (u) => ({ ...u, userPrincipalName: action.suggestion }));
    return `set the userPrincipalName of AD user ${onPrem.dn} to ${action.suggestion}`;
  }
  world.state.patchUser(action.objectId, { userPrincipalName: action.suggestion });
  return `renamed cloud user ${action.objectId} to ${action.suggestion}`;
}

/**
 * A MANUAL plan step's structured action carried out on the stand-ins (the person's part):
 * AD changes on the editable directory, cloud changes on the emulator's state. Answers what was
 * done, in words; undefined when there was nothing to do (RUN_MATCH_AGAIN, already in place).
 */
export function applyManualAction(action: ManualAction, world: PersonWorld): string | undefined {
  const { directory, state } = world;
  switch (action.kind) {
    case 'SCOPE_OUT':
    case 'SCOPE_IN':
      return scope(world, action.dn, action.kind === 'SCOPE_IN');
    case 'SET_ONPREM_UPN': {
      const user = userAtDn(directory, action.dn);
      directory.update(user.samAccountName, (u) => ({ ...u, userPrincipalName: action.to }));
      return `set the userPrincipalName of ${user.dn} to ${action.to}`;
    }
    case 'REMOVE_ADMIN_ROLES':
    case 'ASSIGN_ADMIN_ROLES': {
      const assign = action.kind === 'ASSIGN_ADMIN_ROLES';
      setRoles(state, action.subject.userId, action.roles, assign);
      return `${assign ? 'assigned' : 'removed'} ${action.roles.join(', ')} ${assign ? 'to' : 'from'} ${action.subject.userPrincipalName}`;
    }
    case 'REMOVE_ADDRESSES':
      return removeAddresses(world, action);
    case 'FREE_UPN':
      return freeUpn(world, action);
    case 'SET_SYNC_SWITCH':
      setSyncSwitch(state, action.feature, action.enabled);
      return `turned ${action.feature} ${action.enabled ? 'on' : 'off'}`;
    case 'RESTORE_DELETED_USER':
      state.restoreDeletedUser(action.subject.userId);
      return `restored ${action.subject.userPrincipalName} from the recycle bin`;
    case 'RUN_MATCH_AGAIN':
      return undefined;
  }
}
