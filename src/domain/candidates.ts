/**
 * The order cloud candidates are listed in, wherever they were found (`match`'s Graph look-ups or a
 * scan's in-memory index): strongest reason first, active before deleted, then by object id. One
 * place, so a scan's diagnosis of a user is the one `match` shows.
 */
import type { CandidateReason, CloudCandidate, CloudUser } from './cloud.ts';

/** Strongest reason first. */
export const REASON_ORDER: readonly CandidateReason[] = ['target', 'anchor', 'otherAnchor', 'upn', 'primarySmtp', 'address'];

/** The reasons a candidate was found for: a Set, or anything that answers `has` as one. */
export interface ReasonSet {
  has(reason: CandidateReason): boolean;
}

/**
 * The candidates sorted, each with its reasons in REASON_ORDER, its admin roles from `rolesOf`
 * and the roles it is eligible for through PIM from `eligible` (the tenant facts'
 * eligibleRoleHolders, or a look-up over them). A user is copied only when its roles differ from its own.
 */
export function orderCandidates(
  entries: Iterable<{ user: CloudUser; reasons: ReasonSet }>,
  rolesOf: (user: CloudUser) => readonly string[],
  eligible: Readonly<Record<string, string[]>> | ((id: string) => readonly string[] | undefined) = {},
): CloudCandidate[] {
  const rank = (reasons: CandidateReason[]): number => (reasons[0] === undefined ? Infinity : REASON_ORDER.indexOf(reasons[0]));
  const listed: CloudCandidate[] = [];
  for (const e of entries) {
    listed.push({
      user: withEligibleRoles(withRoles(e.user, rolesOf(e.user)), eligible),
      reasons: REASON_ORDER.filter((r) => e.reasons.has(r)),
    });
  }
  return listed.sort(
    (a, b) =>
      rank(a.reasons) - rank(b.reasons) ||
      Number(a.user.deletedDateTime !== null) - Number(b.user.deletedDateTime !== null) ||
      (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0),
  );
}

/** The user with these admin roles: itself when it holds exactly them already. */
function withRoles(user: CloudUser, roles: readonly string[]): CloudUser {
  const same = roles.length === user.adminRoles.length && roles.every((role, i) => role === user.adminRoles[i]);
  return same ? user : { ...user, adminRoles: [...roles] };
}

/**
 * An active user's PIM-eligible roles (a deleted user is eligible for nothing that matters), from
 * the tenant facts' eligibleRoleHolders or a look-up over them.
 */
export function withEligibleRoles(
  user: CloudUser,
  eligible: Readonly<Record<string, string[]>> | ((id: string) => readonly string[] | undefined),
): CloudUser {
  const held = typeof eligible === 'function' ? eligible(user.id) : eligible[user.id];
  const roles = user.deletedDateTime === null ? (held ?? []) : [];
  return roles.length > 0 ? { ...user, eligibleRoles: [...roles] } : user;
}
