/** Plan steps and cloud users shared by the execution tests. */
import type { CloudUser } from '../../src/domain/cloud.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { cloudUser } from './fake-cloud.ts';

export const ID = {
  target: '1f0e2d3c-4b5a-4968-8776-655443322110',
  deleted: '3b2c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
  other: '5d4e6f70-8192-4a34-9c5d-6e7f80910213',
} as const;

/** jdoe's anchor (fixture directory) and an old-forest anchor. */
export const ANCHOR = '3HjiBBIFx02rIhVtmcNDyg==';
export const OLD_ANCHOR = 'QX00ApTUDEiiEm5kX0WP2w==';

export const T0 = Date.UTC(2026, 2, 5, 12, 0, 0);

export const target = (overrides: Partial<CloudUser> = {}): CloudUser =>
  cloudUser({ id: ID.target, userPrincipalName: 'jdoe@contoso.com', displayName: 'John Doe', ...overrides });

export const deletedHolder = (overrides: Partial<CloudUser> = {}): CloudUser =>
  cloudUser({
    id: ID.deleted,
    userPrincipalName: `${ID.deleted.replaceAll('-', '')}jdoe1234@contoso.onmicrosoft.com`,
    immutableId: ANCHOR,
    synced: true,
    deletedDateTime: '2026-03-01T08:00:00Z',
    ...overrides,
  });

const subject = { userId: ID.target, userPrincipalName: 'jdoe@contoso.com' };

type Step<K extends PlanStep['kind']> = Extract<PlanStep, { kind: K }>;

export function setAnchorStep(previous: string | null = null): Step<'SET_ANCHOR'> {
  return {
    number: 2,
    irreversible: false,
    description: `Set onPremisesImmutableId of jdoe@contoso.com to ${ANCHOR}`,
    kind: 'SET_ANCHOR',
    subject,
    immutableId: ANCHOR,
    previous,
  };
}

export function clearAnchorStep(previous = OLD_ANCHOR): Step<'CLEAR_ANCHOR'> {
  return {
    number: 1,
    irreversible: false,
    description: 'Clear onPremisesImmutableId of jdoe@contoso.com',
    kind: 'CLEAR_ANCHOR',
    subject,
    previous,
  };
}

export function renameStep(from = 'jdoe@contoso.com', to = 'jdoe@contoso.onmicrosoft.com'): Step<'RENAME_UPN_TEMPORARILY'> {
  return { number: 1, irreversible: false, description: `Rename ${from} to ${to}`, kind: 'RENAME_UPN_TEMPORARILY', subject, from, to };
}

export function purgeStep(immutableId: string | null = ANCHOR): Step<'PURGE_DELETED_USER'> {
  return {
    number: 1,
    irreversible: true,
    description: 'Permanently delete jdoe1234@contoso.onmicrosoft.com from the recycle bin',
    kind: 'PURGE_DELETED_USER',
    subject: { userId: ID.deleted, userPrincipalName: 'jdoe1234@contoso.onmicrosoft.com' },
    immutableId,
  };
}

export function manualStep(): Step<'MANUAL'> {
  return {
    number: 3,
    irreversible: false,
    description: 'Move the AD user back into sync scope',
    kind: 'MANUAL',
    instruction: 'Move CN=John Doe,OU=Not Synced,DC=contoso,DC=com back to OU=Staff,DC=contoso,DC=com.',
  };
}

export function triggerStep(): Step<'TRIGGER_DELTA_SYNC'> {
  return { number: 3, irreversible: false, description: 'Run a delta sync', kind: 'TRIGGER_DELTA_SYNC' };
}

export function verifyStep(timeoutSeconds = 60): Step<'VERIFY_JOINED'> {
  return {
    number: 4,
    irreversible: false,
    description: 'Verify jdoe@contoso.com is synced',
    kind: 'VERIFY_JOINED',
    subject,
    immutableId: ANCHOR,
    timeoutSeconds,
  };
}
