/**
 * The tenant's objects in memory, with the look-ups the rules need (who holds this anchor, this
 * UPN, this proxy address). No rule lives here: `rules.ts` decides, this answers questions.
 * Object ids are kept lower-case, as Graph returns them; look-ups ignore case.
 */
import type { ConflictHolder } from './graph-errors.ts';
import { foldCase, proxyKey, recycleBinUpn, sameText } from './directory-values.ts';
import type {
  DirectoryRoleRecord,
  DomainRecord,
  GroupRecord,
  RoleEligibilityRecord,
  SyncEngine,
  SyncSettingsRecord,
  TenantRecord,
  UserRecord,
} from './model.ts';
import { roleDefinition } from './role-definitions.ts';
import type { Seed, SeedUser } from './seed.ts';
import { UserIndex } from './user-index.ts';

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The users, counting every change that could reach a record: adding or removing one, and handing
 * one out for writing (`activeUser` / `deletedUser` are how every writer gets its record). Listings
 * are cached against this count, so a cached page is never older than the last write.
 */
class UserMap extends Map<string, UserRecord> {
  version = 0;
  readonly index: UserIndex = new UserIndex(this);
  override set(id: string, user: UserRecord): this {
    this.version += 1;
    this.index.touch(id);
    return super.set(id, user);
  }
  override delete(id: string): boolean {
    this.version += 1;
    this.index.touch(id);
    return super.delete(id);
  }
  override clear(): void {
    for (const id of this.keys()) this.index.touch(id);
    this.version += 1;
    super.clear();
  }
}

export class DirectoryStore {
  readonly tenant: TenantRecord;
  readonly domains: readonly DomainRecord[];
  readonly sync: SyncSettingsRecord;
  /** Active and soft-deleted users (deletedDateTime set), keyed by lower-case id. */
  readonly users = new UserMap();
  readonly groups = new Map<string, GroupRecord>();
  readonly roles = new Map<string, DirectoryRoleRecord>();
  /** PIM eligibilities, in seed order. */
  readonly eligibilities: RoleEligibilityRecord[] = [];
  readonly syncEngine: SyncEngine;
  /** Role definition ids (template ids) the calling app's service principal holds. */
  readonly appRoleIds: ReadonlySet<string>;

  constructor(seed: Seed) {
    this.tenant = { ...seed.tenant, initialDomain: foldCase(seed.tenant.initialDomain) };
    this.domains = seed.domains.map((d) => ({
      id: foldCase(d.id),
      isVerified: d.isVerified,
      isDefault: d.isDefault ?? false,
      isInitial: d.isInitial ?? foldCase(d.id) === foldCase(seed.tenant.initialDomain),
      authenticationType: d.authenticationType,
    }));
    this.sync = { id: foldCase(seed.onPremisesSynchronization.id), features: { ...seed.onPremisesSynchronization.features } };
    for (const u of seed.users) this.users.set(foldCase(u.id), userFromSeed(u));
    for (const g of seed.groups) {
      this.groups.set(foldCase(g.id), {
        id: foldCase(g.id),
        displayName: g.displayName,
        mail: g.mail ?? null,
        mailEnabled: g.mailEnabled ?? false,
        securityEnabled: g.securityEnabled ?? true,
        proxyAddresses: [...(g.proxyAddresses ?? [])],
        isAssignableToRole: g.isAssignableToRole ?? false,
        members: g.members.map(foldCase),
      });
    }
    for (const r of seed.directoryRoles) {
      this.roles.set(foldCase(r.id), {
        ...r,
        id: foldCase(r.id),
        roleTemplateId: foldCase(r.roleTemplateId),
        members: r.members.map(foldCase),
      });
    }
    seed.roleEligibilities.forEach((e, i) => {
      const definition = roleDefinition(e.role);
      if (!definition) return;
      this.eligibilities.push({
        id: `eligibility-${String(i + 1).padStart(4, '0')}`,
        principalId: foldCase(e.principalId),
        roleDefinitionId: definition.id,
        startDateTime: e.startDateTime ?? '2026-01-01T00:00:00Z',
        endDateTime: e.endDateTime ?? null,
      });
    });
    this.syncEngine = seed.syncEngine;
    this.appRoleIds = new Set(seed.app.directoryRoles.flatMap((r) => roleDefinition(r)?.id ?? []));
  }

  /** Users in a stable order (by id), so paging cursors stay valid while the tenant changes. */
  activeUsers(): UserRecord[] {
    return [...this.users.values()].filter((u) => u.deletedDateTime === null).sort(byId);
  }

  deletedUsers(): UserRecord[] {
    return [...this.users.values()].filter((u) => u.deletedDateTime !== null).sort(byId);
  }

  /** Counts changes to the users (see UserMap): equal counts, same users. */
  get usersVersion(): number {
    return this.users.version;
  }

  /** Re-index the records written since the last call (user-index.ts); EmulatorState calls it after each of its calls. */
  settle(): void {
    this.users.index.settle();
  }

  /** A record handed out for writing: the listings and the index count it as changed. */
  #writable(user: UserRecord | undefined): UserRecord | undefined {
    if (!user) return undefined;
    this.users.version += 1;
    this.users.index.touch(user.id);
    return user;
  }

  /** `/users/{id | userPrincipalName}`: an active user by object id, else by UPN. A writer's way in: counted as a change. */
  activeUser(idOrUpn: string): UserRecord | undefined {
    const byKey = this.users.get(foldCase(idOrUpn));
    if (byKey && byKey.deletedDateTime === null) return this.#writable(byKey);
    return this.#writable(
      this.users.index
        .candidates('upn', foldCase(idOrUpn))
        .find((u) => u.deletedDateTime === null && sameText(u.userPrincipalName, idOrUpn)),
    );
  }

  deletedUser(id: string): UserRecord | undefined {
    const user = this.users.get(foldCase(id));
    return user && user.deletedDateTime !== null ? this.#writable(user) : undefined;
  }

  domain(name: string): DomainRecord | undefined {
    return this.domains.find((d) => d.id === foldCase(name));
  }

  /** The user (active or in the recycle bin) holding an ImmutableID; compared exactly. */
  anchorHolder(immutableId: string, exceptId?: string): UserRecord | undefined {
    return this.users.index.candidates('anchor', immutableId).find((u) => u.onPremisesImmutableId === immutableId && u.id !== exceptId);
  }

  /** The active user holding a UPN; deleted users were renamed and hold none. */
  upnHolder(upn: string, exceptId?: string): UserRecord | undefined {
    return this.users.index
      .candidates('upn', foldCase(upn))
      .find((u) => u.deletedDateTime === null && u.id !== exceptId && sameText(u.userPrincipalName, upn));
  }

  /** The active user or group holding a proxy address (SMTP: and smtp: of one address collide). */
  proxyHolder(proxyAddress: string, exceptId?: string): ConflictHolder | undefined {
    const key = proxyKey(proxyAddress);
    const user = this.users.index
      .candidates('proxy', key)
      .find((u) => u.deletedDateTime === null && u.id !== exceptId && u.proxyAddresses.some((p) => proxyKey(p) === key));
    if (user) return { kind: 'User', id: user.id };
    const group = [...this.groups.values()].find((g) => g.id !== exceptId && g.proxyAddresses.some((p) => proxyKey(p) === key));
    return group ? { kind: 'Group', id: group.id } : undefined;
  }

  /** Remove every link to an object that is gone for good. */
  unlink(objectId: string): void {
    for (const g of this.groups.values()) g.members = g.members.filter((m) => m !== objectId);
    for (const r of this.roles.values()) r.members = r.members.filter((m) => m !== objectId);
  }
}

function userFromSeed(u: SeedUser): UserRecord {
  const id = foldCase(u.id);
  const deleted = u.deletedDateTime ?? null;
  return {
    id,
    userPrincipalName: deleted === null ? u.userPrincipalName : recycleBinUpn(id, u.userPrincipalName),
    displayName: u.displayName,
    mail: u.mail ?? null,
    proxyAddresses: [...(u.proxyAddresses ?? [])],
    accountEnabled: u.accountEnabled ?? true,
    userType: u.userType ?? 'Member',
    onPremisesImmutableId: u.onPremisesImmutableId ?? null,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? null,
    onPremisesLastSyncDateTime: u.onPremisesLastSyncDateTime ?? null,
    onPremisesDistinguishedName: u.onPremisesDistinguishedName ?? null,
    onPremisesSamAccountName: u.onPremisesSamAccountName ?? null,
    onPremisesUserPrincipalName: u.onPremisesUserPrincipalName ?? null,
    onPremisesProvisioningErrors: (u.onPremisesProvisioningErrors ?? []).map((e) => ({ ...e })),
    createdDateTime: u.createdDateTime ?? null,
    deletedDateTime: deleted,
    onPremisesObjectIdentifier: u.onPremisesObjectIdentifier == null ? null : foldCase(u.onPremisesObjectIdentifier),
    isCloudManaged: u.isCloudManaged ?? false,
    upnBeforeDeletion: deleted === null ? null : u.userPrincipalName,
  };
}
