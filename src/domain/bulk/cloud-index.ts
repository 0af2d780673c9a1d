/**
 * The tenant read once (a scan's cloud snapshot), indexed in memory so each AD user's evidence is
 * a handful of map look-ups instead of a `$batch` of Graph queries: the same look-ups `match`
 * makes (src/cloud-directory/evidence.ts), answered from the maps. Active and deleted users by
 * ImmutableID; in one map by lower-case key, active users by UPN, by every SMTP proxy address and
 * by mail, and groups by address. The maps hold the snapshot's own objects (no copies), and one
 * object, not a list, where a key has one holder (most keys).
 * Keys compare as Graph's filters do: ImmutableIDs exactly, UPNs and addresses case-insensitively.
 * Building it is linear in the number of objects, and each look-up is constant time.
 */
import { orderCandidates, REASON_ORDER, type ReasonSet } from '../candidates.ts';
import { smtpAddresses, type CandidateReason, type CloudEvidence, type CloudGroup, type CloudUser, type TenantFacts } from '../cloud.ts';
import { adAddresses, adAnchors } from '../onprem-addresses.ts';
import type { OnPremUser } from '../onprem-user.ts';

export interface CloudSnapshotData {
  users: readonly CloudUser[];
  deleted: readonly CloudUser[];
  groups: readonly CloudGroup[];
}

/** What a key is held by: one object (most keys) or several. */
export type Held<T> = T | T[];

/** The objects holding one lower-case UPN or SMTP address, by how they hold it. */
export interface AddressHolders {
  /** Active users whose userPrincipalName it is. */
  upn: Held<CloudUser> | undefined;
  /** Active users with it among their SMTP proxy addresses. */
  proxy: Held<CloudUser> | undefined;
  /** Active users whose mail it is. */
  mail: Held<CloudUser> | undefined;
  /** Mail-enabled groups with it among their SMTP proxy addresses. */
  groups: Held<CloudGroup> | undefined;
}

export interface CloudIndex {
  /** Active and deleted users by onPremisesImmutableId. */
  byImmutableId: ReadonlyMap<string, Held<CloudUser>>;
  /** UPNs and addresses (lower case) in one map, so an AD address costs one look-up, not three. */
  byAddress: ReadonlyMap<string, Readonly<AddressHolders>>;
  /** Every user (active first), for counts. */
  userCount: number;
  deletedCount: number;
}

/** `held` with `value` added (once). */
function withHolder<T>(held: Held<T> | undefined, value: T): Held<T> {
  if (held === undefined) return value;
  if (Array.isArray(held)) {
    if (!held.includes(value)) held.push(value);
    return held;
  }
  return held === value ? held : [held, value];
}

function forEachHolder<T>(held: Held<T> | undefined, visit: (value: T) => void): void {
  if (held === undefined) return;
  if (Array.isArray(held)) held.forEach(visit);
  else visit(held);
}

class IndexBuilder {
  readonly byImmutableId = new Map<string, Held<CloudUser>>();
  readonly byAddress = new Map<string, AddressHolders>();

  anchor(key: string | null, user: CloudUser): void {
    if (key) this.byImmutableId.set(key, withHolder(this.byImmutableId.get(key), user));
  }

  user(key: string | null | undefined, how: 'upn' | 'proxy' | 'mail', user: CloudUser): void {
    const entry = this.#entry(key);
    if (entry) entry[how] = withHolder(entry[how], user);
  }

  group(key: string, group: CloudGroup): void {
    const entry = this.#entry(key);
    if (entry) entry.groups = withHolder(entry.groups, group);
  }

  #entry(key: string | null | undefined): AddressHolders | undefined {
    if (!key) return undefined;
    const lower = key.toLowerCase();
    let entry = this.byAddress.get(lower);
    if (entry === undefined) this.byAddress.set(lower, (entry = { upn: undefined, proxy: undefined, mail: undefined, groups: undefined }));
    return entry;
  }
}

export function indexCloud(snapshot: CloudSnapshotData): CloudIndex {
  const built = new IndexBuilder();
  for (const user of snapshot.users) {
    built.anchor(user.immutableId, user);
    built.user(user.userPrincipalName, 'upn', user);
    for (const address of smtpAddresses(user.proxyAddresses)) built.user(address, 'proxy', user);
    built.user(user.mail, 'mail', user);
  }
  // Deleted users are looked up by anchor only, as `match` does (their UPN and addresses are renamed or freed).
  for (const user of snapshot.deleted) built.anchor(user.immutableId, user);
  for (const group of snapshot.groups) for (const address of smtpAddresses(group.proxyAddresses)) built.group(address, group);
  return {
    byImmutableId: built.byImmutableId,
    byAddress: built.byAddress,
    userCount: snapshot.users.length,
    deletedCount: snapshot.deleted.length,
  };
}

/** The reasons one candidate was found for, as bits (one small object per candidate, no Set). */
class FoundFor implements ReasonSet {
  readonly user: CloudUser;
  bits = 0;
  constructor(user: CloudUser) {
    this.user = user;
  }
  get reasons(): ReasonSet {
    return this;
  }
  has(reason: CandidateReason): boolean {
    return (this.bits & bitOf(reason)) !== 0;
  }
}

function bitOf(reason: CandidateReason): number {
  return 1 << REASON_ORDER.indexOf(reason);
}

/** Notes `user` as found for `bit` (a user is found a handful of times at most: a list beats a Map per AD user). */
function noteUser(found: FoundFor[], user: CloudUser, bit: number): void {
  for (const entry of found) {
    if (entry.user.id === user.id) {
      entry.bits |= bit;
      return;
    }
  }
  const entry = new FoundFor(user);
  entry.bits = bit;
  found.push(entry);
}

function note(found: FoundFor[], held: Held<CloudUser> | undefined, reason: CandidateReason): void {
  if (held === undefined) return;
  const bit = bitOf(reason);
  if (Array.isArray(held)) for (const user of held) noteUser(found, user, bit);
  else noteUser(found, held, bit);
}

/**
 * The tenant's role holders and PIM-eligible holders by user id, as Maps, worked out once per
 * tenant facts object (a scan reads them once): looking a fresh id string up in a Map is far
 * cheaper than as a property of a plain object, which interns the string first.
 */
const ROLES = new WeakMap<TenantFacts, { holders: Map<string, string[]>; eligible: Map<string, string[]> }>();

function rolesByUser(tenant: TenantFacts): { holders: Map<string, string[]>; eligible: Map<string, string[]> } {
  let known = ROLES.get(tenant);
  if (!known) {
    known = { holders: new Map(Object.entries(tenant.roleHolders)), eligible: new Map(Object.entries(tenant.eligibleRoleHolders ?? {})) };
    ROLES.set(tenant, known);
  }
  return known;
}

/** What `evidenceFor` answers for this AD user, from the index: candidates, groups, roles from the tenant facts. */
export function evidenceFromIndex(index: CloudIndex, onPrem: OnPremUser, tenant: TenantFacts): CloudEvidence {
  const found: FoundFor[] = [];
  const { anchor, other } = adAnchors(onPrem);
  note(found, index.byImmutableId.get(anchor), 'anchor');
  if (other) note(found, index.byImmutableId.get(other), 'otherAnchor');
  if (onPrem.userPrincipalName) note(found, index.byAddress.get(onPrem.userPrincipalName.toLowerCase())?.upn, 'upn');
  const { primary, all, lower } = adAddresses(onPrem);
  const groups: CloudGroup[] = [];
  for (const [i, address] of all.entries()) {
    const holders = index.byAddress.get(lower[i] ?? address.toLowerCase());
    if (holders === undefined) continue;
    note(found, holders.proxy, address === primary ? 'primarySmtp' : 'address');
    note(found, holders.mail, 'address');
    forEachHolder(holders.groups, (group) => {
      if (!groups.some((g) => g.id === group.id)) groups.push(group);
    });
  }
  // Active users' roles are the tenant's role holders'; a deleted user keeps its own (as `match` does).
  const roles = rolesByUser(tenant);
  const rolesOf = (user: CloudUser): readonly string[] =>
    user.deletedDateTime === null ? (roles.holders.get(user.id) ?? []) : user.adminRoles;
  return {
    candidates: orderCandidates(found, rolesOf, (id) => roles.eligible.get(id)),
    otherObjects: groups.sort((a, b) => (a.id < b.id ? -1 : 1)),
    tenant,
  };
}
