import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/domain/approval/rules.ts';
import { DEFAULT_POLICY, type ApprovalRequest } from '../../../src/domain/approval/types.ts';

const ADELE = { aadObjectId: 'a1', name: 'Adele' };
const BEN = { aadObjectId: 'a2', name: 'Ben' };

function bulkRequest(over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'bulk01',
    kind: 'bulk',
    state: 'executing',
    tenantId: 't',
    command: 'scan',
    who: 'the whole sync scope',
    diagnosis: { who: '', onPrem: null, candidates: [], findings: [], plan: { target: null, steps: [], nothingToDo: false } },
    steps: [],
    records: [],
    fingerprint: [],
    proposedBy: ADELE,
    requester: ADELE,
    approvals: [{ actor: BEN, at: 1 }],
    cards: [],
    createdAt: 0,
    updatedAt: 0,
    bulk: {
      scanId: 'bulk01',
      scope: { kind: 'sync-scope' },
      automated: 3,
      excluded: [],
      users: 3,
      purges: 0,
      counts: {
        'already-matched': 0,
        'sync-will-join': 0,
        'needs-hard-match': 3,
        'needs-purge': 0,
        'needs-person': 0,
        blocked: 0,
        'not-found': 0,
      },
      itemChunks: 1,
    },
    ...over,
  };
}
const ctx = (actor = ADELE) => ({ actor, isAdmin: true, adminsConfigured: true, now: 10, policy: DEFAULT_POLICY });

describe('bulk requests in the rules', () => {
  it('cancel while executing stops new users (the requester only, once)', () => {
    const stopped = decide(bulkRequest(), { verb: 'cancel' }, ctx());
    expect(stopped.ok && stopped.next.bulk?.stopRequested).toEqual({ by: ADELE, at: 10 });
    expect(stopped.ok && stopped.next.state).toBe('executing');
    const other = decide(bulkRequest(), { verb: 'cancel' }, ctx(BEN));
    expect(!other.ok && other.refusal.code).toBe('NOT_REQUESTER');
    const again = decide(bulkRequest({ bulk: { ...bulkRequest().bulk!, stopRequested: { by: ADELE, at: 5 } } }), { verb: 'cancel' }, ctx());
    expect(!again.ok && again.refusal.message).toContain('already stopped');
  });

  it('a bulk request covering nobody cannot be requested', () => {
    const empty = bulkRequest({ state: 'proposed', requester: undefined, approvals: [], bulk: { ...bulkRequest().bulk!, users: 0 } });
    const asked = decide(empty, { verb: 'requestApproval', justification: 'Ticket 42: migration' }, ctx());
    expect(!asked.ok && asked.refusal.code).toBe('NOTHING_TO_APPROVE');
  });
});
