/**
 * The facts a diagnosis reasons about, computed once from the AD user and the cloud evidence:
 * both anchors, every cloud user once, and how each one is linked to the person (anchor, UPN,
 * addresses). Links are recomputed from the values themselves, not only taken from the evidence's
 * reasons, so a diagnosis stays right whatever look-up found the user.
 */
import { immutableIdOfGuidText, parseAnchor, toGuid, toImmutableId, tryParseAnchor } from '../anchors.ts';
import {
  domainOf,
  isSmtpProxy,
  primarySmtp,
  sameAddress,
  smtpAddresses,
  type CloudCandidate,
  type CloudEvidence,
  type CloudUser,
  type TenantFacts,
} from '../cloud.ts';
import { immutableIdOfValue } from '../onprem-addresses.ts';
import type { AnchorAttribute, OnPremUser } from '../onprem-user.ts';
import { originalUpn } from './describe.ts';

/** How a cloud user is tied to the AD user. */
export type Link = 'anchor' | 'otherAnchor' | 'upn' | 'primarySmtp' | 'address';

/** The AD user's anchor attribute that is NOT the effective one, when its value differs. */
export interface OtherAnchor {
  attribute: AnchorAttribute;
  guid: string;
  immutableId: string;
}

export interface Situation {
  who: string;
  onPrem: OnPremUser;
  evidence: CloudEvidence;
  /** The effective anchor's ImmutableID. */
  anchor: string;
  other: OtherAnchor | null;
  /** Every cloud user of the evidence (and the named target) once, active first. */
  users: CloudUser[];
  candidates: CloudCandidate[];
  links: ReadonlyMap<string, ReadonlySet<Link>>;
  /** The AD user's SMTP addresses and mail, lower case, primary first. */
  addresses: string[];
  primary: string | null;
}

export function buildSituation(who: string, onPrem: OnPremUser, evidence: CloudEvidence): Situation {
  const candidates = allCandidates(evidence);
  const users = candidates.map((c) => c.user);
  const other = otherAnchorOf(onPrem);
  const primary = (primarySmtp(onPrem.proxyAddresses) ?? onPrem.mail)?.toLowerCase() ?? null;
  const addresses = unique([primary, ...smtpAddresses(onPrem.proxyAddresses), onPrem.mail]);
  const base = { onPrem, anchor: onPrem.anchor.immutableId, other, primary, addresses };
  const links = new Map(candidates.map((c) => [c.user.id, linksOf(c, base)]));
  return { who, evidence, users, candidates, links, ...base };
}

/** Evidence candidates plus the named target, deduplicated by id, active users first. */
function allCandidates(evidence: CloudEvidence): CloudCandidate[] {
  const byId = new Map<string, CloudCandidate>();
  const add = (c: CloudCandidate): void => {
    const seen = byId.get(c.user.id);
    if (seen) seen.reasons = [...new Set([...seen.reasons, ...c.reasons])];
    else byId.set(c.user.id, { user: c.user, reasons: [...c.reasons] });
  };
  evidence.candidates.forEach(add);
  const target = evidence.target?.user;
  if (target) add({ user: target, reasons: ['target'] });
  const all = [...byId.values()];
  return [...all.filter((c) => c.user.deletedDateTime === null), ...all.filter((c) => c.user.deletedDateTime !== null)];
}

function otherAnchorOf(onPrem: OnPremUser): OtherAnchor | null {
  const values: [AnchorAttribute, string | null][] = [
    ['objectGUID', onPrem.objectGuid],
    ['mS-DS-ConsistencyGuid', onPrem.consistencyGuid],
  ];
  for (const [attribute, value] of values) {
    if (attribute === onPrem.anchor.attribute) continue;
    // Compared by ImmutableID first (cheap); the anchor itself is made only for the rare one that differs.
    const immutableId = immutableIdOfValue(value);
    if (immutableId === undefined || immutableId === onPrem.anchor.immutableId) continue;
    const anchor = value === null ? undefined : tryParseAnchor(value);
    if (anchor) return { attribute, guid: toGuid(anchor), immutableId };
  }
  return null;
}

type LinkBase = Pick<Situation, 'onPrem' | 'anchor' | 'other' | 'primary' | 'addresses'>;

function linksOf(candidate: CloudCandidate, s: LinkBase): Set<Link> {
  const u = candidate.user;
  const links = new Set<Link>(candidate.reasons.filter((r): r is Link => r !== 'target'));
  if (u.immutableId !== null && u.immutableId === s.anchor) links.add('anchor');
  if (u.immutableId !== null && u.immutableId === s.other?.immutableId) links.add('otherAnchor');
  if (sameAddress(originalUpn(u), s.onPrem.userPrincipalName)) links.add('upn');
  const held = addressesOf(u);
  if (s.primary !== null && held.includes(s.primary)) links.add('primarySmtp');
  if (s.addresses.some((a) => a !== s.primary && held.includes(a))) links.add('address');
  return links;
}

/** The SMTP addresses (and mail) a user or group holds, lower case. */
export function addressesOf(holder: { proxyAddresses: string[]; mail: string | null }): string[] {
  // As unique([...smtpAddresses(proxyAddresses), mail]), without the lists in between (every candidate, every diagnosis).
  const seen = new Set<string>();
  for (const p of holder.proxyAddresses) if (isSmtpProxy(p) && p.length > 'smtp:'.length) seen.add(p.slice('smtp:'.length).toLowerCase());
  if (holder.mail) seen.add(holder.mail.toLowerCase());
  return [...seen];
}

export function linksOfUser(s: Situation, user: CloudUser): ReadonlySet<Link> {
  return s.links.get(user.id) ?? new Set();
}

export function isActive(user: CloudUser): boolean {
  return user.deletedDateTime === null;
}

/** Users (active and deleted) holding this ImmutableID, except `exceptId`. */
export function holdersOf(s: Situation, immutableId: string, exceptId?: string): CloudUser[] {
  return s.users.filter((u) => u.immutableId === immutableId && u.id !== exceptId);
}

export function isVerifiedDomain(tenant: TenantFacts, domain: string): boolean {
  return tenant.domains.some((d) => d.name.toLowerCase() === domain && d.verified);
}

export function isFederatedDomain(tenant: TenantFacts, domain: string): boolean {
  return tenant.domains.some((d) => d.name.toLowerCase() === domain && d.federated);
}

/** Whether the AD UPN's suffix is a verified domain (true when the AD user has no UPN). */
export function onPremSuffixVerified(s: Situation): boolean {
  const upn = s.onPrem.userPrincipalName;
  return upn === null || isVerifiedDomain(s.evidence.tenant, domainOf(upn));
}

/** ImmutableID of a GUID text (the AD user's own values are always well formed). */
export function immutableIdOfGuid(guid: string): string {
  return immutableIdOfGuidText(guid) ?? toImmutableId(parseAnchor(guid));
}

function unique(values: readonly (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const v of values) if (v) seen.add(v.toLowerCase());
  return [...seen];
}
