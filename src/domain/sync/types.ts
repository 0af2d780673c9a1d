/**
 * The sync simulator's pure core: what Entra Connect does with one AD user on the next delta sync,
 * given the tenant as it is. Used twice: by the diagnosis (predict the next sync now and after the
 * plan) and by the sandbox's sync runner (apply the outcome to the Entra emulator).
 * Rules: docs/domain.md, "How Entra Connect matches".
 */
import type { CloudGroup, CloudUser, ProvisioningConflict, TenantFacts } from '../cloud.ts';
import type { OnPremUser } from '../onprem-user.ts';

/** The tenant as the sync engine sees it: every user (active and deleted) and every other object. */
export interface SyncTenant {
  /** Active and soft-deleted users (`deletedDateTime` set). */
  users: CloudUser[];
  /** Non-user objects that hold addresses (mail-enabled groups). */
  otherObjects: CloudGroup[];
  facts: TenantFacts;
}

export interface SyncSubject {
  onPrem: OnPremUser;
  /** False when the AD object is outside Entra Connect's sync scope (filtered OU, attribute filter). */
  inScope: boolean;
}

/** The cloud values an export would write (after the service's adjustments). */
export interface ExportedValues {
  immutableId: string;
  /** The UPN the cloud user ends up with: AD UPN, or onmicrosoft/`+NNNN` substitute. */
  userPrincipalName: string;
  /** Set when the service changes the AD UPN (unverified suffix or duplicate). */
  upnAdjustment?: { from: string; reason: 'UNVERIFIED_SUFFIX' | 'DUPLICATE' };
  /** Proxy addresses dropped because another object holds them (quarantined). */
  quarantinedAddresses: string[];
  /** What `onPremisesProvisioningErrors` will show. */
  conflicts: ProvisioningConflict[];
}

/**
 * What the next sync does with the subject. "Joined" means the cloud user holds the anchor and is
 * synced afterwards.
 */
export type SyncOutcome =
  /** Already joined: a synced user holds the anchor; its attributes are refreshed from AD. */
  | { kind: 'UPDATE'; userId: string; values: ExportedValues }
  /** Hard match onto a cloud-only user holding the anchor: joins it. */
  | { kind: 'HARD_MATCH'; userId: string; values: ExportedValues }
  /** Soft match on primary SMTP or UPN onto a cloud-only user without an anchor: joins it. */
  | { kind: 'SOFT_MATCH'; userId: string; via: 'SMTP' | 'UPN'; values: ExportedValues }
  /** A soft-deleted synced user holds the anchor: the sync restores and joins it. */
  | { kind: 'RESTORE'; userId: string; values: ExportedValues }
  /** No match: a new synced user is created (a duplicate, when the person already has a cloud user). */
  | { kind: 'CREATE'; values: ExportedValues }
  /** The soft-match candidate already holds a different ImmutableID: export error, nothing joined. */
  | { kind: 'INVALID_SOFT_MATCH'; userId: string; via: 'SMTP' | 'UPN'; candidateImmutableId: string }
  /** The address belongs to a non-user object: export error. */
  | { kind: 'OBJECT_TYPE_MISMATCH'; objectId: string }
  /** Hard match refused: the holder has (or is eligible for, through PIM) an admin role, or the tenant blocks cloud object takeover. */
  | { kind: 'HARD_MATCH_BLOCKED'; userId: string; reason: 'ADMIN_ROLE' | 'TAKEOVER_BLOCKED' }
  /** Soft match refused: the candidate has an admin role, or blockSoftMatchEnabled is on. */
  | { kind: 'SOFT_MATCH_BLOCKED'; userId: string; via: 'SMTP' | 'UPN'; reason: 'ADMIN_ROLE' | 'TENANT_SWITCH' }
  /** The anchor is held by a cloud-only deleted user (or another active synced object): export fails with ObjectConflict. */
  | { kind: 'ANCHOR_CONFLICT'; userId: string; deleted: boolean }
  /**
   * Since July 1, 2026: the cloud user the sync would map is mapped to another on-premises object
   * (`onPremisesObjectIdentifier`); the export fails with REMAP_BLOCKED_TEXT, nothing is joined.
   */
  | { kind: 'REMAP_BLOCKED'; userId: string; mappedTo: string }
  /** The cloud user the sync would map is cloud-managed (source of authority in the cloud): the sync skips it. */
  | { kind: 'CLOUD_MANAGED'; userId: string }
  /** Out of sync scope and not joined: nothing happens. */
  | { kind: 'NOTHING' }
  /** Out of sync scope and joined: the synced user is soft-deleted. */
  | { kind: 'DELETE'; userId: string };

/** Signature of the core: `predictSync(subject, tenant)` in `predict.ts`. */
export type PredictSync = (subject: SyncSubject, tenant: SyncTenant) => SyncOutcome;
