/**
 * Hand-built Diagnosis objects for the match card tests: the card is a pure function of them, so
 * these are written out in full rather than computed by the diagnosis module.
 */
import type { CloudCandidate, CloudUser } from '../../src/domain/cloud.ts';
import { FINDING_CODES, type Diagnosis, type Finding, type PlanStep, type Severity } from '../../src/domain/diagnosis/types.ts';
import type { ExportedValues } from '../../src/domain/sync/types.ts';
import { cloudUser } from '../support/fakes.ts';
import { onPremUser } from '../support/users.ts';

/** jdoe's effective anchor (objectGUID 96dcc383-…). */
export const JDOE_ANCHOR = 'g8Pclm4vok+vFWtMERklmg==';
export const TARGET_ID = '0a0a0a0a-0000-4000-8000-000000000001';
export const DELETED_ID = '0d0d0d0d-0000-4000-8000-000000000002';

export const target: CloudUser = cloudUser({
  id: TARGET_ID,
  userPrincipalName: 'jdoe@contoso.com',
  adminRoles: ['Exchange Administrator'],
});
export const deletedHolder: CloudUser = cloudUser({
  id: DELETED_ID,
  userPrincipalName: `${DELETED_ID.replaceAll('-', '')}jdoe1234@contoso.onmicrosoft.com`,
  immutableId: JDOE_ANCHOR,
  synced: true,
  lastSyncDateTime: '2024-04-30T08:00:00Z',
  onPremisesDistinguishedName: 'CN=John Doe,OU=Staff,DC=contoso,DC=com',
  deletedDateTime: '2024-05-02T09:30:00Z',
});

export function finding(code: Finding['code'], severity: Severity, overrides: Partial<Finding> = {}): Finding {
  return {
    code,
    severity,
    title: `${code} title`,
    evidence: [`${code} evidence one`, `${code} evidence two`],
    remedy: `${code} remedy`,
    userIds: [],
    ...overrides,
  };
}

const values = (upn: string): ExportedValues => ({
  immutableId: JDOE_ANCHOR,
  userPrincipalName: upn,
  quarantinedAddresses: [],
  conflicts: [],
});
const subject = (u: CloudUser) => ({ userId: u.id, userPrincipalName: u.userPrincipalName });

/** Scenario 2: the anchor sits on a user in the recycle bin. Findings deliberately not sorted. */
export function deletedHolderDiagnosis(overrides: Partial<Diagnosis> = {}): Diagnosis {
  const steps: PlanStep[] = [
    {
      number: 1,
      kind: 'PURGE_DELETED_USER',
      irreversible: true,
      description: `Permanently delete ${deletedHolder.userPrincipalName} from the recycle bin`,
      subject: subject(deletedHolder),
      immutableId: JDOE_ANCHOR,
    },
    {
      number: 2,
      kind: 'SET_ANCHOR',
      irreversible: false,
      description: `Set onPremisesImmutableId of jdoe@contoso.com to ${JDOE_ANCHOR} (now: null)`,
      subject: subject(target),
      immutableId: JDOE_ANCHOR,
      previous: null,
    },
    {
      number: 3,
      kind: 'MANUAL',
      irreversible: false,
      description: 'Confirm CN=John Doe,OU=Staff,DC=contoso,DC=com is in sync scope',
      instruction: 'Open Synchronization Service Manager and check the OU filter for OU=Staff.',
    },
    { number: 4, kind: 'TRIGGER_DELTA_SYNC', irreversible: false, description: 'Run a delta sync' },
    {
      number: 5,
      kind: 'VERIFY_JOINED',
      irreversible: false,
      description: 'Check that jdoe@contoso.com is synced',
      subject: subject(target),
      immutableId: JDOE_ANCHOR,
      timeoutSeconds: 600,
    },
  ];
  const candidates: CloudCandidate[] = [
    { user: target, reasons: ['upn', 'primarySmtp'] },
    { user: deletedHolder, reasons: ['anchor'] },
  ];
  return {
    who: 'jdoe',
    onPrem: onPremUser({ consistencyGuid: null }),
    candidates,
    findings: [
      finding('UPN_WILL_CHANGE', 'info'),
      finding('TARGET_HAS_ADMIN_ROLE', 'warning'),
      finding('ANCHOR_HELD_BY_DELETED_USER', 'blocker', {
        title: 'The anchor is held by a user in the recycle bin',
        evidence: [`${deletedHolder.userPrincipalName} (${DELETED_ID}) holds ${JDOE_ANCHOR}, deleted 2024-05-02T09:30:00Z`],
        remedy: 'Purge it from the recycle bin (step 1), then set the anchor on jdoe@contoso.com.',
      }),
    ],
    plan: { target, steps, nothingToDo: false },
    prediction: {
      now: { kind: 'RESTORE', userId: DELETED_ID, values: values('jdoe@contoso.com') },
      afterPlan: { kind: 'HARD_MATCH', userId: TARGET_ID, values: values('jdoe@contoso.com') },
      nowText: 'The next sync restores the deleted user instead of matching jdoe@contoso.com.',
      afterPlanText: 'The next sync joins the cloud user jdoe@contoso.com (hard match).',
    },
    ...overrides,
  };
}

/** The largest card we can think of: 10 candidates, every finding code, a long plan. */
export function largestDiagnosis(): Diagnosis {
  const long = (s: string) => `${s} ${'x'.repeat(60)}`;
  const candidates: CloudCandidate[] = Array.from({ length: 10 }, (_, i) => ({
    user: cloudUser({
      id: `0000000${i}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`,
      userPrincipalName: `${'a'.repeat(54)}${i}+1234@contoso.onmicrosoft.com`,
      immutableId: JDOE_ANCHOR,
      synced: i % 2 === 0,
      lastSyncDateTime: '2024-04-30T08:00:00Z',
      onPremisesDistinguishedName: `CN=${'b'.repeat(40)} ${i},OU=Migrated Users,OU=Staff,DC=contoso,DC=com`,
      deletedDateTime: i % 3 === 0 ? '2024-05-02T09:30:00Z' : null,
      adminRoles: i === 1 ? ['Global Administrator', 'Exchange Administrator', 'User Administrator'] : [],
    }),
    reasons: ['anchor', 'otherAnchor', 'upn', 'primarySmtp', 'address'],
  }));
  const severities: Severity[] = ['info', 'warning', 'blocker'];
  const findings = FINDING_CODES.map((code, i) =>
    finding(code, severities[i % 3] ?? 'info', {
      title: long(`${code}: what is wrong`),
      evidence: [long('first fact'), long('second fact'), long('third fact')],
      remedy: long('What an admin does about it, naming the step that does it'),
    }),
  );
  const steps: PlanStep[] = Array.from({ length: 14 }, (_, i): PlanStep =>
    i % 4 === 0
      ? {
          number: i + 1,
          kind: 'MANUAL',
          irreversible: false,
          description: long('Move the AD object out of sync scope'),
          instruction: long('In Entra Connect, exclude OU=Migrated Users'),
        }
      : {
          number: i + 1,
          kind: 'PURGE_DELETED_USER',
          irreversible: true,
          description: long('Permanently delete the duplicate'),
          subject: subject(target),
          immutableId: JDOE_ANCHOR,
        },
  );
  return {
    ...deletedHolderDiagnosis(),
    onPrem: onPremUser({ consistencyGuid: '59815f49-920b-4e9d-ad6c-82b53aa4c102', dn: `CN=${'c'.repeat(60)},OU=Staff,DC=contoso,DC=com` }),
    candidates,
    findings,
    plan: { target, steps, nothingToDo: false },
  };
}
