/**
 * Requests and audit entries for the store contract: realistic shapes (a full diagnosis, step
 * records, posted cards), and one large enough (> 200 KB of JSON, with non-ASCII text) to need
 * splitting across Table Storage properties.
 */
import { randomUUID } from 'node:crypto';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { AuditEntry } from '../../src/domain/audit/types.ts';
import { GENESIS_HASH } from '../../src/domain/audit/types.ts';
import { deletedHolderDiagnosis, finding } from '../cards/diagnosis-fixtures.ts';

export const TENANT = '11111111-2222-4333-8444-555555555555';
export const OTHER_TENANT = '99999999-8888-4777-8666-555555555555';

const ann = { aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a', name: 'Ann Admin' };
const ben = { aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b', name: 'Ben Approver' };

/** A fresh id per call, so tests sharing one store never collide. */
export function requestId(): string {
  return `r${randomUUID().slice(0, 8)}`;
}

export function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const diagnosis = deletedHolderDiagnosis();
  return {
    id: requestId(),
    kind: 'match',
    state: 'requested',
    tenantId: TENANT,
    command: 'match jdoe',
    who: 'jdoe',
    target: 'jdoe@contoso.com',
    diagnosis,
    steps: diagnosis.plan.steps,
    records: [
      {
        number: 1,
        status: 'done',
        before: { id: 'x', deleted: true },
        after: null,
        startedAt: 1_700_000_000_100,
        endedAt: 1_700_000_000_900,
      },
    ],
    fingerprint: [{ fact: 'target', label: 'the cloud user jdoe@contoso.com', value: '0a0a0a0a-0000-4000-8000-000000000001' }],
    proposedBy: ann,
    requester: ann,
    justification: 'Ticket 4711: jdoe cannot sign in',
    requestedAt: 1_700_000_000_000,
    expiresAt: 1_700_003_600_000,
    approvals: [{ actor: ben, at: 1_700_000_050_000 }],
    cards: [
      {
        conversation: { conversation: { id: '19:abc@thread.tacv2' }, serviceUrl: 'https://smba.trafficmanager.net/emea/' },
        activityId: '1700000000000',
      },
    ],
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

/** A request whose JSON is well over 200 KB: hundreds of findings with non-ASCII evidence. */
export function largeRequest(): ApprovalRequest {
  const base = request();
  const findings = Array.from({ length: 400 }, (_, i) =>
    finding('PROVISIONING_ERRORS', 'warning', {
      title: `Quarantined value ${i} for Zoë Ødegård 🧪 ${'é'.repeat(100)}`,
      evidence: [`proxyAddresses smtp:zoe.${i}@contoso.com ${'x'.repeat(300)}`, `中文 ${i} ${'ß'.repeat(50)}`],
    }),
  );
  return { ...base, diagnosis: { ...base.diagnosis, findings } };
}

export function auditEntry(requestId: string, seq: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    requestId,
    seq,
    at: 1_700_000_000_000 + seq,
    actor: seq % 2 === 0 ? null : ann,
    action: 'step-done',
    summary: `Step ${seq} done`,
    step: { number: seq, kind: 'SET_ANCHOR' },
    before: null,
    after: { immutableId: 'g8Pclm4vok+vFWtMERklmg==' },
    prevHash: seq === 1 ? GENESIS_HASH : 'a'.repeat(64),
    hash: 'b'.repeat(64),
    ...overrides,
  };
}
