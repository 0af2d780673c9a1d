/**
 * The shape of the scenario catalog: each failure scenario of docs/domain.md as data (the AD users
 * it uses, what the cloud holds, what `match` must find and plan, and what a person does for the
 * MANUAL steps), so the sandbox tenant, the scenario tests and the README table all come from one
 * source and cannot drift apart.
 */
import type { SyncEngine } from '../emulator/index.ts';
import type { SeedInput } from '../emulator/seed.ts';
import type { FindingCode, StepKind } from '../../domain/diagnosis/types.ts';
import type { SyncOutcome } from '../../domain/sync/types.ts';

export type SeedUserInput = NonNullable<SeedInput['users']>[number];
export type SeedGroupInput = NonNullable<SeedInput['groups']>[number];

/** The Entra roles the sandbox tenant has (each an activated directoryRole). */
export type SandboxRoleName =
  'Global Administrator' | 'Exchange Administrator' | 'User Administrator' | 'Privileged Authentication Administrator';

/** How a scenario ends once the plan has been carried out. */
export type ScenarioEnd =
  /** Exactly one active cloud user for the person: synced, holding the anchor, no duplicate left. */
  | 'joined'
  /** Only a person can fix it: the plan says exactly what to do and writes nothing itself. */
  | 'manual'
  /** Already right: the plan is empty. */
  | 'nothing-to-do';

/**
 * What a person does for a MANUAL step, as data the scenario tests apply (on the AD side to the
 * sandbox directory, on the cloud side to the Entra emulator's state).
 */
export type PersonAction =
  /** Move the AD object to another OU: its DN changes, and the sandbox's sync scope follows the DN. */
  | { kind: 'move-ad-object'; samAccountName: string; toOu: string }
  /** Give the AD user another userPrincipalName. */
  | { kind: 'set-ad-upn'; samAccountName: string; userPrincipalName: string }
  /**
   * Remove an address from an object mastered in another forest (not in the sandbox directory):
   * the admin edits it there and Entra Connect exports the change.
   */
  | { kind: 'remove-address-from-other-forest-object'; userId: string; address: string }
  /** Take Entra roles away from a cloud user (Entra admin center, or Graph). */
  | { kind: 'remove-directory-roles'; userId: string; roles: SandboxRoleName[] }
  /** Give the roles back once the match is done. */
  | { kind: 'assign-directory-roles'; userId: string; roles: SandboxRoleName[] }
  /** A Global Administrator turns a tenant switch (`directory/onPremisesSynchronization` feature) on or off. */
  | { kind: 'set-sync-switch'; feature: keyof SeedSwitches; enabled: boolean }
  /** Privileged Identity Management: remove the user's eligibility for these built-in roles (display names). */
  | { kind: 'remove-role-eligibilities'; userId: string; roles: string[] }
  /** Make the user eligible for the roles again once the match is done. */
  | { kind: 'assign-role-eligibilities'; userId: string; roles: string[] }
  /** Move the user's source of authority (`PATCH /beta/users/{id}/onPremisesSyncBehavior`). */
  | { kind: 'set-cloud-managed'; userId: string; isCloudManaged: boolean };

/** One MANUAL step of the plan: what its instruction must name, and what the person then does. */
export interface ManualStepExpectation {
  /** Texts the instruction must contain (case-insensitive): DNs, UPNs, addresses, role names. */
  mentions: string[];
  /** Applied in order by the scenario tests; empty when the step only asks to check something. */
  actions: PersonAction[];
}

/** One `match` an admin types in a scenario, and everything it must lead to. */
export interface ScenarioMatch {
  /** What follows `match`. */
  who: string;
  /** What follows `to`, when the admin names the cloud user. */
  to?: string;
  /** The AD user it resolves to; null when it does not resolve to exactly one. */
  samAccountName: string | null;
  /** Exactly these finding codes (any order). */
  findings: FindingCode[];
  /** Exactly these plan step kinds, in this order. */
  steps: StepKind[];
  end: ScenarioEnd;
  /** The cloud user the plan joins ('joined'), or is about ('manual', 'nothing-to-do'); null when none. */
  targetUserId: string | null;
  /** One entry per MANUAL step, in plan order. */
  manual: ManualStepExpectation[];
  /** When the plan is blocked on a decision (`blockedReason`): texts the reason must contain. */
  blockedMentions?: string[];
  /** The UPN the joined cloud user ends with; default: the AD UPN after the person's actions. */
  finalUpn?: string;
}

/** Times relative to the moment the seed is built, so the sandbox tenant always looks current. */
export interface SeedTimes {
  /** A recent Entra Connect export (inside the 30-minute cycle). */
  lastSync: string;
  /** ISO 8601 of `days` days before now. */
  daysAgo(days: number): string;
}

/** What one scenario adds to the sandbox tenant. */
export interface ScenarioCloud {
  users: SeedUserInput[];
  groups?: SeedGroupInput[];
  roles?: { role: SandboxRoleName; members: string[] }[];
  /** PIM eligibilities (built-in role display names). */
  eligibilities?: { role: string; principalId: string }[];
}

export interface Scenario {
  /** Kebab-case, stable: tests and the README refer to it. */
  id: string;
  /** The scenario number in docs/domain.md ("The failure scenarios"); null for controls and the 2026 rules. */
  domainScenario: number | null;
  /** What the table's first column says when `domainScenario` is null; default `control`. */
  label?: '2026';
  title: string;
  /** One paragraph: how the tenant got into this state. */
  story: string;
  /** sAMAccountNames of src/sandbox/fixtures/directory/users.json this scenario uses. */
  adUsers: string[];
  cloud: (times: SeedTimes) => ScenarioCloud;
  /**
   * What one Entra Connect delta sync does to each AD user with the tenant as seeded (the sandbox
   * tenant is the state Entra Connect left, so most are export errors or plain updates).
   */
  syncNow: Record<string, SyncOutcome['kind']>;
  matches: ScenarioMatch[];
}

/** Entra Connect's tenant switches as the seed writes them. */
export interface SeedSwitches {
  blockSoftMatchEnabled: boolean;
  blockCloudObjectTakeoverThroughHardMatchEnabled: boolean;
  softMatchOnUpnEnabled: boolean;
}

/** A scenario in a tenant synced by another engine (Entra Cloud Sync): its own seed. */
export interface EngineVariant {
  id: string;
  title: string;
  syncEngine: SyncEngine;
  /** The catalog scenario whose tenant and AD users it reuses. */
  scenario: string;
  match: ScenarioMatch;
}

/** A scenario under non-default tenant switches: its own seed, used only by tests. */
export interface SwitchVariant {
  id: string;
  title: string;
  switches: Partial<SeedSwitches>;
  /** The catalog scenario whose tenant and AD users it reuses. */
  scenario: string;
  match: ScenarioMatch;
  /** What a delta sync does now to the scenario's AD users under these switches. */
  syncNow: Record<string, SyncOutcome['kind']>;
}
