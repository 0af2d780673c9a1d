/**
 * Which cloud user should end up joined to the AD user. The admin's explicit choice
 * (`match x to y`) wins; otherwise the one active cloud-only user tied to the person, preferring
 * the strongest tie (holds the anchor > UPN, primary SMTP or the other anchor > another address).
 * When the anchor is already joined to a synced user, a cloud-only user only counts as the
 * person's "real" account (scenario 1: the synced one is a duplicate) when it holds the AD UPN or
 * primary SMTP address: a weaker tie must never get a working synced account purged.
 */
import type { CloudUser } from '../cloud.ts';
import { isActive, linksOfUser, type Link, type Situation } from './situation.ts';

export type TargetChoice =
  /** An active user to join (cloud-only), or the synced user already joined / joined elsewhere. */
  | { kind: 'target'; user: CloudUser; explicit: boolean }
  /** Nothing in the cloud is tied to the person: the next sync creates a user. */
  | { kind: 'none' }
  /** Several cloud-only users are equally tied to the person: a person must pick one. */
  | { kind: 'multiple'; users: CloudUser[] }
  /** `match x to y` named a user that does not exist. */
  | { kind: 'missing'; requested: string }
  /** `match x to y` named a user in the recycle bin. */
  | { kind: 'deletedTarget'; requested: string; user: CloudUser }
  /** No active user, but a synced user in the recycle bin holds the anchor: the next sync restores it. */
  | { kind: 'restore'; user: CloudUser }
  /** No active user, but a cloud-only user in the recycle bin holds the anchor: restore or purge it. */
  | { kind: 'deletedHolder'; user: CloudUser };

const TIERS: readonly (readonly Link[])[] = [['anchor'], ['upn', 'primarySmtp', 'otherAnchor'], ['address']];

export function chooseTarget(s: Situation): TargetChoice {
  const named = s.evidence.target;
  if (named) {
    if (named.user === null) return { kind: 'missing', requested: named.requested };
    const user = s.users.find((u) => u.id === named.user?.id) ?? named.user;
    return isActive(user) ? { kind: 'target', user, explicit: true } : { kind: 'deletedTarget', requested: named.requested, user };
  }
  const active = s.users.filter(isActive);
  const has = (u: CloudUser, links: readonly Link[]): boolean => links.some((l) => linksOfUser(s, u).has(l));
  const cloudOnly = active.filter((u) => !u.synced);
  const joined = active.find((u) => u.synced && u.immutableId === s.anchor);
  if (joined) {
    const originals = cloudOnly.filter((u) => has(u, ['upn', 'primarySmtp']));
    return pick(originals) ?? { kind: 'target', user: joined, explicit: false };
  }
  for (const tier of TIERS) {
    const choice = pick(cloudOnly.filter((u) => has(u, tier)));
    if (choice) return choice;
  }
  // The person's account synced to another AD object (same UPN, or joined through the other anchor).
  const elsewhere = pick(active.filter((u) => u.synced && has(u, ['upn', 'otherAnchor'])));
  if (elsewhere) return elsewhere;
  const deletedHolder = s.users.find((u) => !isActive(u) && u.immutableId === s.anchor);
  if (deletedHolder) return { kind: deletedHolder.synced ? 'restore' : 'deletedHolder', user: deletedHolder };
  return { kind: 'none' };
}

function pick(users: CloudUser[]): TargetChoice | undefined {
  const [first] = users;
  if (!first) return undefined;
  return users.length === 1 ? { kind: 'target', user: first, explicit: false } : { kind: 'multiple', users };
}
