/**
 * Whether the synced user joined to this AD object is a duplicate the sync created, rather than
 * the person's account. A join is the strongest tie there is, so it is only undone on proof, the
 * seeds' case: Entra Connect created the synced user for the AD object and, in that same export,
 * denied it the UPN or an address (a placeholder UPN, a quarantined address: PropertyConflict)
 * because an older cloud-only user held them. That older user is the person's account.
 *
 * "Created by the sync" is read from Graph: the synced user's `createdDateTime` is the moment of
 * its first denial (Entra records the conflict in the export that creates the object). A user that
 * was cloud-only first and was joined later (a hard match) was created long before any conflict
 * of its join, so a leftover conflict never makes a joined user a duplicate.
 */
import { sameAddress, type CloudUser, type ProvisioningConflict } from '../cloud.ts';
import { exportedUpn, isPlaceholderFor } from './conflicts.ts';
import { originalUpn } from './describe.ts';
import { addressesOf, isActive, type Situation } from './situation.ts';

/** Entra records a created object's conflicts in the export that creates it; allow for clock skew. */
export const CREATED_WITH_CONFLICT_MS = 60 * 60_000;

/** A value the sync could not give the duplicate. */
export interface Denial {
  property: 'UserPrincipalName' | 'ProxyAddress';
  /** The address or UPN, lower case, without `smtp:`. */
  value: string;
  /** When Entra recorded it (null when it only shows as a placeholder UPN). */
  since: string | null;
}

export interface DuplicateProof {
  duplicate: CloudUser;
  /** The older cloud-only user holding what the duplicate was denied: the person's account. */
  original: CloudUser;
  /** What the duplicate was denied that `original` holds. */
  denied: Denial[];
  /** True when createdDateTime shows the sync created it with the denial; false when Graph gave no dates. */
  bornDenied: boolean;
}

/** What the synced `user` was denied, from its provisioning errors and a placeholder UPN. */
export function denialsOf(s: Situation, user: CloudUser): Denial[] {
  const out: Denial[] = user.provisioningErrors.flatMap((e) => denialOf(e));
  const wanted = exportedUpn(s)?.upn;
  if (wanted && isPlaceholderFor(s, user.userPrincipalName) && !out.some((d) => d.property === 'UserPrincipalName')) {
    out.push({ property: 'UserPrincipalName', value: wanted.toLowerCase(), since: null });
  }
  return out;
}

function denialOf(e: ProvisioningConflict): Denial[] {
  if (e.property !== 'UserPrincipalName' && e.property !== 'ProxyAddress') return [];
  return [{ property: e.property, value: e.value.replace(/^smtp:/i, '').toLowerCase(), since: e.occurredDateTime }];
}

/** Whether `user` holds the value another was denied. */
export function holdsDenied(user: CloudUser, d: Denial): boolean {
  return d.property === 'UserPrincipalName' ? sameAddress(originalUpn(user), d.value) : addressesOf(user).includes(d.value);
}

/**
 * Proof for each active cloud-only user holding something `joined` was denied. `bornDenied` when
 * both creation dates are known, the holder is the older, and a denial was recorded when `joined`
 * was created; proofs without dates are kept (bornDenied false) for an admin's explicit choice.
 */
export function duplicateProofs(s: Situation, joined: CloudUser): DuplicateProof[] {
  const denials = denialsOf(s, joined);
  if (denials.length === 0) return [];
  const holders = s.users.filter((u) => isActive(u) && !u.synced && u.id !== joined.id);
  return holders.flatMap((original) => {
    const denied = denials.filter((d) => holdsDenied(original, d));
    if (denied.length === 0) return [];
    const proof = { duplicate: joined, original, denied, bornDenied: bornDenied(joined, original, denied) };
    // With dates known and disproving it, `joined` was cloud-only first and joined later: no proof.
    return proof.bornDenied || !datesKnown(joined, original) ? [proof] : [];
  });
}

function datesKnown(joined: CloudUser, original: CloudUser): boolean {
  return joined.createdDateTime !== null && original.createdDateTime !== null;
}

function bornDenied(joined: CloudUser, original: CloudUser, denied: readonly Denial[]): boolean {
  const created = time(joined.createdDateTime);
  const older = time(original.createdDateTime);
  if (Number.isNaN(created) || Number.isNaN(older) || older >= created) return false;
  return denied.some((d) => {
    const since = time(d.since);
    return !Number.isNaN(since) && Math.abs(since - created) <= CREATED_WITH_CONFLICT_MS;
  });
}

function time(iso: string | null): number {
  return iso === null ? Number.NaN : Date.parse(iso);
}

/** "the UPN jdoe@contoso.com and the address john.doe@contoso.com". */
export function deniedText(denied: readonly Denial[]): string {
  const upns = denied.filter((d) => d.property === 'UserPrincipalName').map((d) => `the UPN ${d.value}`);
  const addresses = denied.filter((d) => d.property === 'ProxyAddress').map((d) => d.value);
  const parts = [
    ...upns,
    ...(addresses.length === 0 ? [] : [`${addresses.length === 1 ? 'the address' : 'the addresses'} ${addresses.join(', ')}`]),
  ];
  return parts.join(' and ');
}
