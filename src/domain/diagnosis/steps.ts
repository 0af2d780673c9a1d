/**
 * The automated plan steps, each with the one line the card shows. Descriptions name the user by
 * UPN and object id and the values before and after, so an admin can check the step (and undo a
 * reversible one by hand) without opening anything else.
 */
import type { CloudUser } from '../cloud.ts';
import { anchorText, originalUpn, subjectOf, userLabel } from './describe.ts';
import type { PlanStep } from './types.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A step before it gets its number. */
export type StepDraft = DistributiveOmit<PlanStep, 'number'>;

/** Default for VERIFY_JOINED: Entra Connect exports within minutes of a delta sync. */
export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 600;

export function purgeStep(user: CloudUser): StepDraft {
  return {
    kind: 'PURGE_DELETED_USER',
    irreversible: true,
    subject: subjectOf(user),
    immutableId: user.immutableId,
    description:
      `Permanently delete ${userLabel(user)} from the recycle bin` +
      (user.immutableId === null ? '' : ` (it holds onPremisesImmutableId ${user.immutableId})`) +
      '. This cannot be undone.',
  };
}

export function clearAnchorStep(user: CloudUser, freedFor: CloudUser): StepDraft {
  const previous = user.immutableId ?? '';
  return {
    kind: 'CLEAR_ANCHOR',
    irreversible: false,
    subject: subjectOf(user),
    previous,
    description: `Clear onPremisesImmutableId of ${originalUpn(user)} (id ${user.id}) (now: ${previous}), so ${originalUpn(freedFor)} can take it`,
  };
}

export function renameStep(user: CloudUser, to: string, restoredUpn: string | null): StepDraft {
  const from = user.userPrincipalName;
  const back = restoredUpn === null ? '' : `; the sync writes the AD UPN ${restoredUpn} back`;
  return {
    kind: 'RENAME_UPN_TEMPORARILY',
    irreversible: false,
    subject: subjectOf(user),
    from,
    to,
    description: `Change the UPN of ${from} (id ${user.id}) to ${to} for now, so Graph accepts a new ImmutableID (it refuses one in a federated domain)${back}`,
  };
}

export function setAnchorStep(user: CloudUser, immutableId: string): StepDraft {
  return {
    kind: 'SET_ANCHOR',
    irreversible: false,
    subject: subjectOf(user),
    immutableId,
    previous: user.immutableId,
    description: `Set onPremisesImmutableId of ${originalUpn(user)} (id ${user.id}) to ${immutableId} (now: ${user.immutableId ?? 'null'})`,
  };
}

export function syncStep(purpose: string): StepDraft {
  return {
    kind: 'TRIGGER_DELTA_SYNC',
    irreversible: false,
    description: `Run a delta sync through the relay (Start-ADSyncSyncCycle -PolicyType Delta): ${purpose}`,
  };
}

/** Frees a cloud user mapped to another on-premises object (`previous`) for the sync to map it to `onPremDn`. */
export function clearObjectIdentifierStep(user: CloudUser, previous: string, onPremDn: string): StepDraft {
  return {
    kind: 'CLEAR_OBJECT_IDENTIFIER',
    irreversible: true,
    subject: subjectOf(user),
    previous,
    dn: onPremDn,
    description:
      `Clear onPremisesObjectIdentifier of ${originalUpn(user)} (id ${user.id}) (now: ${previous}, another on-premises object), ` +
      `so the sync may map it to ${onPremDn}; Graph accepts only null, so the old value cannot be written back (it is kept in the audit trail)`,
  };
}

export function verifyStep(user: CloudUser, immutableId: string, timeoutSeconds: number): StepDraft {
  return {
    kind: 'VERIFY_JOINED',
    irreversible: false,
    subject: subjectOf(user),
    immutableId,
    timeoutSeconds,
    description:
      `Check that ${originalUpn(user)} (id ${user.id}) is synced, holds ${anchorText(immutableId)} ` +
      `and has a fresh onPremisesLastSyncDateTime (give up after ${duration(timeoutSeconds)})`,
  };
}

export function numberSteps(drafts: readonly StepDraft[]): PlanStep[] {
  return drafts.map((draft, i) => ({ ...draft, number: i + 1 }));
}

function duration(seconds: number): string {
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
