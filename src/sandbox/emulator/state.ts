/**
 * EmulatorState: the emulated tenant. The HTTP routes and the sync simulator both go through
 * these methods, so Entra's rules hold whichever way a change arrives. Every record returned is a
 * copy; errors are GraphServiceError (the body Graph would answer).
 *
 * Two kinds of writers:
 * - Graph callers (the bot): `patchUser`, `deleteUser`, `restoreDeletedUser`, `purgeDeletedUser`.
 * - Entra Connect (the sync simulator): `createSyncedUser`, `updateSyncedUser`, `restoreSyncedUser`,
 *   `deleteUser`, `hardDeleteUser`; not blocked by the on-premises-mastered rule, subject to the service's
 *   anchor uniqueness and duplicate-attribute resiliency.
 */
import { randomUUID } from 'node:crypto';
import { foldCase } from './directory-values.ts';
import { graphErrors } from './graph-errors.ts';
import { removeGroupAddresses } from './group-writes.ts';
import { directoryRolesOf, roleMembers, transitiveMembers } from './membership.ts';
import {
  copyGroup,
  copyUser,
  type DirectoryMember,
  type DirectoryRoleRecord,
  type DomainRecord,
  type GroupRecord,
  type RoleEligibilityRecord,
  type SyncEngine,
  type SyncFeatureSwitches,
  type SyncSettingsRecord,
  type TenantRecord,
  type UserRecord,
} from './model.ts';
import { hardDeleteUser, purgeDeletedUser, restoreDeletedUser, softDeleteUser, type RestoreOptions } from './recycle-bin.ts';
import { CloudSyncService } from './cloud-sync.ts';
import { roleDefinition } from './role-definitions.ts';
import { eligibleRoleNames, type ExportKind } from './rules-2026.ts';
import { parseSeed, type SeedInput } from './seed.ts';
import { DirectoryStore } from './store.ts';
import { createSyncedUser, restoreSyncedUser, updateSyncedUser, type SyncDeps, type SyncedUserAttributes } from './sync-writes.ts';
import { patchUser, type UserPatch } from './user-writes.ts';

export interface EmulatorStateOptions {
  /** Clock for deletedDateTime, sync times, provisioning errors. Default: the system clock. */
  now?: () => Date;
  /** Randomness in [0, 1) for Entra's `+NNNN` UPN substitutes. Default: Math.random. */
  random?: () => number;
  /** Object ids for users the sync simulator creates. Default: crypto.randomUUID. */
  newId?: () => string;
}

/** A user holding an anchor, and whether it sits in the recycle bin. */
export interface AnchorHolder {
  user: UserRecord;
  deleted: boolean;
}

/** One successful write through Graph: `PATCH /users/{id}`, `DELETE /directory/deletedItems/{id}`... */
export interface GraphWrite {
  method: string;
  /** The caller's `x-ms-throttle-priority` (`low` for the bot's bulk writes), when it sent one. */
  priority?: string;
  /** `v1.0` or `beta`: the same path under both is a different property set. */
  version: string;
  path: string;
  /** The request body as sent ('' for none), so two writes to one path can be told apart. */
  body: string;
  status: number;
  at: string;
}

export class EmulatorState {
  readonly #store: DirectoryStore;
  readonly #deps: SyncDeps;

  /** The tenant's Entra Cloud Sync (service principal, job, provisioning logs); null for a Connect Sync-only tenant. */
  readonly cloudSync: CloudSyncService | null;

  private constructor(store: DirectoryStore, deps: SyncDeps) {
    this.#store = store;
    this.#deps = deps;
    this.cloudSync =
      store.syncEngine === 'connect-sync'
        ? null
        : new CloudSyncService(store.tenant.id, store.domains.find((d) => d.isDefault)?.id ?? store.tenant.initialDomain);
  }

  // Every call settles the store's user index once it returns (user-index.ts): the rules mutate
  // records in place, and the end of a call is where no write is under way. Done for every method,
  // so a writer added later is covered too.
  static {
    for (const name of Object.getOwnPropertyNames(EmulatorState.prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(EmulatorState.prototype, name);
      if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
      const method = descriptor.value as (this: EmulatorState, ...args: unknown[]) => unknown;
      Object.defineProperty(EmulatorState.prototype, name, {
        ...descriptor,
        value: function settled(this: EmulatorState, ...args: unknown[]): unknown {
          try {
            return method.apply(this, args);
          } finally {
            this.#store.settle();
          }
        },
      });
    }
  }

  /** Build a tenant from a seed (validated here; throws ConfigError naming bad fields). */
  static fromSeed(seed: SeedInput, options: EmulatorStateOptions = {}): EmulatorState {
    return new EmulatorState(new DirectoryStore(parseSeed(seed)), {
      now: options.now ?? (() => new Date()),
      random: options.random ?? Math.random,
      newId: options.newId ?? randomUUID,
    });
  }

  readonly #graphWrites: GraphWrite[] = [];

  /** Successful writes made through the Graph API (not the sync simulator's), oldest first. */
  graphWrites(): GraphWrite[] {
    return this.#graphWrites.map((w) => ({ ...w }));
  }

  /** Called by the HTTP pipeline for each successful non-GET operation ($batch parts included). */
  noteGraphWrite(write: Omit<GraphWrite, 'at'>): void {
    this.#graphWrites.push({ ...write, at: this.now().toISOString() });
  }

  get tenant(): TenantRecord {
    return { ...this.#store.tenant };
  }

  domains(): DomainRecord[] {
    return this.#store.domains.map((d) => ({ ...d }));
  }

  domain(name: string): DomainRecord | undefined {
    const d = this.#store.domain(name);
    return d && { ...d };
  }

  synchronization(): SyncSettingsRecord {
    const s = this.#store.sync;
    return { id: s.id, features: { ...s.features } };
  }

  /**
   * Graph `PATCH /directory/onPremisesSynchronization/{id}` (`Set-MsolDirSyncFeature` before it):
   * turn the tenant's match switches; only the switches given change.
   */
  setSyncFeatures(features: Partial<SyncFeatureSwitches>): void {
    const current = this.#store.sync.features;
    for (const name of ['blockSoftMatchEnabled', 'blockCloudObjectTakeoverThroughHardMatchEnabled', 'softMatchOnUpnEnabled'] as const) {
      const value = features[name];
      if (value !== undefined) current[name] = value;
    }
  }

  /** Active users, ordered by object id. */
  activeUsers(): UserRecord[] {
    return this.#store.activeUsers().map(copyUser);
  }

  #listed: { version: number; active: readonly UserRecord[]; deleted: readonly UserRecord[] } | undefined;

  /**
   * Active or deleted users by object id, as the HTTP listings page through them: one frozen array
   * per state of the tenant, the same array until a user changes (DirectoryStore.usersVersion), so
   * a listing read in pages sorts and filters once. Copies: the tenant cannot be changed through it.
   */
  listedUsers(kind: 'active' | 'deleted'): readonly UserRecord[] {
    const version = this.#store.usersVersion;
    if (this.#listed?.version !== version) {
      const freeze = (users: UserRecord[]): readonly UserRecord[] => Object.freeze(users.map((u) => Object.freeze(copyUser(u))));
      this.#listed = { version, active: freeze(this.#store.activeUsers()), deleted: freeze(this.#store.deletedUsers()) };
    }
    return kind === 'active' ? this.#listed.active : this.#listed.deleted;
  }

  /** Users in the recycle bin, ordered by object id. */
  deletedUsers(): UserRecord[] {
    return this.#store.deletedUsers().map(copyUser);
  }

  /** An active user by object id or UPN. */
  activeUser(idOrUpn: string): UserRecord | undefined {
    const u = this.#store.activeUser(idOrUpn);
    return u && copyUser(u);
  }

  deletedUser(id: string): UserRecord | undefined {
    const u = this.#store.deletedUser(id);
    return u && copyUser(u);
  }

  /** Every user, active or soft-deleted, holding this ImmutableID (compared exactly). */
  usersByImmutableId(immutableId: string): AnchorHolder[] {
    return [...this.#store.users.values()]
      .filter((u) => u.onPremisesImmutableId === immutableId)
      .map((u) => ({ user: copyUser(u), deleted: u.deletedDateTime !== null }));
  }

  /** Every group, ordered by object id (mail-enabled ones hold addresses a user may want). */
  groups(): GroupRecord[] {
    return [...this.#store.groups.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(copyGroup);
  }

  /** The tenant's clock: what sync times and deletion times are stamped with. */
  now(): Date {
    return this.#deps.now();
  }

  group(id: string): GroupRecord | undefined {
    const g = this.#store.groups.get(foldCase(id));
    return g && copyGroup(g);
  }

  /** An Exchange admin takes addresses off a mail-enabled group (group-writes.ts); 404 when no such group. */
  removeGroupAddresses(id: string, addresses: readonly string[]): GroupRecord {
    return removeGroupAddresses(this.#store, id, addresses);
  }

  /** Users and groups under a group, nested groups expanded; throws 404 when no such group. */
  transitiveMembers(groupId: string): DirectoryMember[] {
    const members = transitiveMembers(this.#store, groupId);
    if (!members) throw graphErrors.resourceNotFound(groupId);
    return members;
  }

  /** The directory roles an active user holds; throws 404 when no such active user. */
  directoryRolesOf(idOrUpn: string): DirectoryRoleRecord[] {
    const user = this.#store.activeUser(idOrUpn);
    if (!user) throw graphErrors.resourceNotFound(idOrUpn);
    return directoryRolesOf(this.#store, user.id);
  }

  /** The activated directory roles (copies), by id. */
  directoryRoles(): DirectoryRoleRecord[] {
    return [...this.#store.roles.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => ({ ...r, members: [...r.members] }));
  }

  /** A role by object id or roleTemplateId (Graph accepts either); throws 404 when none. */
  directoryRole(idOrTemplateId: string): DirectoryRoleRecord {
    const key = idOrTemplateId.toLowerCase();
    const role = [...this.#store.roles.values()].find((r) => r.id === key || r.roleTemplateId === key);
    if (!role) throw graphErrors.resourceNotFound(idOrTemplateId);
    return { ...role, members: [...role.members] };
  }

  /** A role's direct members: active users and role-assignable groups; throws 404 when no such role. */
  directoryRoleMembers(idOrTemplateId: string): DirectoryMember[] {
    return roleMembers(this.#store, this.directoryRole(idOrTemplateId));
  }

  /**
   * An admin assigns or removes a directory role (the portal, or Graph's
   * `POST|DELETE /directoryRoles/{id}/members`); 404 when the role or the active user is unknown.
   */
  setDirectoryRoleMember(roleIdOrName: string, userIdOrUpn: string, member: boolean): void {
    const key = roleIdOrName.toLowerCase();
    const role = [...this.#store.roles.values()].find((r) => r.id === key || r.displayName.toLowerCase() === key);
    if (!role) throw graphErrors.resourceNotFound(roleIdOrName);
    const user = this.#store.activeUser(userIdOrUpn);
    if (!user) throw graphErrors.resourceNotFound(userIdOrUpn);
    const others = role.members.filter((m) => m !== user.id);
    role.members = member ? [...others, user.id] : others;
  }

  /** Which engine(s) sync into the tenant: `connect-sync`, `cloud-sync` or `both`. */
  get syncEngine(): SyncEngine {
    return this.#store.syncEngine;
  }

  /** PIM role eligibilities (schedule instances), in seed order. */
  roleEligibilities(): RoleEligibilityRecord[] {
    return this.#store.eligibilities.map((e) => ({ ...e }));
  }

  /** Display names of the roles an active user is eligible for now; throws 404 when no such user. */
  eligibleRolesOf(idOrUpn: string): string[] {
    const user = this.#store.activeUser(idOrUpn);
    if (!user) throw graphErrors.resourceNotFound(idOrUpn);
    return eligibleRoleNames(this.#store, user.id, this.now());
  }

  /** An admin makes a user eligible for a built-in role in PIM, or removes the eligibility; 404 when unknown. */
  setRoleEligibility(roleIdOrName: string, userIdOrUpn: string, eligible: boolean): void {
    const definition = roleDefinition(roleIdOrName);
    if (!definition) throw graphErrors.resourceNotFound(roleIdOrName);
    const user = this.#store.activeUser(userIdOrUpn);
    if (!user) throw graphErrors.resourceNotFound(userIdOrUpn);
    const list = this.#store.eligibilities;
    const others = list.filter((e) => !(e.principalId === user.id && e.roleDefinitionId === definition.id));
    list.splice(0, list.length, ...others);
    if (eligible) {
      list.push({
        id: `eligibility-${this.#deps.newId()}`,
        principalId: user.id,
        roleDefinitionId: definition.id,
        startDateTime: this.now().toISOString(),
        endDateTime: null,
      });
    }
  }

  /**
   * Graph `PATCH /beta/users/{id}/onPremisesSyncBehavior`: move the source of authority to the cloud
   * (the user becomes editable through Graph and the sync leaves it alone) or back on-premises.
   */
  setCloudManaged(idOrUpn: string, isCloudManaged: boolean): UserRecord {
    const user = this.#store.activeUser(idOrUpn);
    if (!user) throw graphErrors.resourceNotFound(idOrUpn);
    user.isCloudManaged = isCloudManaged;
    if (isCloudManaged) user.onPremisesSyncEnabled = false;
    return copyUser(user);
  }

  /** Graph `PATCH /users/{id}`: all of Entra's write rules, all-or-nothing. */
  patchUser(idOrUpn: string, patch: UserPatch): UserRecord {
    return patchUser(this.#store, idOrUpn, patch);
  }

  /** Soft delete (Graph `DELETE /users/{id}`, or a sync deletion): into the recycle bin. */
  deleteUser(idOrUpn: string): UserRecord {
    return softDeleteUser(this.#store, idOrUpn, this.#deps.now());
  }

  restoreDeletedUser(id: string, options: RestoreOptions = {}): UserRecord {
    return restoreDeletedUser(this.#store, id, options);
  }

  /** Permanently delete a user from the recycle bin; its ImmutableID becomes free. */
  purgeDeletedUser(id: string): void {
    purgeDeletedUser(this.#store, id);
  }

  /** Remove a user (active or deleted) at once, bypassing the recycle bin. */
  hardDeleteUser(id: string): void {
    hardDeleteUser(this.#store, id);
  }

  /** Entra Connect provisions a new synced user. */
  createSyncedUser(attrs: SyncedUserAttributes): UserRecord {
    return createSyncedUser(this.#store, attrs, this.#deps);
  }

  /** Entra Connect exports AD values onto a user; on a cloud-only user this is the join (`kind` says by which match). */
  updateSyncedUser(id: string, attrs: Partial<SyncedUserAttributes>, kind: ExportKind = 'update'): UserRecord {
    return updateSyncedUser(this.#store, id, attrs, this.#deps, kind);
  }

  /** Entra Connect brings a soft-deleted synced user back (its AD object is in scope again) and exports onto it. */
  restoreSyncedUser(id: string, attrs: SyncedUserAttributes): UserRecord {
    return restoreSyncedUser(this.#store, id, attrs, this.#deps);
  }
}
