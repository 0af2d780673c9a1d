/**
 * The tenant read once (a scan's cloud snapshot), indexed in memory so each AD user's evidence is
 * a handful of map look-ups instead of a `$batch` of Graph queries: the same look-ups `match`
 * makes (src/cloud-directory/evidence.ts), answered from the maps. Active and deleted users by
 * ImmutableID; active users by UPN, by every SMTP proxy address and by mail; groups by address.
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

export interface CloudIndex {
  /** Active and deleted users by onPremisesImmutableId. */
  byImmutableId: ReadonlyMap<string, readonly CloudUser[]>;
  byUpn: ReadonlyMap<string, readonly CloudUser[]>;
  byProxyAddress: ReadonlyMap<string, readonly CloudUser[]>;
  byMail: ReadonlyMap<string, readonly CloudUser[]>;
  groupsByAddress: ReadonlyMap<string, readonly CloudGroup[]>;
  /** Every user (active first), for counts. */
  userCount: number;
  deletedCount: number;
}

function add<T>(map: Map<string, T[]>, key: string | null | undefined, value: T): void {
  if (!key) return;
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}

export function indexCloud(snapshot: CloudSnapshotData): CloudIndex {
  const byImmutableId = new Map<string, CloudUser[]>();
  const byUpn = new Map<string, CloudUser[]>();
  const byProxyAddress = new Map<string, CloudUser[]>();
  const byMail = new Map<string, CloudUser[]>();
  const groupsByAddress = new Map<string, CloudGroup[]>();
  for (const user of snapshot.users) {
    add(byImmutableId, user.immutableId, user);
    add(byUpn, user.userPrincipalName.toLowerCase(), user);
    for (const address of smtpAddresses(user.proxyAddresses)) add(byProxyAddress, address.toLowerCase(), user);
    add(byMail, user.mail?.toLowerCase(), user);
  }
  // Deleted users are looked up by anchor only, as `match` does (their UPN and addresses are renamed or freed).
  for (const user of snapshot.deleted) add(byImmutableId, user.immutableId, user);
  for (const group of snapshot.groups)
    for (const address of smtpAddresses(group.proxyAddresses)) add(groupsByAddress, address.toLowerCase(), group);
  return {
    byImmutableId,
    byUpn,
    byProxyAddress,
    byMail,
    groupsByAddress,
    userCount: snapshot.users.length,
    deletedCount: snapshot.deleted.length,
  };
}

/** The reasons one candidate was found for, as bits (one small object per candidate, no Set). */
class FoundFor implements ReasonSet {
  readonly user: CloudUser;
  #bits = 0;
  constructor(user: CloudUser) {
    this.user = user;
  }
  get reasons(): ReasonSet {
    return this;
  }
  add(reason: CandidateReason): void {
    this.#bits |= 1 << REASON_ORDER.indexOf(reason);
  }
  has(reason: CandidateReason): boolean {
    return (this.#bits & (1 << REASON_ORDER.indexOf(reason))) !== 0;
  }
}

/** What `evidenceFor` answers for this AD user, from the index: candidates, groups, roles from the tenant facts. */
export function evidenceFromIndex(index: CloudIndex, onPrem: OnPremUser, tenant: TenantFacts): CloudEvidence {
  // A user is found a handful of times at most: a list beats a Map per AD user.
  const found: FoundFor[] = [];
  const note = (users: readonly CloudUser[] | undefined, reason: CandidateReason): void => {
    if (users === undefined) return;
    for (const user of users) {
      let entry = found.find((f) => f.user.id === user.id);
      if (entry === undefined) found.push((entry = new FoundFor(user)));
      entry.add(reason);
    }
  };
  const { anchor, other } = adAnchors(onPrem);
  note(index.byImmutableId.get(anchor), 'anchor');
  if (other) note(index.byImmutableId.get(other), 'otherAnchor');
  if (onPrem.userPrincipalName) note(index.byUpn.get(onPrem.userPrincipalName.toLowerCase()), 'upn');
  const { primary, all } = adAddresses(onPrem);
  const groups: CloudGroup[] = [];
  for (const address of all) {
    const key = address.toLowerCase();
    note(index.byProxyAddress.get(key), address === primary ? 'primarySmtp' : 'address');
    note(index.byMail.get(key), 'address');
    for (const group of index.groupsByAddress.get(key) ?? []) if (!groups.some((g) => g.id === group.id)) groups.push(group);
  }
  // Active users' roles are the tenant's role holders'; a deleted user keeps its own (as `match` does).
  const rolesOf = (user: CloudUser): readonly string[] =>
    user.deletedDateTime === null ? (tenant.roleHolders[user.id] ?? []) : user.adminRoles;
  return {
    candidates: orderCandidates(found, rolesOf, tenant.eligibleRoleHolders ?? {}),
    otherObjects: groups.sort((a, b) => (a.id < b.id ? -1 : 1)),
    tenant,
  };
}
