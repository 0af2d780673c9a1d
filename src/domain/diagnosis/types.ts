/**
 * What `match` shows: findings, the plan, and the predicted next sync. Pure data; the match card
 * renders it, the approval flow (next issue) stores and executes the plan.
 * Codes and step kinds are user-visible names from docs/product.md; docs/finding-codes.md documents
 * each (test/docs/finding-codes.test.ts fails when one is missing there).
 */
import type { CloudCandidate, CloudUser } from '../cloud.ts';
import type { OnPremUser } from '../onprem-user.ts';
import type { SyncOutcome } from '../sync/types.ts';

export const FINDING_CODES = [
  'ONPREM_NOT_FOUND',
  'ONPREM_AMBIGUOUS',
  'ONPREM_DISABLED',
  'CONSISTENCY_GUID_DIFFERS',
  'NO_CLOUD_CANDIDATE',
  'MULTIPLE_CLOUD_CANDIDATES',
  'ALREADY_MATCHED',
  'ANCHOR_SET_NOT_SYNCED',
  'ANCHOR_HELD_BY_DELETED_USER',
  'ANCHOR_HELD_BY_OTHER_USER',
  'TARGET_HAS_OTHER_ANCHOR',
  'TARGET_IS_SYNCED',
  'SMTP_CONFLICT',
  'UPN_CONFLICT',
  'UPN_WILL_CHANGE',
  'UPN_SUFFIX_UNVERIFIED',
  'FEDERATED_DOMAIN',
  'TARGET_HAS_ADMIN_ROLE',
  'HARD_MATCH_TAKEOVER_BLOCKED',
  'SOFT_MATCH_BLOCKED',
  'PROVISIONING_ERRORS',
  'OBJECT_IDENTIFIER_MAPPED',
  'TARGET_ELIGIBLE_FOR_ADMIN_ROLE',
  'TARGET_CLOUD_MANAGED',
  'SYNC_ENGINES_OVERLAP',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'blocker' | 'warning' | 'info';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** One line: what is wrong (or right), in an admin's words. */
  title: string;
  /** The facts that show it: attribute values, object ids, UPNs. Plain text, one fact per entry. */
  evidence: string[];
  /** What to do about it; names the plan step that does it when there is one. */
  remedy: string;
  /** Object ids of the cloud users this finding is about (for the card to cross-reference). */
  userIds: string[];
}

export const STEP_KINDS = [
  'PURGE_DELETED_USER',
  'CLEAR_ANCHOR',
  'RENAME_UPN_TEMPORARILY',
  'SET_ANCHOR',
  'MANUAL',
  'TRIGGER_DELTA_SYNC',
  'VERIFY_JOINED',
  'CLEAR_OBJECT_IDENTIFIER',
  'PROVISION_ON_DEMAND',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * What a MANUAL step asks a person to do, as data: `applyPlanToTenant` models it, and tests (the
 * scenario catalog) can apply it to a fixture directory or the emulator.
 */
export type ManualAction =
  /** Move the AD object out of Entra Connect's sync scope (OU filtering / attribute filter). */
  | { kind: 'SCOPE_OUT'; dn: string }
  /** Put the AD object (back) into sync scope, or make sure it is there. */
  | { kind: 'SCOPE_IN'; dn: string }
  /** Change the AD user's userPrincipalName. */
  | { kind: 'SET_ONPREM_UPN'; dn: string; from: string | null; to: string }
  /** Remove every Entra directory role listed from the cloud user. */
  | { kind: 'REMOVE_ADMIN_ROLES'; subject: StepSubject; roles: string[] }
  /** Assign the roles again (after the match). */
  | { kind: 'ASSIGN_ADMIN_ROLES'; subject: StepSubject; roles: string[] }
  /** Remove addresses from another cloud object (on its AD object `dn` when it is synced). */
  | { kind: 'REMOVE_ADDRESSES'; objectId: string; objectKind: 'user' | 'group'; addresses: string[]; dn: string | null }
  /**
   * Give another user (cloud-only, or synced from `dn`) a UPN other than `upn`, e.g. `suggestion`,
   * so the sync can give `upn` to the AD user's cloud user.
   */
  | { kind: 'FREE_UPN'; objectId: string; upn: string; suggestion: string; dn: string | null }
  /** Turn a tenant switch (`directory/onPremisesSynchronization` feature) on or off. */
  | { kind: 'SET_SYNC_SWITCH'; feature: 'blockCloudObjectTakeoverThroughHardMatchEnabled'; enabled: boolean }
  /** Restore a user from the recycle bin (it comes back cloud-only when its AD object is out of scope). */
  | { kind: 'RESTORE_DELETED_USER'; subject: StepSubject }
  /** Type `match` again once the steps before are done (the situation will have changed). */
  | { kind: 'RUN_MATCH_AGAIN'; command: string };

/** A user a step acts on, as it was when the plan was made. */
export interface StepSubject {
  userId: string;
  userPrincipalName: string;
}

interface StepBase {
  /** 1-based position in the plan. */
  number: number;
  /** True for PURGE_DELETED_USER and CLEAR_OBJECT_IDENTIFIER: nothing can bring the object (or value) back. */
  irreversible: boolean;
  /** One line the card shows, e.g. "Set onPremisesImmutableId of jdoe@contoso.com to 3Hji…". */
  description: string;
}

export type PlanStep = StepBase &
  (
    | { kind: 'PURGE_DELETED_USER'; subject: StepSubject; immutableId: string | null }
    | { kind: 'CLEAR_ANCHOR'; subject: StepSubject; previous: string }
    | { kind: 'RENAME_UPN_TEMPORARILY'; subject: StepSubject; from: string; to: string }
    | { kind: 'SET_ANCHOR'; subject: StepSubject; immutableId: string; previous: string | null }
    /**
     * Only a person can do it (on-prem, or a tenant setting the bot may not change); the approval
     * flow waits for "Done". `action` says the same as `instruction` as data, when it is something
     * the diagnosis can model (sync scope, AD UPN, roles, addresses, tenant switch).
     */
    | { kind: 'MANUAL'; instruction: string; action?: ManualAction }
    | { kind: 'TRIGGER_DELTA_SYNC' }
    /**
     * `PATCH /beta/users/{id}` `{"onPremisesObjectIdentifier": null}`: frees a cloud user mapped to
     * another on-premises object (`previous`) so the sync can map it to `dn`. Graph accepts only
     * null, so the old value cannot be written back: irreversible, recorded in the audit.
     */
    | { kind: 'CLEAR_OBJECT_IDENTIFIER'; subject: StepSubject; previous: string; dn: string }
    /**
     * Cloud Sync: `provisionOnDemand` of the AD object `dn` through the job; the answer's steps
     * (import, scoping, matching, export) are recorded. Replaces TRIGGER_DELTA_SYNC in a Cloud Sync tenant.
     */
    | { kind: 'PROVISION_ON_DEMAND'; dn: string; job: { servicePrincipalId: string; jobId: string; ruleId: string | null } }
    | { kind: 'VERIFY_JOINED'; subject: StepSubject; immutableId: string; timeoutSeconds: number; promise?: JoinPromise }
  );

/**
 * What the plan promises beyond the join, checked by VERIFY_JOINED: the joined user ends with the
 * UPN the card predicted, every SMTP address of the AD user (none quarantined) and no provisioning
 * error. A join that misses any of it ends `done-with-warnings`.
 */
export interface JoinPromise {
  /** The UPN the card predicted; null when Entra picks it (a placeholder's random digits). */
  userPrincipalName: string | null;
  /** The AD user's SMTP addresses (and mail), lower case. */
  addresses: string[];
  /** What to type to see the leftovers as findings, e.g. `match jdoe`. */
  recheck: string;
}

export interface Plan {
  /** The cloud user that should end up joined to the AD user, when there is one. */
  target: CloudUser | null;
  steps: PlanStep[];
  /** True when nothing needs doing (already matched, healthy). */
  nothingToDo: boolean;
  /**
   * Set when no plan can fix it without a decision only a person can make (e.g. which of several
   * candidates is the right one): says what to type or do. `steps` is then empty.
   */
  blockedReason?: string;
  /** Why the plan is what it is, when that is not obvious from its steps (e.g. no hard match is needed). */
  note?: string;
}

export interface SyncPrediction {
  /** What the next delta sync does if nothing is changed. */
  now: SyncOutcome;
  /**
   * What the plan's joining sync does once the steps before it are done (`applyPlanToTenant`);
   * absent when the plan does not end in a join (nothing to do, blocked, or only a person's steps).
   */
  afterPlan?: SyncOutcome;
  /** Plain words for both, for the card. */
  nowText: string;
  afterPlanText?: string;
}

export interface Diagnosis {
  /** What the admin typed. */
  who: string;
  onPrem: OnPremUser | null;
  /** Every cloud user considered, active first, then deleted. */
  candidates: CloudCandidate[];
  /** Blockers first, then warnings, then info. */
  findings: Finding[];
  plan: Plan;
  /** Absent when the AD user is unknown or ambiguous. */
  prediction?: SyncPrediction;
}
