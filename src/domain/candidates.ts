/**
 * The order cloud candidates are listed in, wherever they were found (`match`'s Graph look-ups or a
 * scan's in-memory index): strongest reason first, active before deleted, then by object id. One
 * place, so a scan's diagnosis of a user is the one `match` shows.
 */
import type { CandidateReason, CloudCandidate, CloudUser } from './cloud.ts';

/** Strongest reason first. */
export const REASON_ORDER: readonly CandidateReason[] = ['target', 'anchor', 'otherAnchor', 'upn', 'primarySmtp', 'address'];

/**
 * The candidates sorted, each with its reasons in REASON_ORDER, its admin roles from `roles`
 * (active users; a user absent from `roles` keeps its own) and the roles it is eligible for
 * through PIM from `eligible` (the tenant facts' eligibleRoleHolders).
 */
export function orderCandidates(
  entries: Iterable<{ user: CloudUser; reasons: ReadonlySet<CandidateReason> }>,
  roles: ReadonlyMap<string, string[]>,
  eligible: Readonly<Record<string, string[]>> = {},
): CloudCandidate[] {
  const rank = (reasons: CandidateReason[]): number => Math.min(...reasons.map((r) => REASON_ORDER.indexOf(r)));
  return [...entries]
    .map((e) => ({
      user: withEligibleRoles({ ...e.user, adminRoles: roles.get(e.user.id) ?? e.user.adminRoles }, eligible),
      reasons: REASON_ORDER.filter((r) => e.reasons.has(r)),
    }))
    .sort(
      (a, b) =>
        rank(a.reasons) - rank(b.reasons) ||
        Number(a.user.deletedDateTime !== null) - Number(b.user.deletedDateTime !== null) ||
        (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0),
    );
}

/** An active user's PIM-eligible roles (a deleted user is eligible for nothing that matters). */
export function withEligibleRoles(user: CloudUser, eligible: Readonly<Record<string, string[]>>): CloudUser {
  const roles = user.deletedDateTime === null ? (eligible[user.id] ?? []) : [];
  return roles.length > 0 ? { ...user, eligibleRoles: [...roles] } : user;
}
