/**
 * The cloud side as the domain sees it: our own types, independent of Microsoft Graph. The cloud
 * directory module (`src/cloud-directory`) maps Graph resources onto these; the diagnosis, the
 * sync simulator's core and the cards only ever see these.
 */

/** One entry of a user's `onPremisesProvisioningErrors` (duplicate-attribute resiliency). */
export interface ProvisioningConflict {
  /** Graph's category, e.g. `PropertyConflict`. */
  category: string;
  /** `UserPrincipalName` or `ProxyAddress` (Graph's `propertyCausingError`). */
  property: string;
  /** The value that was taken by another object. */
  value: string;
  /** ISO 8601, or null when Graph did not say. */
  occurredDateTime: string | null;
}

/** An Entra ID user, active or in the recycle bin. */
export interface CloudUser {
  /** Object id (GUID text, lower case). */
  id: string;
  /** For a deleted user this is the renamed UPN Entra shows (`<id without dashes><UPN>`). */
  userPrincipalName: string;
  displayName: string | null;
  mail: string | null;
  /** `SMTP:` primary, `smtp:` secondary, as Graph returns them. */
  proxyAddresses: string[];
  accountEnabled: boolean | null;
  /** `onPremisesImmutableId`: base64 of the anchor bytes, or null. */
  immutableId: string | null;
  /** `onPremisesSyncEnabled === true`: the user is mastered on-premises ("synced"). */
  synced: boolean;
  /** ISO 8601 of the last export from Entra Connect, or null. */
  lastSyncDateTime: string | null;
  onPremisesDistinguishedName: string | null;
  onPremisesSamAccountName: string | null;
  onPremisesUserPrincipalName: string | null;
  provisioningErrors: ProvisioningConflict[];
  /**
   * ISO 8601 of when the object was created (Graph's `createdDateTime`), or null when unknown. A
   * synced user created at the moment Entra recorded its first conflict was made by the sync.
   */
  createdDateTime: string | null;
  /** ISO 8601 while the user sits in the recycle bin (soft-deleted); null when active. */
  deletedDateTime: string | null;
  /** Display names of the Entra directory roles the user holds (empty when none, or not looked up). */
  adminRoles: string[];
  /**
   * Display names of the roles the user is only *eligible* for through PIM (Privileged Identity
   * Management); since MC1262584 (June 2026) Entra refuses a hard match onto them as onto holders.
   * Absent or empty when none (or not looked up).
   */
  eligibleRoles?: string[];
  /**
   * `onPremisesObjectIdentifier` (beta): the on-premises object the sync mapped this user to (the
   * AD objectGUID as GUID text). Since July 1, 2026 a sync mapping the user to any other object is
   * refused. Absent or null when never synced (or not read).
   */
  onPremisesObjectIdentifier?: string | null;
  /**
   * `onPremisesSyncBehavior.isCloudManaged` (source of authority moved to the cloud, GA January
   * 2026): the sync skips the user. Absent means false (or not read).
   */
  cloudManaged?: boolean;
}

/** Assigned and PIM-eligible roles together: what Entra's hard-match refusal looks at. */
export function privilegedRoles(user: CloudUser): string[] {
  return [...new Set([...user.adminRoles, ...(user.eligibleRoles ?? [])])];
}

/** A cloud object that is not a user but holds an address a user could want (ObjectTypeMismatch). */
export interface CloudGroup {
  id: string;
  displayName: string;
  mail: string | null;
  proxyAddresses: string[];
}

export interface TenantDomain {
  /** The domain name, lower case. */
  name: string;
  verified: boolean;
  federated: boolean;
  initial: boolean;
  default: boolean;
}

/** Entra Connect's tenant switches (`directory/onPremisesSynchronization` features). */
export interface SyncSwitches {
  blockSoftMatchEnabled: boolean;
  blockCloudObjectTakeoverThroughHardMatchEnabled: boolean;
  softMatchOnUpnEnabled: boolean;
}

export interface TenantFacts {
  /** `<name>.onmicrosoft.com`, lower case. */
  initialDomain: string;
  domains: TenantDomain[];
  switches: SyncSwitches;
  /**
   * Who holds Entra admin roles: object id (lower case) → display names of its roles (held
   * directly or through a role-assignable group). A tenant fact, read once for all candidates and
   * cached briefly; decisions that must not trust a cache read the roles again.
   */
  roleHolders: Record<string, string[]>;
  /**
   * Who is eligible for Entra admin roles through PIM (`roleEligibilityScheduleInstances`): object
   * id (lower case) → role display names. Read with `roleHolders`; absent when not read.
   */
  eligibleRoleHolders?: Record<string, string[]>;
  /** Which sync engine(s) the tenant runs; absent means Connect Sync through the relay (as before 2026). */
  syncEngine?: SyncEngine;
  /**
   * Graph permissions the bot's identity lacks, as far as the tenant-facts read could tell (a read
   * refused with 403, or a permission missing from the token's roles). A plan step needing one of
   * them becomes a person's step naming it. Absent or empty when none is known to be missing.
   */
  missingPermissions?: string[];
  /**
   * Whether the bot's own identity holds a directory role that may clear `onPremisesObjectIdentifier`
   * (Hybrid Identity Administrator or Global Administrator); null when unknown.
   */
  canClearObjectIdentifier?: boolean | null;
}

/** Entra Cloud Sync's AD-to-Entra job, as read from its service principal (template AD2AADProvisioning). */
export interface CloudSyncJob {
  servicePrincipalId: string;
  jobId: string;
  /** The rule `provisionOnDemand` takes (`synchronizationRules[].id` of the job's schema); null when unread. */
  ruleId: string | null;
  /**
   * The OUs the job syncs (`containerFilter.includedContainers`), DNs; null when it syncs the whole
   * domain (no container filter) or the schema could not be read.
   */
  includedContainers: string[] | null;
}

/**
 * The engines syncing this tenant. Connect Sync (Entra Connect on a server, triggered through the
 * relay) is known from the tenant's `onPremisesSynchronization` (its client version); Cloud Sync from
 * a service principal of application template CLOUD_SYNC_TEMPLATE_ID with an AD2AADProvisioning job.
 */
export interface SyncEngine {
  connectSync: boolean;
  /** Entra Connect's version as the tenant reports it, when it does. */
  connectVersion: string | null;
  /** Every Cloud Sync job (one per AD domain configured); empty when the tenant has none. */
  cloudSync: CloudSyncJob[];
}

/** The Cloud Sync application template (domain.md). */
export const CLOUD_SYNC_TEMPLATE_ID = '1a4721b3-e57f-4451-ae87-ef078703ec94';
/** The job template of Cloud Sync's AD-to-Entra provisioning. */
export const CLOUD_SYNC_JOB_TEMPLATE = 'AD2AADProvisioning';

/** Why a cloud user was pulled into a diagnosis. A user can have several reasons. */
export type CandidateReason =
  /** Its onPremisesImmutableId equals the AD user's effective anchor. */
  | 'anchor'
  /** Its onPremisesImmutableId equals the AD user's other anchor (objectGUID vs ConsistencyGuid). */
  | 'otherAnchor'
  /** Its UPN equals the AD UPN. */
  | 'upn'
  /** Its proxyAddresses hold the AD user's primary SMTP address. */
  | 'primarySmtp'
  /** Its proxyAddresses or mail hold another of the AD user's addresses. */
  | 'address'
  /** Named by the admin: `match <who> to <cloud user>`. */
  | 'target';

export interface CloudCandidate {
  user: CloudUser;
  reasons: CandidateReason[];
}

/**
 * Everything the cloud holds that bears on one AD user: what `match` reads through Graph.
 * Candidates are deduplicated by object id; active and deleted users are both here.
 */
export interface CloudEvidence {
  candidates: CloudCandidate[];
  /** Non-user objects (mail-enabled groups, contacts) holding one of the AD user's addresses. */
  otherObjects: CloudGroup[];
  /** Present when the admin named a target; `user` null when it does not exist. */
  target?: { requested: string; user: CloudUser | null };
  tenant: TenantFacts;
}

/** The primary SMTP address (`SMTP:` prefix) of a proxyAddresses list, without the prefix. */
export function primarySmtp(proxyAddresses: readonly string[]): string | null {
  const primary = proxyAddresses.find((p) => p.startsWith('SMTP:'));
  return primary ? primary.slice('SMTP:'.length) : null;
}

/** Every SMTP address (primary and secondary) of a proxyAddresses list, without prefixes. */
export function smtpAddresses(proxyAddresses: readonly string[]): string[] {
  const addresses: string[] = [];
  for (const p of proxyAddresses) if (isSmtpProxy(p)) addresses.push(p.slice('smtp:'.length));
  return addresses;
}

/** Whether a proxyAddresses entry is an SMTP address (`SMTP:` primary or `smtp:` secondary, any case). */
export function isSmtpProxy(proxyAddress: string): boolean {
  // /^smtp:/i by character codes (| 0x20 folds A-Z to a-z): every diagnosis asks it of every address.
  return (
    proxyAddress.length >= 5 &&
    proxyAddress.charCodeAt(4) === 58 &&
    (proxyAddress.charCodeAt(0) | 0x20) === 115 &&
    (proxyAddress.charCodeAt(1) | 0x20) === 109 &&
    (proxyAddress.charCodeAt(2) | 0x20) === 116 &&
    (proxyAddress.charCodeAt(3) | 0x20) === 112
  );
}

/** Case-insensitive comparison as Entra compares UPNs and addresses. */
export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  return a != null && b != null && (a === b || a.toLowerCase() === b.toLowerCase());
}

/** The domain part of a UPN or address, lower case ('' when there is none). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}
