/**
 * The cloud directory as the bot, the approval flow and the engine use it: Microsoft Graph (or the
 * Entra emulator over HTTP) behind `src/cloud-directory`. A port: owned by none of its callers.
 */
import type { Deadline } from './deadline.ts';
import type { CloudEvidence, CloudUser, TenantFacts } from '../domain/cloud.ts';
import type { OnPremUser } from '../domain/onprem-user.ts';

/**
 * The cloud directory as commands use it (Microsoft Graph, or the Entra emulator over HTTP).
 * Implemented by `src/cloud-directory`. Throws CloudError (Graph's code and message) on failure.
 * Every call takes the command's Deadline (from `startDeadline`, once per command), so all Graph
 * calls of one command, retries included, finish within GRAPH_TIMEOUT_MS together; a call given
 * none gets a fresh one of its own.
 */
export interface CloudDirectory {
  /** A new deadline of GRAPH_TIMEOUT_MS, starting now: one per command. */
  startDeadline(): Deadline;
  /**
   * Verified/federated domains, the initial domain, the tenant's sync switches and who holds admin
   * roles (`roleHolders`). Independent of AD, so `match` reads them while the relay looks the AD
   * user up. Cached for a short time (default 60 s: a role granted or removed shows on the first
   * `match` after that); `{ fresh: true }` reads them now and refreshes the cache.
   */
  tenantFacts(deadline?: Deadline, options?: { fresh?: boolean }): Promise<TenantFacts>;
  /** One cloud user by object id or UPN (active, else deleted); null when there is none. */
  findUser(idOrUpn: string, deadline?: Deadline): Promise<CloudUser | null>;
  /**
   * Every cloud object that bears on this AD user, in one round trip: users by UPN, by each SMTP
   * address, by mail, by either anchor (active and in the recycle bin), groups holding an address.
   * The candidates' admin roles are taken from `context.tenant.roleHolders` (possibly up to the
   * cache time old). `tenant` may be a promise (a tenant-facts read still under way): the look-ups
   * do not wait for it, only the result does.
   *
   * Re-validation (approval, execution) must not trust that cache: pass `freshRoles: true` and the
   * active candidates' roles (the target's included) are read from Graph now, one more round trip,
   * so a user who gained a role since the cached read shows it, and the diagnosis of that evidence
   * gives TARGET_HAS_ADMIN_ROLE (a blocker) even when `context.tenant.roleHolders` says none.
   * `expectedCandidates` (re-validation: the stored diagnosis's candidates) puts those users' role
   * reads into the look-ups' own `$batch`: no extra round trip unless an unexpected candidate appears.
   */
  evidenceFor(
    onPrem: OnPremUser,
    context: {
      tenant: TenantFacts | Promise<TenantFacts>;
      target?: { requested: string; user: CloudUser | null };
      freshRoles?: boolean;
      expectedCandidates?: readonly string[];
    },
    deadline?: Deadline,
  ): Promise<CloudEvidence>;
  /**
   * The Entra directory roles (display names, sorted) one active user holds right now, directly or
   * through a role-assignable group. Never cached: for decisions that depend on it (approving or
   * executing a plan onto that user). A user that does not exist (any more) holds none.
   */
  rolesOf(userId: string, deadline?: Deadline): Promise<string[]>;
  /** Users, active and deleted, whose onPremisesImmutableId is this one. */
  holdersOfAnchor(immutableId: string, deadline?: Deadline): Promise<CloudUser[]>;
  /** Object ids (lower case) of a group's user members, nested groups expanded: the admins of ADMIN_GROUP_ID. */
  groupUserIds(groupId: string, deadline?: Deadline): Promise<string[]>;
  /** The user's `onPremisesObjectIdentifier` now (beta); `exists` false when there is no such active user. */
  objectIdentifierOf(userId: string, deadline?: Deadline): Promise<{ exists: boolean; onPremisesObjectIdentifier: string | null }>;
  /** The error of the newest provisioning-log entry of a Cloud Sync job (`/auditLogs/provisioning`); null when it has none. */
  provisioningLogOf(jobId: string, deadline?: Deadline): Promise<ProvisioningLogError | null>;
}

/** What Entra's provisioning log says went wrong (`provisioningStatusInfo.errorInformation`). */
export interface ProvisioningLogError {
  errorCode: string | null;
  reason: string | null;
  recommendedAction: string | null;
}

/** One step of a Cloud Sync on-demand run as Graph reports it (import, scoping, matching, export). */
export interface ProvisioningStepResult {
  name: string;
  /** Import, Scoping, Matching, Processing, Export… */
  type: string;
  /** Success, Skipped, Warning, Failure… */
  status: string;
  description: string;
  /** The step's string details (e.g. what it matched on), at most 20. */
  details: Record<string, string>;
}

/** What `provisionOnDemand` answered: the run's result, each step, and the cloud object it ended on. */
export interface ProvisionOnDemandResult {
  /** Success, Skipped or Failure (Graph's words). */
  result: string;
  steps: ProvisioningStepResult[];
  /** The cloud user the run exported to (targetIdentity.id), lower case; null when none. */
  targetId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/**
 * The writes a plan's automated steps make through Graph. Only the approval flow's executor uses
 * them (never a command directly). Throws CloudError with Graph's code and message.
 */
export interface CloudWriter {
  /** PATCH /users/{id} `onPremisesImmutableId` (null clears it). */
  setImmutableId(userId: string, immutableId: string | null): Promise<void>;
  /** PATCH /users/{id} `userPrincipalName`. */
  setUserPrincipalName(userId: string, userPrincipalName: string): Promise<void>;
  /** DELETE /directory/deletedItems/{id}: permanent, cannot be undone. */
  purgeDeletedUser(userId: string): Promise<void>;
  /**
   * PATCH /beta/users/{id} `{"onPremisesObjectIdentifier": null}`: cannot be undone (Graph accepts
   * only null). `previous`, the mapping being cleared: after a lost answer the clear counts as done
   * once the mapping no longer names it (a sync may already have mapped the user to its new object,
   * which a second clear would undo); without it, once the mapping is empty.
   */
  clearObjectIdentifier(userId: string, previous?: string): Promise<void>;
  /**
   * Cloud Sync: provision one AD object (its DN) now through the job. `ruleId` null: read from the
   * job's schema first. Throttled runs (5 per 10 s) are retried after Retry-After.
   */
  provisionOnDemand(
    job: { servicePrincipalId: string; jobId: string; ruleId: string | null },
    dn: string,
  ): Promise<ProvisionOnDemandResult>;
}
