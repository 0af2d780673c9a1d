/**
 * The sync simulator's pure core: what Entra Connect's next delta sync does with one AD user, in
 * the service's matching order (docs/domain.md, "How Entra Connect matches"):
 * scope → the anchor's holder (update, restore, conflict, hard match) → soft match on the primary
 * SMTP address, then on the UPN → create. Each rule is one small function below. The 2026 rules
 * apply to every join (Entra Connect and Cloud Sync alike): a cloud-managed user is skipped, one
 * mapped to another on-premises object (`onPremisesObjectIdentifier`) is refused, and assigned and
 * PIM-eligible roles both block a hard match.
 */
import { isSmtpProxy, privilegedRoles, sameAddress, type CloudUser } from '../cloud.ts';
import { mappedToOtherObject, objectIdentifierOf } from '../object-identifier.ts';
import { exportedPrimarySmtp, exportedUserPrincipalName } from './ad-values.ts';
import { digitsFromAnchor, exportedValues, type ExportContext, type PlaceholderDigits } from './exported-values.ts';
import type { SyncOutcome, SyncSubject, SyncTenant } from './types.ts';

export interface PredictOptions {
  /** Four digits for a `+NNNN` placeholder UPN. Default: derived from the anchor (stable). */
  placeholderDigits?: PlaceholderDigits;
}

export function predictSync(subject: SyncSubject, tenant: SyncTenant, options: PredictOptions = {}): SyncOutcome {
  const holder = anchorHolder(tenant, subject.onPrem.anchor.immutableId);
  if (!subject.inScope) return outOfScope(holder);
  const ctx: ExportContext = { subject, tenant, placeholderDigits: options.placeholderDigits ?? digitsFromAnchor };
  if (holder) return matchAnchorHolder(ctx, holder);
  return softMatch(ctx) ?? { kind: 'CREATE', values: exportedValues(ctx, null) };
}

/** Entra keeps ImmutableIDs unique across active and deleted users; should data say otherwise, the active one wins. */
function anchorHolder(tenant: SyncTenant, immutableId: string): CloudUser | undefined {
  const holders = tenant.users.filter((u) => u.immutableId === immutableId);
  return holders.find((u) => u.deletedDateTime === null) ?? holders[0];
}

/** Rule: out of scope, a joined (active, synced) user is soft-deleted; anything else is left alone. */
function outOfScope(holder: CloudUser | undefined): SyncOutcome {
  if (holder && holder.synced && holder.deletedDateTime === null) return { kind: 'DELETE', userId: holder.id };
  return { kind: 'NOTHING' };
}

/** Rule: a user holding the anchor is updated (synced), restored (synced, deleted), or blocks (cloud-only, deleted). */
function matchAnchorHolder(ctx: ExportContext, holder: CloudUser): SyncOutcome {
  const deleted = holder.deletedDateTime !== null;
  if (!deleted) {
    const refused = hardenedRefusal(ctx, holder);
    if (refused) return refused;
  }
  if (holder.synced && !deleted) return { kind: 'UPDATE', userId: holder.id, values: exportedValues(ctx, holder) };
  if (holder.synced) return { kind: 'RESTORE', userId: holder.id, values: exportedValues(ctx, holder) };
  if (deleted) return { kind: 'ANCHOR_CONFLICT', userId: holder.id, deleted: true };
  return hardMatch(ctx, holder);
}

/** Rule: hard match onto an active cloud-only user, unless it holds an admin role (MC1262584) or takeover is blocked. */
function hardMatch(ctx: ExportContext, holder: CloudUser): SyncOutcome {
  if (privilegedRoles(holder).length > 0) return { kind: 'HARD_MATCH_BLOCKED', userId: holder.id, reason: 'ADMIN_ROLE' };
  if (ctx.tenant.facts.switches.blockCloudObjectTakeoverThroughHardMatchEnabled) {
    return { kind: 'HARD_MATCH_BLOCKED', userId: holder.id, reason: 'TAKEOVER_BLOCKED' };
  }
  return { kind: 'HARD_MATCH', userId: holder.id, values: exportedValues(ctx, holder) };
}

/** Rule: soft match on the primary SMTP address, then on the UPN when softMatchOnUpnEnabled; null = no candidate. */
function softMatch(ctx: ExportContext): SyncOutcome | null {
  const { onPrem } = ctx.subject;
  const active = ctx.tenant.users.filter((u) => u.deletedDateTime === null);
  const smtp = exportedPrimarySmtp(onPrem);
  if (smtp) {
    const byAddress = active.find((u) => holdsSmtp(u.proxyAddresses, smtp));
    if (byAddress) return softMatchOnto(ctx, byAddress, 'SMTP');
    const other = ctx.tenant.otherObjects.find((o) => holdsSmtp(o.proxyAddresses, smtp) || sameAddress(o.mail, smtp));
    if (other) return { kind: 'OBJECT_TYPE_MISMATCH', objectId: other.id };
  }
  if (!ctx.tenant.facts.switches.softMatchOnUpnEnabled) return null;
  const upn = exportedUserPrincipalName(onPrem);
  const byUpn = active.find((u) => sameAddress(u.userPrincipalName, upn));
  return byUpn ? softMatchOnto(ctx, byUpn, 'UPN') : null;
}

/**
 * Rule: a candidate already joined elsewhere (another ImmutableID, or synced) is an InvalidSoftMatch;
 * the tenant switch or an admin role blocks the match; otherwise the candidate is joined.
 */
function softMatchOnto(ctx: ExportContext, candidate: CloudUser, via: 'SMTP' | 'UPN'): SyncOutcome {
  const refused = hardenedRefusal(ctx, candidate);
  if (refused) return refused;
  if (candidate.immutableId !== null || candidate.synced) {
    return { kind: 'INVALID_SOFT_MATCH', userId: candidate.id, via, candidateImmutableId: candidate.immutableId ?? '' };
  }
  if (ctx.tenant.facts.switches.blockSoftMatchEnabled)
    return { kind: 'SOFT_MATCH_BLOCKED', userId: candidate.id, via, reason: 'TENANT_SWITCH' };
  if (privilegedRoles(candidate).length > 0) return { kind: 'SOFT_MATCH_BLOCKED', userId: candidate.id, via, reason: 'ADMIN_ROLE' };
  return { kind: 'SOFT_MATCH', userId: candidate.id, via, values: exportedValues(ctx, candidate) };
}

/**
 * Rules of 2026 before any join onto an active user: a cloud-managed user is skipped (source of
 * authority, GA January 2026); one mapped to another on-premises object is refused (hard-match
 * hardening, enforced from July 1, 2026). Null when neither applies.
 */
function hardenedRefusal(ctx: ExportContext, user: CloudUser): SyncOutcome | null {
  if (user.cloudManaged === true) return { kind: 'CLOUD_MANAGED', userId: user.id };
  if (mappedToOtherObject(user, ctx.subject.onPrem))
    return { kind: 'REMAP_BLOCKED', userId: user.id, mappedTo: objectIdentifierOf(user) ?? '' };
  return null;
}

/** Any SMTP proxy (primary or secondary) equal to the address, compared case-insensitively. */
function holdsSmtp(proxyAddresses: readonly string[], address: string): boolean {
  return proxyAddresses.some((p) => isSmtpProxy(p) && sameAddress(p.slice('smtp:'.length), address));
}
