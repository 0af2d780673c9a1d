/**
 * `evidenceFor`: everything in the cloud that bears on one AD user, in one round trip.
 *
 * One `$batch` (more only past 20 look-ups, then chunks sent concurrently): users by UPN; by
 * `mail eq` and by `proxyAddresses/any(p:p eq 'smtp:…')` for every SMTP address of the AD user
 * (primary first); active and deleted users holding the effective anchor and, when it differs, the
 * other one (objectGUID vs mS-DS-ConsistencyGuid); groups holding any of the addresses
 * (ObjectTypeMismatch). Sent to `/beta/$batch`, so each user comes with `onPremisesObjectIdentifier`
 * and its `onPremisesSyncBehavior` (2026 rules) at no extra cost. The candidates' admin roles, and
 * the roles they are eligible for through PIM, come from the tenant facts' role holders
 * (read with the tenant facts, concurrently with the relay look-up), so no look-up waits on
 * another. With `freshRoles` the active candidates' roles are read again, now, in one more
 * round trip: for re-validation, which must not trust a cached read. Re-validation knows whom to
 * expect (the stored diagnosis's candidates), so their role reads ride in the look-ups' `$batch`
 * and that round trip is paid only for a candidate nobody expected.
 */
import type { Group } from '@microsoft/microsoft-graph-types';
import { orderCandidates } from '../domain/candidates.ts';
import { adAddresses, adAnchors } from '../domain/onprem-addresses.ts';
import {
  type CandidateReason,
  type CloudCandidate,
  type CloudEvidence,
  type CloudGroup,
  type CloudUser,
  type TenantFacts,
} from '../domain/cloud.ts';
import type { OnPremUser } from '../domain/onprem-user.ts';
import type { Operation } from './errors.ts';
import type { BatchAnswer, BatchGet, GraphTransport } from './graph-transport.ts';
import { GROUP_SELECT, toCloudGroup } from './mapping.ts';
import {
  activeUsersWhereBeta,
  ADVANCED_QUERY_HEADERS,
  answerOf,
  byImmutableId,
  byMail,
  byProxyAddress,
  byUpn,
  deletedUsersWhereBeta,
  filteredGet,
  GROUPS_PATH,
  usersOf,
  valuesOf,
} from './queries.ts';
import { readUserRoles, rolesOfUsers, userRolesRequest } from './role-holders.ts';

interface UserLookup {
  kind: 'users';
  request: BatchGet;
  reason: CandidateReason;
  op: Operation;
}

interface GroupLookup {
  kind: 'groups';
  request: BatchGet;
  op: Operation;
}

type Lookup = UserLookup | GroupLookup;

export interface EvidenceContext {
  /** Awaited only once the look-ups are sent: a tenant-facts read under way overlaps them. */
  tenant: TenantFacts | Promise<TenantFacts>;
  target?: { requested: string; user: CloudUser | null };
  /** Read the active candidates' roles now instead of taking them from `tenant.roleHolders`. */
  freshRoles?: boolean;
  /**
   * With `freshRoles`: the users expected among the active candidates (re-validation passes the
   * stored diagnosis's). Their roles are read now in the look-ups' own `$batch`; only an active
   * candidate not among them costs one more round trip.
   */
  expectedCandidates?: readonly string[];
}

export { adAddresses, adAnchors } from '../domain/onprem-addresses.ts';

export function evidenceLookups(onPrem: OnPremUser): Lookup[] {
  const who = onPrem.samAccountName;
  const usersOp: Operation = {
    what: `look up the cloud users that could collide with ${who}`,
    permission: 'User.Read.All (or User.ReadWrite.All)',
  };
  const groupsOp: Operation = { what: `look up the groups holding an address of ${who}`, permission: 'GroupMember.Read.All' };
  const users = (id: string, filter: string, reason: CandidateReason, deleted = false): UserLookup => ({
    kind: 'users',
    request: deleted ? deletedUsersWhereBeta(id, filter) : activeUsersWhereBeta(id, filter),
    reason,
    op: usersOp,
  });
  const { anchor, other } = adAnchors(onPrem);
  const { primary, all } = adAddresses(onPrem);
  const lookups: Lookup[] = [
    users('anchor', byImmutableId(anchor), 'anchor'),
    users('deleted-anchor', byImmutableId(anchor), 'anchor', true),
  ];
  if (other) {
    lookups.push(
      users('otherAnchor', byImmutableId(other), 'otherAnchor'),
      users('deleted-otherAnchor', byImmutableId(other), 'otherAnchor', true),
    );
  }
  if (onPrem.userPrincipalName) lookups.push(users('upn', byUpn(onPrem.userPrincipalName), 'upn'));
  all.forEach((address, i) => {
    lookups.push(users(`proxy-${i}`, byProxyAddress(address), address === primary ? 'primarySmtp' : 'address'));
    lookups.push(users(`mail-${i}`, byMail(address), 'address'));
    lookups.push({ kind: 'groups', request: filteredGet(`group-${i}`, GROUPS_PATH, byProxyAddress(address), GROUP_SELECT), op: groupsOp });
  });
  return lookups;
}

class CandidateSet {
  readonly #byId = new Map<string, { user: CloudUser; reasons: Set<CandidateReason> }>();

  add(user: CloudUser, reason: CandidateReason): void {
    const entry = this.#byId.get(user.id) ?? { user, reasons: new Set<CandidateReason>() };
    entry.reasons.add(reason);
    this.#byId.set(user.id, entry);
  }

  users(): CloudUser[] {
    return [...this.#byId.values()].map((e) => e.user);
  }

  /** Strongest reason first, active before deleted, then by id: stable for cards and tests. */
  list(roles: ReadonlyMap<string, string[]>, eligible: Readonly<Record<string, string[]>>): CloudCandidate[] {
    return orderCandidates(this.#byId.values(), (user) => roles.get(user.id) ?? user.adminRoles, eligible);
  }
}

async function readLookups(
  transport: GraphTransport,
  lookups: readonly Lookup[],
  answers: ReadonlyMap<string, BatchAnswer>,
): Promise<{ candidates: CandidateSet; groups: CloudGroup[] }> {
  const candidates = new CandidateSet();
  const groups = new Map<string, CloudGroup>();
  const results = await Promise.all(
    lookups.map(async (lookup) =>
      lookup.kind === 'users'
        ? { lookup, users: await usersOf(transport, lookup.op, answers, lookup.request.id), groups: [] }
        : {
            lookup,
            users: [],
            groups: await valuesOf<Group>(transport, lookup.op, answerOf(lookup.op, answers, lookup.request.id), {
              ...ADVANCED_QUERY_HEADERS,
            }),
          },
    ),
  );
  for (const { lookup, users, groups: found } of results) {
    if (lookup.kind === 'users') for (const user of users) candidates.add(user, lookup.reason);
    for (const group of found.map(toCloudGroup)) if (!groups.has(group.id)) groups.set(group.id, group);
  }
  return { candidates, groups: [...groups.values()].sort((a, b) => (a.id < b.id ? -1 : 1)) };
}

export async function evidenceFor(transport: GraphTransport, onPrem: OnPremUser, context: EvidenceContext): Promise<CloudEvidence> {
  const lookups = evidenceLookups(onPrem);
  const op: Operation = { what: `look up the cloud objects that could collide with ${onPrem.samAccountName}`, permission: 'User.Read.All' };
  const expected = context.freshRoles ? [...new Set((context.expectedCandidates ?? []).map((id) => id.toLowerCase()))] : [];
  const roleReads = expected.map((id, i) => userRolesRequest(freshRolesId(i), id));
  // On beta: the users' onPremisesObjectIdentifier and onPremisesSyncBehavior come in the same round trip.
  const sent = transport.batch(op, [...lookups.map((l) => l.request), ...roleReads], { version: 'beta' });
  // Both settle before either is awaited alone, so a failing tenant read never leaves the batch's rejection unhandled.
  const [answers, tenant] = await Promise.all([sent, context.tenant]);
  const { candidates, groups } = await readLookups(transport, lookups, answers);
  const targetUser = context.target?.user ?? null;
  if (targetUser) {
    // The batch's copy of the same user (if any) is the fresher one; reasons merge either way.
    const fresh = candidates.users().find((u) => u.id === targetUser.id);
    candidates.add(fresh ?? targetUser, 'target');
  }
  const active = candidates
    .users()
    .filter((u) => u.deletedDateTime === null)
    .map((u) => u.id);
  const roles = context.freshRoles
    ? await freshRolesOf(transport, active, expected, answers)
    : new Map(active.map((id) => [id, [...(tenant.roleHolders[id] ?? [])]]));
  const list = candidates.list(roles, tenant.eligibleRoleHolders ?? {});
  const evidence: CloudEvidence = { candidates: list, otherObjects: groups, tenant };
  if (context.target) {
    const enriched = targetUser ? (list.find((c) => c.user.id === targetUser.id)?.user ?? targetUser) : null;
    evidence.target = { requested: context.target.requested, user: enriched };
  }
  return evidence;
}

const freshRolesId = (i: number): string => `fresh-roles-${i}`;

/** The active candidates' roles read now: from the look-ups' batch where expected, else in one more `$batch`. */
async function freshRolesOf(
  transport: GraphTransport,
  active: readonly string[],
  expected: readonly string[],
  answers: ReadonlyMap<string, BatchAnswer>,
): Promise<Map<string, string[]>> {
  const unexpected = active.filter((id) => !expected.includes(id.toLowerCase()));
  const [fromBatch, more] = await Promise.all([
    Promise.all(
      active
        .filter((id) => !unexpected.includes(id))
        .map(async (id) => [id, await readUserRoles(transport, answers, freshRolesId(expected.indexOf(id.toLowerCase())))] as const),
    ),
    rolesOfUsers(transport, unexpected),
  ]);
  return new Map([...fromBatch, ...more]);
}
