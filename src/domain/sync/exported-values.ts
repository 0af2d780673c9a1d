/**
 * What an export writes once the service has adjusted it: an unverified UPN suffix moves to the
 * initial domain, and duplicate-attribute resiliency replaces a taken UPN by
 * `<prefix>+NNNN@<initial domain>` and quarantines taken proxy addresses, reporting each in
 * `onPremisesProvisioningErrors`. "Taken" means held by another active object: the user being
 * joined never conflicts with itself, and users in the recycle bin hold no UPN and block no address.
 */
import { domainOf, sameAddress, type CloudUser, type ProvisioningConflict } from '../cloud.ts';
import { exportedProxyAddresses, exportedUserPrincipalName } from './ad-values.ts';
import type { ExportedValues, SyncSubject, SyncTenant } from './types.ts';

/** Four digits for a placeholder UPN, derived from the anchor. */
export type PlaceholderDigits = (anchor: string) => string;

export interface ExportContext {
  subject: SyncSubject;
  tenant: SyncTenant;
  placeholderDigits: PlaceholderDigits;
}

/**
 * Default placeholder digits: a hash of the anchor (FNV-1a), so a prediction is stable from one
 * call to the next. The service picks its own digits; only the shape `+NNNN` is promised.
 */
export function digitsFromAnchor(anchor: string): string {
  let hash = 0x811c9dc5;
  for (const ch of anchor) hash = Math.imul(hash ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return String(hash % 10_000).padStart(4, '0');
}

/** The values exported onto `joined` (null for a new user). */
export function exportedValues(ctx: ExportContext, joined: CloudUser | null): ExportedValues {
  const { onPrem } = ctx.subject;
  const adUpn = exportedUserPrincipalName(onPrem);
  const upn = resolveUpn(ctx, adUpn, joined);
  const conflicts: ProvisioningConflict[] = upn.conflict ? [conflict('UserPrincipalName', upn.wanted)] : [];
  const quarantinedAddresses = exportedProxyAddresses(onPrem).filter((p) => proxyTaken(ctx.tenant, p, joined));
  conflicts.push(...quarantinedAddresses.map((p) => conflict('ProxyAddress', p)));
  return {
    immutableId: onPrem.anchor.immutableId,
    userPrincipalName: upn.value,
    ...(upn.value !== adUpn ? { upnAdjustment: { from: adUpn, reason: upn.conflict ? 'DUPLICATE' : 'UNVERIFIED_SUFFIX' } } : {}),
    quarantinedAddresses,
    conflicts,
  };
}

interface ResolvedUpn {
  value: string;
  /** The UPN the service wanted before a conflict (after the suffix rule). */
  wanted: string;
  conflict: boolean;
}

function resolveUpn(ctx: ExportContext, adUpn: string, joined: CloudUser | null): ResolvedUpn {
  const wanted = withVerifiedSuffix(ctx.tenant, adUpn);
  if (!upnTaken(ctx.tenant, wanted, joined)) return { value: wanted, wanted, conflict: false };
  const kept = keptSubstitute(joined, wanted);
  if (kept) return { value: kept, wanted, conflict: true };
  return { value: placeholderUpn(ctx, wanted, joined), wanted, conflict: true };
}

/** Rule: a UPN suffix that is not a verified domain of the tenant becomes the initial domain. */
function withVerifiedSuffix(tenant: SyncTenant, upn: string): string {
  const suffix = domainOf(upn);
  if (tenant.facts.domains.some((d) => d.name === suffix && d.verified)) return upn;
  return `${localPartOf(upn)}@${tenant.facts.initialDomain}`;
}

/** Rule: while the conflict lasts, a user keeps the substitute UPN the service already gave it. */
function keptSubstitute(joined: CloudUser | null, wanted: string): string | null {
  if (!joined || joined.deletedDateTime !== null || sameAddress(joined.userPrincipalName, wanted)) return null;
  const earlier = joined.provisioningErrors.some((e) => e.property === 'UserPrincipalName' && sameAddress(e.value, wanted));
  return earlier ? joined.userPrincipalName : null;
}

/** Rule: `<prefix>+NNNN@<initial domain>`, the next free number from the derived one. */
function placeholderUpn(ctx: ExportContext, wanted: string, joined: CloudUser | null): string {
  const start = Number.parseInt(ctx.placeholderDigits(ctx.subject.onPrem.anchor.immutableId), 10) || 0;
  const prefix = localPartOf(wanted);
  let candidate = '';
  for (let i = 0; i < 10_000; i++) {
    candidate = `${prefix}+${String((start + i) % 10_000).padStart(4, '0')}@${ctx.tenant.facts.initialDomain}`;
    if (!upnTaken(ctx.tenant, candidate, joined)) break;
  }
  return candidate;
}

function upnTaken(tenant: SyncTenant, upn: string, joined: CloudUser | null): boolean {
  return otherActiveUsers(tenant, joined).some((u) => sameAddress(u.userPrincipalName, upn));
}

/** `SMTP:` and `smtp:` of one address collide, as do different cases; a group's mail is an SMTP address. */
function proxyTaken(tenant: SyncTenant, proxy: string, joined: CloudUser | null): boolean {
  const key = proxy.toLowerCase();
  const sameProxy = (p: string): boolean => p.toLowerCase() === key;
  if (otherActiveUsers(tenant, joined).some((u) => u.proxyAddresses.some(sameProxy))) return true;
  return tenant.otherObjects.some((o) => o.proxyAddresses.some(sameProxy) || (o.mail !== null && sameProxy(`smtp:${o.mail}`)));
}

function otherActiveUsers(tenant: SyncTenant, joined: CloudUser | null): CloudUser[] {
  return tenant.users.filter((u) => u.deletedDateTime === null && u.id !== joined?.id);
}

function conflict(property: 'UserPrincipalName' | 'ProxyAddress', value: string): ProvisioningConflict {
  return { category: 'PropertyConflict', property, value, occurredDateTime: null };
}

function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}
