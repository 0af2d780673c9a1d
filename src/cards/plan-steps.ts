/**
 * How a plan step is worded on every card that shows one (the match card's plan, the request
 * card's steps): who does it (Hardmatch, or a person and where), whether it can be undone, and a
 * short line of what it does. One wording, so the approver reads what the requester read.
 * Only the three cloud writes are reversible (`undo` reverts them); a purge is IRREVERSIBLE; the
 * sync and the check change nothing that could be undone; a person's step is undone by a person.
 */
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { plainCommands } from './card-parts.ts';

/** Where a person does a MANUAL step, in the words of the admin tools they open. */
export type StepPlace =
  'on-premises AD' | 'the Exchange admin center' | 'the Entra admin center' | 'Microsoft Graph, as a Global Administrator' | 'this chat';

const PREFIX_PLACE: readonly [RegExp, StepPlace][] = [
  [/^On-premises:\s*/, 'on-premises AD'],
  [/^Exchange admin center:\s*/, 'the Exchange admin center'],
  [/^Entra admin center:\s*/, 'the Entra admin center'],
  [/^Global Administrator:\s*/, 'Microsoft Graph, as a Global Administrator'],
  [/^Teams:\s*/, 'this chat'],
];

/** Where the person does it: from the step's action when it has one, else from its description's "Place:" prefix. */
export function stepPlace(step: Extract<PlanStep, { kind: 'MANUAL' }>): StepPlace {
  switch (step.action?.kind) {
    case 'SCOPE_OUT':
    case 'SCOPE_IN':
    case 'SET_ONPREM_UPN':
      return 'on-premises AD';
    case 'REMOVE_ADDRESSES':
      return step.action.dn ? 'on-premises AD' : 'the Exchange admin center';
    case 'FREE_UPN':
      return step.action.dn ? 'on-premises AD' : 'the Entra admin center';
    case 'REMOVE_ADMIN_ROLES':
    case 'ASSIGN_ADMIN_ROLES':
    case 'RESTORE_DELETED_USER':
      return 'the Entra admin center';
    case 'SET_SYNC_SWITCH':
      return 'Microsoft Graph, as a Global Administrator';
    case 'RUN_MATCH_AGAIN':
      return 'this chat';
    case undefined:
      return PREFIX_PLACE.find(([prefix]) => prefix.test(step.description))?.[1] ?? 'on-premises AD';
  }
}

export function isReversible(step: Pick<PlanStep, 'kind' | 'irreversible'>): boolean {
  return !step.irreversible && (step.kind === 'CLEAR_ANCHOR' || step.kind === 'RENAME_UPN_TEMPORARILY' || step.kind === 'SET_ANCHOR');
}

/**
 * Who does the step and whether it can be undone, the same words on every card:
 * "automatic, reversible", "automatic, **IRREVERSIBLE**", "automatic, nothing to undo" (the sync
 * and the check), "**MANUAL: a person's step in on-premises AD**". Trusted markdown.
 */
export function undoMark(step: PlanStep): string {
  if (step.kind === 'MANUAL') return `**MANUAL: a person's step in ${stepPlace(step)}**`;
  if (step.irreversible || step.kind === 'PURGE_DELETED_USER') return 'automatic, **IRREVERSIBLE**';
  return isReversible(step) ? 'automatic, reversible' : 'automatic, nothing to undo';
}

export interface StepNames {
  /** The AD user's DN: said as "the AD user" in a short line (the card names it once, on top). */
  onPremDn?: string;
  /** A cloud user's name as the card shows it ("the cloud user" for the plan's target, named on top). */
  nameOf: (userId: string, fallback: string) => string;
}

/**
 * What the step does, in one short line of plain text (the caller escapes it): built from the
 * step's data for the automated kinds, the description without its "Place:" prefix for a person's.
 */
export function shortStep(step: PlanStep, names: StepNames): string {
  switch (step.kind) {
    case 'PURGE_DELETED_USER':
      return `Permanently delete ${names.nameOf(step.subject.userId, step.subject.userPrincipalName)} from the recycle bin`;
    case 'CLEAR_ANCHOR':
      return `Clear the ImmutableID of ${names.nameOf(step.subject.userId, step.subject.userPrincipalName)}`;
    case 'RENAME_UPN_TEMPORARILY':
      return `Rename ${step.from} to ${step.to} for now (the sync writes the AD UPN back)`;
    case 'SET_ANCHOR':
      return `Set the ImmutableID of ${names.nameOf(step.subject.userId, step.subject.userPrincipalName)} to the AD user's anchor`;
    case 'TRIGGER_DELTA_SYNC':
      return 'Run a delta sync through the relay';
    case 'CLEAR_OBJECT_IDENTIFIER':
      return `Clear the on-premises mapping of ${names.nameOf(step.subject.userId, step.subject.userPrincipalName)} (now ${step.previous}, another AD object; cannot be undone)`;
    case 'PROVISION_ON_DEMAND':
      return 'Sync the AD user now through Cloud Sync (provision on demand)';
    case 'VERIFY_JOINED':
      return `Check that ${names.nameOf(step.subject.userId, step.subject.userPrincipalName)} is synced and joined (up to ${Math.max(1, Math.round(step.timeoutSeconds / 60))} min)`;
    case 'MANUAL': {
      const prefix = PREFIX_PLACE.find(([p]) => p.test(step.description))?.[0];
      const line = plainCommands(prefix ? step.description.replace(prefix, '') : step.description);
      const named = names.onPremDn ? line.replaceAll(names.onPremDn, 'the AD user') : line;
      return named.charAt(0).toUpperCase() + named.slice(1);
    }
  }
}
