/** Hand-built approval requests and audit entries for the request card tests. */
import type { ApprovalRequest, StepRecord } from '../../src/domain/approval/types.ts';
import type { AuditEntry, ChainVerdict } from '../../src/domain/audit/types.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { deletedHolderDiagnosis, JDOE_ANCHOR, TARGET_ID } from './diagnosis-fixtures.ts';

export const ANN = { aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a', name: 'Ann Admin' };
export const BEN = { aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b', name: 'Ben Approver' };
export const T0 = Date.parse('2026-12-01T14:00:00Z');
export const min = (n: number): number => T0 + n * 60_000;

/** jdoe's five-step plan (purge, set anchor, manual, sync, verify), requested by Ann, nothing run yet. */
export function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const diagnosis = deletedHolderDiagnosis();
  const steps = diagnosis.plan.steps;
  return {
    id: 'r7k3q9',
    kind: 'match',
    state: 'requested',
    tenantId: 'tenant-1',
    command: 'match jdoe',
    who: 'jdoe',
    diagnosis,
    steps,
    records: steps.map((s): StepRecord => ({ number: s.number, status: 'pending' })),
    fingerprint: [],
    proposedBy: ANN,
    requester: ANN,
    justification: 'Ticket 4711: jdoe cannot sign in since the migration',
    requestedAt: min(0),
    expiresAt: min(60),
    approvals: [],
    cards: [],
    createdAt: min(-1),
    updatedAt: min(0),
    ...overrides,
  };
}

/** The records as they stand after steps 1..n are done (purge, set anchor, manual, sync, verify). */
export function doneRecords(n: number): StepRecord[] {
  const all: StepRecord[] = [
    {
      number: 1,
      status: 'done',
      before: {
        userId: 'd',
        userPrincipalName: 'old@contoso.onmicrosoft.com',
        onPremisesImmutableId: JDOE_ANCHOR,
        deletedDateTime: '2024-05-02T09:30:00Z',
      },
      after: null,
      endedAt: min(3),
    },
    {
      number: 2,
      status: 'done',
      before: { userId: TARGET_ID, onPremisesImmutableId: null },
      after: { userId: TARGET_ID, onPremisesImmutableId: JDOE_ANCHOR },
      endedAt: min(4),
    },
    { number: 3, status: 'done', doneBy: BEN, endedAt: min(6) },
    { number: 4, status: 'done', detail: 'Delta sync completed.', endedAt: min(7) },
    {
      number: 5,
      status: 'done',
      detail: 'jdoe@contoso.com is synced',
      after: {
        userId: TARGET_ID,
        userPrincipalName: 'jdoe@contoso.com',
        synced: true,
        onPremisesImmutableId: JDOE_ANCHOR,
        onPremisesLastSyncDateTime: '2026-12-01T14:08:00Z',
      },
      endedAt: min(9),
    },
  ];
  return all.map((r, i) => (i < n ? r : { number: r.number, status: 'pending' }));
}

export function entry(seq: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    requestId: 'r7k3q9',
    seq,
    at: min(seq),
    actor: null,
    action: 'step-done',
    summary: `Entry ${seq}`,
    prevHash: String(seq - 1).padStart(64, '0'),
    hash: `3f2a9c01${String(seq).padStart(56, '0')}`,
    ...overrides,
  };
}

export function audit(n: number, verdict?: ChainVerdict): { entries: AuditEntry[]; verdict: ChainVerdict } {
  const entries = Array.from({ length: n }, (_, i) => entry(i + 1));
  return { entries, verdict: verdict ?? { ok: true, entries: n, head: entries.at(-1)?.hash ?? '0'.repeat(64) } };
}

/** A 12-step plan with long DNs and UPNs: the largest request card we expect. */
export function twelveStepRequest(): ApprovalRequest {
  const dn = `CN=${'Very Long Display Name '.repeat(4)},OU=${'Migrated Users '.repeat(3)},OU=Staff,DC=corp,DC=contoso,DC=com`;
  const upn = `${'a'.repeat(60)}@${'subsidiary'.repeat(3)}.contoso.onmicrosoft.com`;
  const subject = { userId: TARGET_ID, userPrincipalName: upn };
  const steps: PlanStep[] = Array.from({ length: 12 }, (_, i): PlanStep => {
    const number = i + 1;
    if (i % 3 === 0)
      return {
        number,
        kind: 'MANUAL',
        irreversible: false,
        description: `Move ${dn} out of sync scope`,
        instruction: `In Synchronization Service Manager, exclude ${dn} and run a delta sync.`,
      };
    if (i % 3 === 1)
      return {
        number,
        kind: 'PURGE_DELETED_USER',
        irreversible: true,
        description: `Permanently delete ${upn} (${dn}) from the recycle bin`,
        subject,
        immutableId: JDOE_ANCHOR,
      };
    return {
      number,
      kind: 'SET_ANCHOR',
      irreversible: false,
      description: `Set onPremisesImmutableId of ${upn} to ${JDOE_ANCHOR}`,
      subject,
      immutableId: JDOE_ANCHOR,
      previous: null,
    };
  });
  const records = steps.map((s): StepRecord =>
    s.number <= 6
      ? {
          number: s.number,
          status: 'done',
          detail: `Done: ${dn}`,
          before: { userId: TARGET_ID, userPrincipalName: upn, onPremisesImmutableId: null },
          after: { userId: TARGET_ID, userPrincipalName: upn, onPremisesImmutableId: JDOE_ANCHOR },
          endedAt: min(s.number),
          doneBy: ANN,
        }
      : {
          number: s.number,
          status: s.number === 7 ? 'failed' : 'pending',
          ...(s.number === 7 ? { code: 'ObjectConflict', detail: `Graph refused: ${dn} ${'x'.repeat(300)}` } : {}),
        },
  );
  const base = request();
  return {
    ...base,
    state: 'failed',
    command: `match ${upn} to ${upn}`,
    justification: 'j'.repeat(500),
    diagnosis: { ...base.diagnosis, plan: { ...base.diagnosis.plan, steps } },
    steps,
    records,
    approvals: [
      { actor: { ...BEN, name: 'B'.repeat(120) }, at: min(2) },
      { actor: ANN, at: min(2) },
    ],
  };
}
