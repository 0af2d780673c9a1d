/**
 * Which cloud user should end up joined to the AD user. A join is the strongest tie there is: the
 * synced user holding the AD user's effective anchor is the person's account, whatever else holds
 * their UPN or addresses (what is left over becomes findings and steps on it, never a purge). Only
 * proof that the sync created it as a duplicate (`duplicate-proof.ts`) makes the older cloud-only
 * user the target. The admin's explicit choice (`match x to y`) wins, except that it never undoes
 * a join without that proof. Without a join: the one active cloud-only user tied to the person,
 * preferring the strongest tie (holds the anchor > UPN, primary SMTP or the other anchor > another
 * address).
 */
import type { CloudUser } from '../cloud.ts';
import { duplicateProofs, type DuplicateProof } from './duplicate-proof.ts';
import { isActive, linksOfUser, type Link, type Situation } from './situation.ts';

export type TargetChoice =
  /** An active user to join (cloud-only), or the synced user already joined / joined elsewhere. */
  | { kind: 'target'; user: CloudUser; explicit: boolean; duplicate?: DuplicateProof }
  /** `match x to y` named a user other than the one joined to x, with no proof that one is a duplicate. */
  | { kind: 'joinedElsewhere'; requested: string; user: CloudUser; joined: CloudUser }
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
  const joined = s.users.find((u) => isActive(u) && u.synced && u.immutableId === s.anchor);
  const named = s.evidence.target;
  if (named) {
    if (named.user === null) return { kind: 'missing', requested: named.requested };
    const user = s.users.find((u) => u.id === named.user?.id) ?? named.user;
    if (!isActive(user)) return { kind: 'deletedTarget', requested: named.requested, user };
    if (!joined || joined.id === user.id) return { kind: 'target', user, explicit: true };
    // The admin named the person's account: proof without dates (Graph gave none) is enough then.
    const proof = duplicateProofs(s, joined).find((p) => p.original.id === user.id);
    return proof
      ? { kind: 'target', user, explicit: true, duplicate: proof }
      : { kind: 'joinedElsewhere', requested: named.requested, user, joined };
  }
  if (joined) return joinedChoice(s, joined);
  const active = s.users.filter(isActive);
  const has = (u: CloudUser, links: readonly Link[]): boolean => links.some((l) => linksOfUser(s, u).has(l));
  const cloudOnly = active.filter((u) => !u.synced);
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

/** The joined user, unless the sync provably created it as a duplicate of an older cloud-only user. */
function joinedChoice(s: Situation, joined: CloudUser): TargetChoice {
  const proofs = duplicateProofs(s, joined).filter((p) => p.bornDenied);
  const [only] = proofs;
  if (!only) return { kind: 'target', user: joined, explicit: false };
  if (proofs.length > 1) return { kind: 'multiple', users: proofs.map((p) => p.original) };
  return { kind: 'target', user: only.original, explicit: false, duplicate: only };
}

function pick(users: CloudUser[]): TargetChoice | undefined {
  const [first] = users;
  if (!first) return undefined;
  return users.length === 1 ? { kind: 'target', user: first, explicit: false } : { kind: 'multiple', users };
}
