import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, expireIfDue, expiryOf, markStale, type Decided } from '../../../src/domain/approval/rules.ts';
import type { ApprovalAction, ApprovalRequest, RequestState } from '../../../src/domain/approval/types.ts';
import { FINAL_STATES, REQUEST_STATES } from '../../../src/domain/approval/types.ts';
import { ANN, BEN, CLEO, ctx, DAN, MINUTE, proposed, requested, T0, waiting } from './builders.ts';

const POLICY = { ttlMs: 60 * MINUTE };

type Ok = Extract<Decided, { ok: true }>;
type Refused = Extract<Decided, { ok: false }>;

function ok(d: Decided): Ok {
  if (!d.ok) throw new Error(`refused: ${d.refusal.code} ${d.refusal.message}`);
  return d;
}
function refused(d: Decided): Refused {
  if (d.ok) throw new Error(`expected a refusal, got ${d.next.state}`);
  return d;
}

function expectRefusal(d: Decided, code: string, words: RegExp): void {
  const r = refused(d);
  expect(r.refusal.code).toBe(code);
  expect(r.refusal.message).toMatch(words);
}

const JUSTIFICATION = 'Ticket 4711: jdoe has two accounts';
const TWO = { requiredApprovals: 2, ttlMs: 60 * MINUTE, verifyTimeoutMs: 45 * MINUTE };

describe('requestApproval', () => {
  it('moves a proposed request to requested, with requester, times and a trimmed justification', () => {
    const d = ok(decide(proposed(), { verb: 'requestApproval', justification: `  ${JUSTIFICATION}  ` }, ctx(ANN, { now: T0 })));
    expect(d.effect).toBe('post-to-approvers');
    expect(d.next).toMatchObject({
      state: 'requested',
      requester: ANN,
      justification: JUSTIFICATION,
      requestedAt: T0,
      expiresAt: T0 + 60 * MINUTE,
      updatedAt: T0,
      requiredApprovals: 1,
    });
    expect(d.events).toEqual([
      expect.objectContaining({
        requestId: 'r7k3q9',
        actor: ANN,
        at: T0,
        action: 'requested',
        before: { state: 'proposed' },
        after: { state: 'requested' },
      }),
    ]);
    expect(d.events[0]?.summary).toContain(JUSTIFICATION);
  });

  it('lets any admin request approval for a plan someone else proposed', () => {
    expect(
      ok(decide(proposed({ proposedBy: DAN }), { verb: 'requestApproval', justification: JUSTIFICATION }, ctx(BEN))).next.requester,
    ).toEqual(BEN);
  });

  it('refuses a justification outside 10..500 characters after trimming, saying its length', () => {
    const short = refused(decide(proposed(), { verb: 'requestApproval', justification: '   too short   ' }, ctx(ANN)));
    expect(short.refusal.code).toBe('JUSTIFICATION_INVALID');
    expect(short.refusal.message).toMatch(/10 to 500 characters.*yours has 9/);
    const long = refused(decide(proposed(), { verb: 'requestApproval', justification: 'x'.repeat(501) }, ctx(ANN)));
    expect(long.refusal.message).toMatch(/yours has 501/);
    expect(ok(decide(proposed(), { verb: 'requestApproval', justification: 'x'.repeat(500) }, ctx(ANN))).next.justification).toHaveLength(
      500,
    );
    expect(ok(decide(proposed(), { verb: 'requestApproval', justification: 'x'.repeat(10) }, ctx(ANN))).next.state).toBe('requested');
  });

  it('is refused from every state but proposed, naming the state', () => {
    const r = refused(decide(requested(), { verb: 'requestApproval', justification: JUSTIFICATION }, ctx(BEN)));
    expect(r.refusal.code).toBe('WRONG_STATE');
    expect(r.refusal.message).toMatch(/waiting for approval \(requested by Ann Requester at 2026-12-01T14:00:00.000Z\)/);
  });

  it('refuses a plan with only manual steps: nothing to approve', () => {
    const manualOnly = proposed().steps.filter((s) => s.kind === 'MANUAL');
    expect(
      refused(decide(proposed({ steps: manualOnly }), { verb: 'requestApproval', justification: JUSTIFICATION }, ctx(ANN))).refusal.code,
    ).toBe('NOTHING_TO_APPROVE');
  });

  it('keeps the larger of the policy and the request when approvals are counted', () => {
    expect(
      ok(decide(proposed(), { verb: 'requestApproval', justification: JUSTIFICATION }, ctx(ANN, { policy: TWO }))).next.requiredApprovals,
    ).toBe(2);
  });
});

describe('who may act', () => {
  const adminVerbs: ApprovalAction[] = [
    { verb: 'requestApproval', justification: JUSTIFICATION },
    { verb: 'approve' },
    { verb: 'reject', reason: 'wrong user' },
    { verb: 'manualDone', step: 1 },
  ];

  it.each(adminVerbs)('refuses $verb by a non-admin, naming the person and the variables', (action) => {
    const r = refused(decide(requested(), action, ctx(DAN)));
    expect(r.refusal.code).toBe('NOT_AN_ADMIN');
    expect(r.refusal.message).toMatch(/Dan Helpdesk is not an admin.*ADMIN_GROUP_ID.*ADMIN_IDS/);
    expect(r.events).toEqual([
      expect.objectContaining({ action: 'refused', actor: DAN, code: 'NOT_AN_ADMIN', at: T0 + 5 * MINUTE, requestId: 'r7k3q9' }),
    ]);
  });

  it.each(adminVerbs)('refuses $verb when no admins are configured, naming ADMIN_GROUP_ID and ADMIN_IDS', (action) => {
    const r = refused(decide(requested(), action, ctx(BEN, { adminsConfigured: false, isAdmin: false })));
    expect(r.refusal.code).toBe('ADMINS_NOT_CONFIGURED');
    expect(r.refusal.message).toMatch(/ADMIN_GROUP_ID.*ADMIN_IDS/);
  });

  it('lets a requester who is no longer an admin still cancel (withdrawing only stops a change)', () => {
    expect(ok(decide(requested(), { verb: 'cancel' }, ctx(ANN, { isAdmin: false, adminsConfigured: false }))).next.state).toBe('cancelled');
  });
});

describe('approve', () => {
  it('with one approval needed: approved, and the caller re-validates before storing', () => {
    const d = ok(decide(requested(), { verb: 'approve' }, ctx(BEN)));
    expect(d.effect).toBe('revalidate-then-approve');
    expect(d.next.state).toBe('approved');
    expect(d.next.approvals).toEqual([{ actor: BEN, at: T0 + 5 * MINUTE }]);
    expect(d.events).toEqual([
      expect.objectContaining({ action: 'approved', actor: BEN, before: { state: 'requested' }, after: { state: 'approved' } }),
    ]);
  });

  it('with two approvals needed: the first is recorded and the request keeps waiting', () => {
    const first = ok(decide(requested({ requiredApprovals: 2 }), { verb: 'approve' }, ctx(BEN)));
    expect(first).toMatchObject({ effect: 'none', next: { state: 'requested' } });
    expect(first.events[0]).toMatchObject({ action: 'approval-recorded', actor: BEN });
    expect(first.events[0]?.summary).toMatch(/1 of 2.*1 more approval/);
    const second = ok(decide(first.next, { verb: 'approve' }, ctx(CLEO, { now: T0 + 6 * MINUTE })));
    expect(second).toMatchObject({ effect: 'revalidate-then-approve', next: { state: 'approved' } });
    expect(second.next.approvals.map((a) => a.actor)).toEqual([BEN, CLEO]);
  });

  it('counts against the current policy when it was raised after the request', () => {
    expect(ok(decide(requested({ requiredApprovals: 1 }), { verb: 'approve' }, ctx(BEN, { policy: TWO }))).next.state).toBe('requested');
  });

  it('never lets the requester approve their own request (object ids compared case-insensitively)', () => {
    const shouting = { ...ANN, aadObjectId: ANN.aadObjectId.toUpperCase() };
    const r = refused(decide(requested(), { verb: 'approve' }, ctx(shouting)));
    expect(r.refusal.code).toBe('OWN_REQUEST');
    expect(r.refusal.message).toMatch(/another admin must approve/);
  });

  it('never counts the same approver twice', () => {
    const once = ok(decide(requested({ requiredApprovals: 2 }), { verb: 'approve' }, ctx(BEN))).next;
    const r = refused(decide(once, { verb: 'approve' }, ctx(BEN, { now: T0 + 7 * MINUTE })));
    expect(r.refusal.code).toBe('ALREADY_APPROVED_BY_YOU');
    expect(r.refusal.message).toMatch(/at 2026-12-01T14:05:00.000Z.*1 more approval/);
  });

  it('tells the loser of a two-approver race who approved and when', () => {
    const won = ok(decide(requested(), { verb: 'approve' }, ctx(BEN))).next;
    for (const state of ['approved', 'executing', 'waiting-for-person', 'done', 'failed'] as const) {
      const r = refused(decide({ ...won, state }, { verb: 'approve' }, ctx(CLEO)));
      expect(r.refusal.code).toBe('ALREADY_DECIDED');
      expect(r.refusal.message).toContain('Ben Approver at 2026-12-01T14:05:00.000Z');
      expect(r.refusal.message).toContain(state);
    }
  });

  it('refuses in rejected, cancelled, expired and stale with WRONG_STATE naming who and why', () => {
    const at = T0 + 2 * MINUTE;
    const cases: [ApprovalRequest, RegExp][] = [
      [
        requested({ state: 'rejected', rejection: { actor: CLEO, at, reason: 'wrong jdoe' } }),
        /rejected by Cleo Admin at 2026-12-01T14:02:00.000Z: "wrong jdoe"/,
      ],
      [requested({ state: 'cancelled', cancellation: { actor: ANN, at } }), /cancelled by Ann Requester at 2026-12-01T14:02:00.000Z/],
      [requested({ state: 'expired' }), /expired at 2026-12-01T15:00:00.000Z/],
      [
        requested({ state: 'stale', changes: [{ fact: 'target', label: 'Target cloud user', old: 'a', new: 'b' }] }),
        /facts changed.*Target cloud user/,
      ],
      [proposed(), /only proposed \(by Ann Requester\)/],
    ];
    for (const [request, words] of cases) {
      const r = refused(decide(request, { verb: 'approve' }, ctx(BEN)));
      expect(r.refusal.code).toBe('WRONG_STATE');
      expect(r.refusal.message).toMatch(words);
    }
  });
});

describe('expiry', () => {
  const late = T0 + 60 * MINUTE + 1;

  it('is checked before any action on a requested request, and hands back the expired request', () => {
    const actions: ApprovalAction[] = [
      { verb: 'approve' },
      { verb: 'reject', reason: 'no' },
      { verb: 'cancel' },
      { verb: 'manualDone', step: 1 },
    ];
    for (const action of actions) {
      const r = refused(decide(requested(), action, ctx(BEN, { now: late })));
      expect(r.refusal.code).toBe('EXPIRED');
      expect(r.refusal.message).toMatch(/expired at 2026-12-01T15:00:00.000Z.*`match jdoe`/);
      expect(r.expired).toMatchObject({ state: 'expired', updatedAt: late });
      expect(r.events.map((e) => e.action)).toEqual(['expired', 'refused']);
      expect(r.events[1]).toMatchObject({ actor: BEN, code: 'EXPIRED' });
    }
  });

  it('still accepts an approval at the exact expiry time', () => {
    expect(ok(decide(requested(), { verb: 'approve' }, ctx(BEN, { now: T0 + 60 * MINUTE }))).next.state).toBe('approved');
  });

  it('expireIfDue: null before the time or outside proposed and requested, otherwise the expired request and an event by the bot', () => {
    expect(expireIfDue(requested(), T0 + 60 * MINUTE, POLICY)).toBeNull();
    expect(expireIfDue(requested({ state: 'approved' }), late, POLICY)).toBeNull();
    const due = expireIfDue(requested({ approvals: [] }), late, POLICY);
    expect(due?.next.state).toBe('expired');
    expect(due?.event).toMatchObject({
      action: 'expired',
      actor: null,
      at: late,
      before: { state: 'requested' },
      after: { state: 'expired' },
    });
    expect(due?.event.summary).toMatch(/0 of 1 approvals/);
  });
});

describe('proposed requests expire', () => {
  const made = proposed({ createdAt: T0, expiresAt: T0 + 60 * MINUTE });

  it('after APPROVAL_TTL_MINUTES from when match stored them, as requested ones do', () => {
    expect(expireIfDue(made, T0 + 60 * MINUTE, POLICY)).toBeNull();
    const due = expireIfDue(made, T0 + 60 * MINUTE + 1, POLICY);
    expect(due?.next).toMatchObject({ state: 'expired', expiresAt: T0 + 60 * MINUTE });
    expect(due?.event).toMatchObject({ action: 'expired', actor: null, before: { state: 'proposed' }, after: { state: 'expired' } });
    expect(due?.event.summary).toMatch(/before anyone requested approval/);
  });

  it('one stored without an expiry expires APPROVAL_TTL_MINUTES after it was made', () => {
    const old = proposed({ createdAt: T0 });
    delete old.expiresAt;
    expect(expiryOf(old, { ttlMs: 30 * MINUTE })).toBe(T0 + 30 * MINUTE);
    expect(expireIfDue(old, T0 + 30 * MINUTE + 1, { ttlMs: 30 * MINUTE })?.next.state).toBe('expired');
  });

  it('refuses requesting approval of an expired proposal, saying nobody asked', () => {
    const d = decide(
      made,
      { verb: 'requestApproval', justification: 'Ticket 1: jdoe cannot sign in.' },
      ctx(ANN, { now: T0 + 61 * MINUTE }),
    );
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.refusal.code).toBe('EXPIRED');
    expect(d.refusal.message).toMatch(/before anyone requested approval/);
    expect(d.expired?.state).toBe('expired');
  });
});

describe('reject', () => {
  it('by another admin, with the trimmed reason', () => {
    const d = ok(decide(requested(), { verb: 'reject', reason: '  wrong jdoe  ' }, ctx(BEN)));
    expect(d.next).toMatchObject({ state: 'rejected', rejection: { actor: BEN, at: T0 + 5 * MINUTE, reason: 'wrong jdoe' } });
    expect(d.events[0]).toMatchObject({ action: 'rejected', actor: BEN });
    expect(d.effect).toBe('none');
  });

  it('refuses an empty or oversized reason', () => {
    expectRefusal(decide(requested(), { verb: 'reject', reason: '   ' }, ctx(BEN)), 'REASON_INVALID', /yours has 0/);
    expect(refused(decide(requested(), { verb: 'reject', reason: 'x'.repeat(501) }, ctx(BEN))).refusal.code).toBe('REASON_INVALID');
  });

  it('tells the requester to cancel instead', () => {
    const r = refused(decide(requested(), { verb: 'reject', reason: 'changed my mind' }, ctx(ANN)));
    expect(r.refusal.code).toBe('OWN_REQUEST');
    expect(r.refusal.message).toMatch(/press Cancel or type `cancel r7k3q9`/);
  });

  it('after the decision is told who decided', () => {
    const won = requested({ state: 'approved', approvals: [{ actor: CLEO, at: T0 }] });
    expect(refused(decide(won, { verb: 'reject', reason: 'no' }, ctx(BEN))).refusal.code).toBe('ALREADY_DECIDED');
  });
});

describe('cancel', () => {
  it('by whoever proposed it while proposed, by nobody else', () => {
    expect(ok(decide(proposed({ proposedBy: DAN }), { verb: 'cancel' }, ctx(DAN))).next).toMatchObject({
      state: 'cancelled',
      cancellation: { actor: DAN },
    });
    const r = refused(decide(proposed(), { verb: 'cancel' }, ctx(BEN)));
    expectRefusal(r, 'NOT_REQUESTER', /Only Ann Requester, who proposed r7k3q9/);
  });

  it('by the requester in requested, approved and waiting-for-person; others are pointed at reject', () => {
    for (const request of [requested(), requested({ state: 'approved' }), waiting(1)]) {
      const d = ok(decide(request, { verb: 'cancel' }, ctx(ANN)));
      expect(d.next.state).toBe('cancelled');
      expect(d.events[0]).toMatchObject({ action: 'cancelled', actor: ANN, before: { state: request.state } });
    }
    const r = refused(decide(requested({ proposedBy: BEN }), { verb: 'cancel' }, ctx(BEN)));
    expect(r.refusal.code).toBe('NOT_REQUESTER');
    expect(r.refusal.message).toMatch(/Only Ann Requester, who requested r7k3q9.*reject it instead/);
  });

  it('says in the audit trail which steps stay done', () => {
    const d = ok(decide(waiting(5), { verb: 'cancel' }, ctx(ANN)));
    expect(d.events[0]?.summary).toMatch(/steps already done stay done \(1, 2, 3, 4\).*undo r7k3q9/);
  });

  it('never while executing, and never in a final state', () => {
    const r = refused(decide(requested({ state: 'executing' }), { verb: 'cancel' }, ctx(ANN)));
    expectRefusal(r, 'WRONG_STATE', /executing.*undo r7k3q9/);
    for (const state of FINAL_STATES)
      expect(refused(decide(requested({ state }), { verb: 'cancel' }, ctx(ANN))).refusal.code).toBe('WRONG_STATE');
  });
});

describe('manualDone', () => {
  it('marks the waiting step done and hands the request back to the engine as approved, without the lease', () => {
    const d = ok(decide(waiting(1), { verb: 'manualDone', step: 1 }, ctx(BEN)));
    expect(d.effect).toBe('resume-execution');
    expect(d.next.state).toBe('approved');
    expect(d.next.lease).toBeUndefined();
    expect('lease' in d.next).toBe(false);
    expect(d.next.records[0]).toMatchObject({ number: 1, status: 'done', doneBy: BEN, endedAt: T0 + 5 * MINUTE });
    expect(d.next.records.slice(1)).toEqual(waiting(1).records.slice(1));
    expect(d.events[0]).toMatchObject({ action: 'manual-done', actor: BEN, step: { number: 1, kind: 'MANUAL' } });
  });

  it('by the requester too', () => {
    expect(ok(decide(waiting(5), { verb: 'manualDone', step: 5 }, ctx(ANN))).next.records[4]?.status).toBe('done');
  });

  it('refuses another step than the one waiting, naming it', () => {
    const r = refused(decide(waiting(5), { verb: 'manualDone', step: 1 }, ctx(ANN)));
    expectRefusal(r, 'WRONG_STEP', /Step 5 of r7k3q9 is the one waiting.*not step 1/);
    expect(r.events[0]?.summary).toMatch(/manualDone step 1/);
  });

  it('refuses an admin who neither requested nor approved it', () => {
    const r = refused(decide(waiting(1), { verb: 'manualDone', step: 1 }, ctx(CLEO)));
    expectRefusal(r, 'NOT_PARTICIPANT', /Ann Requester.*Ben Approver/);
  });

  it('refuses outside waiting-for-person', () => {
    expect(refused(decide(requested({ state: 'executing' }), { verb: 'manualDone', step: 1 }, ctx(ANN))).refusal.code).toBe('WRONG_STATE');
  });
});

describe('markStale', () => {
  const changes = [{ fact: 'target', label: 'Target cloud user (jdoe@contoso.com)', old: 'a', new: null }];

  it('stops the request with the changes, in the audit trail too', () => {
    const stale = markStale(requested(), changes, BEN, T0 + 6 * MINUTE);
    expect(stale?.next).toMatchObject({ state: 'stale', changes, updatedAt: T0 + 6 * MINUTE });
    expect(stale?.event).toMatchObject({ action: 'stale', actor: BEN, before: { state: 'requested' }, after: { state: 'stale', changes } });
    expect(stale?.event.summary).toMatch(/Target cloud user \(jdoe@contoso.com\): a → none/);
  });

  it('leaves a request that is already over alone', () => {
    for (const state of FINAL_STATES) expect(markStale(requested({ state }), changes, null, T0)).toBeNull();
  });
});

describe('every decision is audited', () => {
  const actors = fc.constantFrom(ANN, BEN, CLEO, DAN);
  const states = fc.constantFrom<RequestState>(...REQUEST_STATES);
  const actions = fc.oneof(
    fc.string({ maxLength: 600 }).map((justification): ApprovalAction => ({ verb: 'requestApproval', justification })),
    fc.constant<ApprovalAction>({ verb: 'approve' }),
    fc.string({ maxLength: 600 }).map((reason): ApprovalAction => ({ verb: 'reject', reason })),
    fc.constant<ApprovalAction>({ verb: 'cancel' }),
    fc.integer({ min: 0, max: 8 }).map((step): ApprovalAction => ({ verb: 'manualDone', step })),
  );

  it('names the actor and the time in one event per outcome, and never changes a final state', () => {
    fc.assert(
      fc.property(states, actors, actions, fc.integer({ min: 0, max: 120 }), (state, actor, action, minutes) => {
        const request = state === 'waiting-for-person' ? waiting(1) : requested({ state });
        const now = T0 + minutes * MINUTE;
        const d = decide(request, action, ctx(actor, { now }));
        const last = d.events[d.events.length - 1];
        expect(last).toMatchObject({ requestId: request.id, at: now, actor });
        if (!d.ok) expect(last).toMatchObject({ action: 'refused', code: d.refusal.code });
        if (FINAL_STATES.includes(state)) expect(d.ok).toBe(false);
        if (d.ok) {
          expect(d.next.updatedAt).toBe(now);
          expect(d.next.requester?.aadObjectId === actor.aadObjectId && action.verb === 'approve').toBe(false);
        }
      }),
    );
  });
});
