import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/domain/approval/rules.ts';
import type { ApprovalAction, ApprovalRequest, RequestState } from '../../../src/domain/approval/types.ts';
import { REQUEST_STATES } from '../../../src/domain/approval/types.ts';
import { refreshUserIds, stateInWords, viewFor } from '../../../src/domain/approval/view.ts';
import { ANN, BEN, CLEO, ctx, DAN, proposed, requested, T0, waiting } from './builders.ts';

const as = (actor: typeof ANN, isAdmin = actor !== DAN) => ({ aadObjectId: actor.aadObjectId, isAdmin });

describe('viewFor', () => {
  it('requester of a requested request: waiting for a second admin, and Cancel', () => {
    expect(viewFor(requested(), as(ANN))).toEqual({ role: 'requester', actions: ['cancel'], headline: 'Waiting for a second admin' });
    expect(viewFor(requested({ requiredApprovals: 3, approvals: [{ actor: BEN, at: T0 }] }), as(ANN)).headline).toBe(
      'Waiting for 2 more approvals',
    );
  });

  it('another admin sees Approve and Reject until they approved', () => {
    expect(viewFor(requested(), as(BEN))).toMatchObject({ role: 'approver', actions: ['approve', 'reject'] });
    const once = requested({ requiredApprovals: 2, approvals: [{ actor: BEN, at: T0 }] });
    expect(viewFor(once, as(BEN))).toEqual({ role: 'approver', actions: [], headline: 'You approved; waiting for 1 more approval' });
    expect(viewFor(once, as(CLEO)).actions).toEqual(['approve', 'reject']);
  });

  it('proposed: an admin may request approval, the proposer may also cancel', () => {
    expect(viewFor(proposed(), as(ANN)).actions).toEqual(['requestApproval', 'cancel']);
    expect(viewFor(proposed(), as(BEN)).actions).toEqual(['requestApproval']);
    expect(viewFor(proposed(), as(DAN)).actions).toEqual([]);
  });

  it('waiting-for-person: requester and approvers see Done for the waiting step', () => {
    expect(viewFor(waiting(5), as(ANN))).toMatchObject({
      actions: ['manualDone', 'cancel'],
      manualStep: 5,
      headline: expect.stringContaining('Step 5') as unknown,
    });
    expect(viewFor(waiting(5), as(BEN))).toMatchObject({ actions: ['manualDone'], manualStep: 5 });
    expect(viewFor(waiting(5), as(CLEO)).actions).toEqual([]);
  });

  it('everybody else, and everybody on a finished request, sees no buttons', () => {
    expect(viewFor(requested(), as(DAN))).toMatchObject({ role: 'viewer', actions: [] });
    for (const state of ['done', 'failed', 'rejected', 'cancelled', 'expired', 'stale', 'executing'] as const) {
      for (const actor of [ANN, BEN, DAN]) expect(viewFor(requested({ state }), as(actor)).actions).toEqual([]);
    }
  });

  it('never offers a button the rules would refuse (before expiry)', () => {
    const actionFor = (verb: string, step: number): ApprovalAction =>
      verb === 'requestApproval'
        ? { verb, justification: 'Ticket 4711: two accounts' }
        : verb === 'reject'
          ? { verb, reason: 'no' }
          : verb === 'manualDone'
            ? { verb, step }
            : ({ verb } as ApprovalAction);
    fc.assert(
      fc.property(fc.constantFrom<RequestState>(...REQUEST_STATES), fc.constantFrom(ANN, BEN, CLEO, DAN), (state, actor) => {
        const request: ApprovalRequest =
          state === 'waiting-for-person' ? waiting(1) : state === 'proposed' ? proposed() : requested({ state });
        const view = viewFor(request, as(actor));
        for (const verb of view.actions) expect(decide(request, actionFor(verb, view.manualStep ?? 0), ctx(actor)).ok).toBe(true);
      }),
    );
  });
});

describe('refreshUserIds', () => {
  it('requester first, then proposer, approvers and admins who can act, without repeats', () => {
    const r = requested({ proposedBy: DAN, approvals: [{ actor: BEN, at: T0 }] });
    expect(refreshUserIds(r, [CLEO.aadObjectId, BEN.aadObjectId.toUpperCase(), ANN.aadObjectId])).toEqual([
      ANN.aadObjectId,
      DAN.aadObjectId,
      BEN.aadObjectId,
      CLEO.aadObjectId,
    ]);
  });

  it('leaves admins out once nobody but participants can act', () => {
    expect(refreshUserIds(waiting(1), [CLEO.aadObjectId])).toEqual([ANN.aadObjectId, BEN.aadObjectId]);
  });

  it('stops at Teams limit of 60 users', () => {
    const admins = Array.from({ length: 100 }, (_, i) => `admin-${i}`);
    const ids = refreshUserIds(requested(), admins);
    expect(ids).toHaveLength(60);
    expect(ids[0]).toBe(ANN.aadObjectId);
  });
});

describe('stateInWords', () => {
  it('starts with the state name and explains it', () => {
    for (const state of REQUEST_STATES) expect(stateInWords(state)).toMatch(new RegExp(`^State: ${state} \\(.+\\)$`));
  });
});
