/**
 * Who else holds the person's names: cloud objects holding one of the AD user's SMTP addresses,
 * and users holding the UPN the sync would write. Shared by the plan (which asks a person to free
 * an address) and the findings (which explain what the sync does meanwhile).
 */
import { domainOf, sameAddress, type CloudGroup, type CloudUser } from '../cloud.ts';
import { groupLabel, localPart, originalUpn, userLabel } from './describe.ts';
import { addressesOf, isActive, onPremSuffixVerified, type Situation } from './situation.ts';

export type AddressHolder = { kind: 'user'; user: CloudUser } | { kind: 'group'; group: CloudGroup };

export interface AddressConflict {
  holder: AddressHolder;
  /** The AD user's addresses it holds, lower case. */
  addresses: string[];
  holdsPrimary: boolean;
}

export function holderId(holder: AddressHolder): string {
  return holder.kind === 'user' ? holder.user.id : holder.group.id;
}

export function holderLabel(holder: AddressHolder): string {
  return holder.kind === 'user' ? userLabel(holder.user) : groupLabel(holder.group);
}

/** Active users and groups, other than `exclude`, holding one of the AD user's addresses. */
export function addressConflicts(s: Situation, exclude: ReadonlySet<string>): AddressConflict[] {
  const holders: AddressHolder[] = [
    ...s.users.filter((u) => isActive(u) && !exclude.has(u.id)).map((user) => ({ kind: 'user' as const, user })),
    ...s.evidence.otherObjects.filter((g) => !exclude.has(g.id)).map((group) => ({ kind: 'group' as const, group })),
  ];
  return holders.flatMap((holder) => {
    const held = addressesOf(holder.kind === 'user' ? holder.user : holder.group);
    const addresses = s.addresses.filter((a) => held.includes(a));
    return addresses.length === 0 ? [] : [{ holder, addresses, holdsPrimary: s.primary !== null && addresses.includes(s.primary) }];
  });
}

/** The UPN the sync writes for the AD user, before a duplicate is detected. */
export interface ExportedUpn {
  upn: string;
  /** True when the AD suffix is not verified and Entra substitutes the initial domain. */
  substituted: boolean;
}

export function exportedUpn(s: Situation): ExportedUpn | null {
  const upn = s.onPrem.userPrincipalName;
  if (upn === null) return null;
  if (onPremSuffixVerified(s)) return { upn, substituted: false };
  return { upn: `${localPart(upn)}@${s.evidence.tenant.initialDomain}`, substituted: true };
}

/** The active user, other than `exclude`, already holding the UPN the sync would write. */
export function upnHolder(s: Situation, exclude: ReadonlySet<string>): CloudUser | null {
  const wanted = exportedUpn(s);
  if (!wanted) return null;
  return s.users.find((u) => isActive(u) && !exclude.has(u.id) && sameAddress(originalUpn(u), wanted.upn)) ?? null;
}

/** `jdoe+NNNN@contoso.onmicrosoft.com`: Entra's substitute for a duplicate UPN (the digits are random). */
export function placeholderUpn(s: Situation, upn: string): string {
  return `${localPart(upn)}+NNNN@${s.evidence.tenant.initialDomain}`;
}

/** Whether a UPN looks like Entra's duplicate substitute for this AD UPN. */
export function isPlaceholderFor(s: Situation, candidateUpn: string): boolean {
  const upn = s.onPrem.userPrincipalName;
  if (upn === null) return false;
  const initial = s.evidence.tenant.initialDomain;
  const prefix = localPart(upn).toLowerCase();
  const m = /^(.*)\+\d{4}$/.exec(localPart(candidateUpn).toLowerCase());
  return domainOf(candidateUpn) === initial.toLowerCase() && m?.[1] === prefix;
}
