/**
 * Approval requests for tests: a `match jdoe` request built on a real diagnosis (scenario 1: a synced
 * duplicate; its plan has MANUAL steps 1 and 5), and the admins who act on it.
 */
import type { Actor, ApprovalRequest, StepRecord } from '../../../src/domain/approval/types.ts';
import { DEFAULT_POLICY } from '../../../src/domain/approval/types.ts';
import type { DecisionContext } from '../../../src/domain/approval/rules.ts';
import { diagnose } from '../../../src/domain/diagnosis/index.ts';
import { duplicateAfterSync } from '../diagnosis/scenarios.ts';

export const ANN: Actor = { aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Ann Requester' };
export const BEN: Actor = { aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002', name: 'Ben Approver' };
export const CLEO: Actor = { aadObjectId: 'cccccccc-0000-4000-8000-000000000003', name: 'Cleo Admin' };
export const DAN: Actor = { aadObjectId: 'dddddddd-0000-4000-8000-000000000004', name: 'Dan Helpdesk' };

/** 2026-12-01T14:00:00Z. */
export const T0 = Date.UTC(2026, 11, 1, 14, 0, 0);
export const MINUTE = 60_000;

export function proposed(over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const diagnosis = diagnose(duplicateAfterSync());
  return {
    id: 'r7k3q9',
    kind: 'match',
    state: 'proposed',
    tenantId: 'tenant-1',
    command: 'match jdoe',
    who: 'jdoe',
    diagnosis,
    steps: diagnosis.plan.steps,
    records: diagnosis.plan.steps.map((s): StepRecord => ({ number: s.number, status: 'pending' })),
    fingerprint: [],
    proposedBy: ANN,
    approvals: [],
    cards: [],
    createdAt: T0 - MINUTE,
    updatedAt: T0 - MINUTE,
    ...over,
  };
}

/** Requested by Ann at T0, expiring an hour later. */
export function requested(over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return proposed({
    state: 'requested',
    requester: ANN,
    justification: 'Ticket 4711: jdoe has two accounts',
    requestedAt: T0,
    expiresAt: T0 + 60 * MINUTE,
    requiredApprovals: 1,
    ...over,
  });
}

/** Waiting at step `step` (records before it done), approved by Ben. */
export function waiting(step: number, over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const base = requested({ state: 'waiting-for-person', approvals: [{ actor: BEN, at: T0 + MINUTE }] });
  const records = base.records.map((r): StepRecord => {
    if (r.number < step) return { ...r, status: 'done', startedAt: T0 + 2 * MINUTE, endedAt: T0 + 3 * MINUTE };
    return r.number === step ? { ...r, status: 'waiting-for-person', startedAt: T0 + 3 * MINUTE } : r;
  });
  return { ...base, records, lease: { owner: 'bot-1', until: T0 + 10 * MINUTE }, ...over };
}

export function ctx(actor: Actor, over: Partial<DecisionContext> = {}): DecisionContext {
  return { actor, isAdmin: actor !== DAN, adminsConfigured: true, now: T0 + 5 * MINUTE, policy: DEFAULT_POLICY, ...over };
}
