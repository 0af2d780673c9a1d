import { describe, expect, it } from 'vitest';
import { ACTION_IDS, MAX_REFRESH_USERS } from '../../src/cards/approval-actions.ts';
import { SANDBOX_MARKER_ID, sandboxFrame } from '../../src/sandbox/sandbox-cards.ts';
import { CARD_BUDGET_BYTES } from '../../src/cards/match-card.ts';
import { REQUEST_CARD_IDS, requestCard, requestSummaryText, type RequestCardInput } from '../../src/cards/request-card.ts';
import { requestStateStyle, stepStatusStyle } from '../../src/cards/status-tones.ts';
import { REQUEST_STATES, type ApprovalRequest } from '../../src/domain/approval/types.ts';
import { allElements, findById, visibleText } from '../support/card-query.ts';
import { JDOE_ANCHOR } from './diagnosis-fixtures.ts';
import { ANN, audit, BEN, doneRecords, min, request, twelveStepRequest } from './request-fixtures.ts';

function build(r: ApprovalRequest, overrides: Partial<RequestCardInput> = {}) {
  return requestCard({
    request: r,
    view: { role: 'approver', actions: ['approve', 'reject'], headline: 'Waiting for a second admin' },
    audit: audit(3),
    refreshUserIds: [ANN.aadObjectId, BEN.aadObjectId],
    requiredApprovals: 1,
    ...overrides,
  });
}

const textOf = (card: unknown, id: string): string => visibleText(findById(card, id));
const executes = (card: unknown) => allElements(card).filter((e) => e.type === 'Action.Execute' && e.id !== undefined);

describe('requestCard', () => {
  it('shows the id, "State: <state>", the requester with the justification, and the verdict and subject of the diagnosis', () => {
    const c = build(request());
    expect(textOf(c, REQUEST_CARD_IDS.title)).toBe('Request r7k3q9 · match jdoe');
    expect(textOf(c, REQUEST_CARD_IDS.state)).toContain('State: requested');
    expect(findById(c, REQUEST_CARD_IDS.state)).toMatchObject({ color: 'accent' });
    const requester = textOf(c, REQUEST_CARD_IDS.requester);
    expect(requester).toContain('Requested by **Ann Admin** at 2026-12-01T14:00:00Z');
    expect(requester).toContain('Ticket 4711: jdoe cannot sign in since the migration');
    expect(requester).toContain('2026-12-01T15:00:00Z');
    const text = visibleText(c);
    expect(text).toContain('1 blocker and 1 warning: a 5-step plan fixes it (1 IRREVERSIBLE).');
    expect(text).toContain('jdoe · CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(text).toContain('jdoe@contoso.com · 0a0a0a0a-0000-4000-8000-000000000001');
    expect(text).not.toContain('Cloud candidates');
    expect(textOf(c, REQUEST_CARD_IDS.approvals)).toContain('Approvals: 0 of 1, waiting for 1 approval');
  });

  it('lists approvals with name and ISO time, a rejection with its reason, a cancellation and stale changes', () => {
    const approved = build(request({ state: 'executing', approvals: [{ actor: BEN, at: min(2) }] }));
    expect(textOf(approved, REQUEST_CARD_IDS.approvals)).toContain('Ben Approver\n2026-12-01T14:02:00Z');
    const rejected = build(request({ state: 'rejected', rejection: { actor: BEN, at: min(5), reason: 'Wrong *user*' } }));
    expect(textOf(rejected, REQUEST_CARD_IDS.rejection)).toContain('Rejected by **Ben Approver** at 2026-12-01T14:05:00Z');
    expect(textOf(rejected, REQUEST_CARD_IDS.rejection)).toContain('Wrong \\*user\\*');
    expect(findById(rejected, REQUEST_CARD_IDS.state)).toMatchObject({ color: 'attention' });
    const cancelled = build(request({ state: 'cancelled', cancellation: { actor: ANN, at: min(3) } }));
    expect(textOf(cancelled, REQUEST_CARD_IDS.cancellation)).toContain('Cancelled by **Ann Admin** at 2026-12-01T14:03:00Z');
    const stale = build(
      request({
        state: 'stale',
        changes: [{ fact: 'anchor', label: 'onPremisesImmutableId of jdoe@contoso.com', old: null, new: 'abc=' }],
      }),
    );
    expect(textOf(stale, REQUEST_CARD_IDS.changes)).toContain('- onPremisesImmutableId of jdoe@contoso.com: none → abc=');
  });

  it('numbers the steps with their outcome, kind, and IRREVERSIBLE / reversible / nothing to undo', () => {
    const r = request({
      state: 'executing',
      records: [
        ...doneRecords(2).slice(0, 2),
        { number: 3, status: 'started' },
        { number: 4, status: 'pending' },
        { number: 5, status: 'pending' },
      ],
    });
    const c = build(r);
    // The same words as the match card's plan (plan-steps.ts).
    expect(textOf(c, REQUEST_CARD_IDS.step(1))).toMatch(/^✔ \*\*1\. PURGE_DELETED_USER\*\* · automatic, \*\*IRREVERSIBLE\*\* · done/);
    expect(textOf(c, REQUEST_CARD_IDS.step(1))).toContain('Changed: old@contoso.onmicrosoft.com → gone (purged)');
    expect(textOf(c, REQUEST_CARD_IDS.step(2))).toContain('**2. SET_ANCHOR** · automatic, reversible · done');
    expect(textOf(c, REQUEST_CARD_IDS.step(2))).toContain(`Changed: onPremisesImmutableId: none → ${JDOE_ANCHOR} at 2026-12-01T14:04:00Z`);
    expect(findById(c, REQUEST_CARD_IDS.step(2))).toMatchObject({ color: 'good' });
    expect(textOf(c, REQUEST_CARD_IDS.step(3))).toContain("▶ **3.** **MANUAL: a person's step in on-premises AD** · running");
    expect(textOf(c, REQUEST_CARD_IDS.step(3))).toContain('Instruction: Open Synchronization Service Manager');
    const sync = textOf(c, REQUEST_CARD_IDS.step(4));
    const verify = textOf(c, REQUEST_CARD_IDS.step(5));
    expect(sync).toContain('**4. TRIGGER_DELTA_SYNC** · automatic, nothing to undo · pending');
    expect(verify).toContain('**5. VERIFY_JOINED** · automatic, nothing to undo · pending');
    expect(`${sync}${verify}`).not.toContain('reversible');
  });

  it('while a MANUAL step waits, says what to do and offers "Done: step N" with exactly verb, requestId and step', () => {
    const r = request({
      state: 'waiting-for-person',
      records: [
        ...doneRecords(2).slice(0, 2),
        { number: 3, status: 'waiting-for-person' },
        { number: 4, status: 'pending' },
        { number: 5, status: 'pending' },
      ],
    });
    const c = build(r, { view: { role: 'approver', actions: ['manualDone'], headline: 'A person has to act' } });
    expect(textOf(c, REQUEST_CARD_IDS.waiting)).toContain('Step 3 waits for a person: Open Synchronization Service Manager');
    expect(findById(c, REQUEST_CARD_IDS.step(3))).toMatchObject({ color: 'warning' });
    const done = findById(c, ACTION_IDS.manualDone);
    expect(done).toMatchObject({ type: 'Action.Execute', verb: 'manualDone', title: 'Done: step 3' });
    expect(done?.data).toStrictEqual({ verb: 'manualDone', requestId: 'r7k3q9', step: 3 });
    expect(
      findById(build(request(), { view: { role: 'approver', actions: ['manualDone'], headline: 'x' } }), ACTION_IDS.manualDone),
    ).toBeUndefined();
  });

  it('after a failure shows the code and names undo only when a reversible step was done', () => {
    const failedAt3 = request({
      state: 'failed',
      records: [
        ...doneRecords(2).slice(0, 2),
        { number: 3, status: 'failed', code: 'ObjectConflict', detail: 'Graph refused' },
        { number: 4, status: 'pending' },
        { number: 5, status: 'pending' },
      ],
    });
    const c = build(failedAt3);
    const failure = textOf(c, REQUEST_CARD_IDS.failure);
    expect(failure).toContain('Step 3 (MANUAL) failed with code ObjectConflict');
    expect(failure).toContain('To revert the reversible step already done (2), type "undo r7k3q9"');
    expect(textOf(c, REQUEST_CARD_IDS.step(3))).toContain('failed (ObjectConflict)');
    const failedAt1 = request({
      state: 'failed',
      records: [{ number: 1, status: 'failed', code: 'Request_BadRequest' }, ...doneRecords(0).slice(1)],
    });
    const nothing = textOf(build(failedAt1), REQUEST_CARD_IDS.failure);
    expect(nothing).toContain('nothing to undo');
    expect(nothing).not.toContain('"undo');
  });

  it('for a done request shows the verified sync state, in the good tone', () => {
    const c = build(request({ state: 'done', approvals: [{ actor: BEN, at: min(2) }], records: doneRecords(5) }));
    const verified = textOf(c, REQUEST_CARD_IDS.verified);
    expect(verified).toContain('userPrincipalName\njdoe@contoso.com');
    expect(verified).toContain('Synced\nYes');
    expect(verified).toContain(`onPremisesImmutableId\n${JDOE_ANCHOR}`);
    expect(verified).toContain('onPremisesLastSyncDateTime\n2026-12-01T14:08:00Z');
    expect(findById(c, REQUEST_CARD_IDS.state)).toMatchObject({ color: 'good' });
    expect(findById(build(request()), REQUEST_CARD_IDS.verified)).toBeUndefined();
  });

  it('summarises the last five audit entries and says whether the chain verifies', () => {
    const c = build(request(), { audit: audit(12) });
    expect(textOf(c, REQUEST_CARD_IDS.auditLine)).toBe('Audit trail: 12 entries, hash chain verified');
    const text = visibleText(c);
    expect(text).toContain('Hardmatch: Entry 12');
    expect(text).toContain('Hardmatch: Entry 8');
    expect(text).not.toContain('Entry 7');
    const broken = build(request(), { audit: audit(12, { ok: false, entries: 12, brokenAt: 4, reason: 'hash does not match' }) });
    expect(findById(broken, REQUEST_CARD_IDS.auditLine)).toMatchObject({
      text: 'Audit trail: 12 entries, hash chain BROKEN at entry 4: hash does not match',
      color: 'attention',
    });
  });

  it('has the buttons of the view in a fixed order, refresh always, and data of exactly verb and requestId', () => {
    const c = build(request(), { view: { role: 'approver', actions: ['reject', 'approve', 'cancel', 'requestApproval'], headline: 'x' } });
    expect(c.actions?.map((a) => a.id)).toEqual([
      ACTION_IDS.requestApproval,
      ACTION_IDS.approve,
      ACTION_IDS.reject,
      ACTION_IDS.cancel,
      ACTION_IDS.refresh,
    ]);
    expect(findById(c, ACTION_IDS.approve)).toMatchObject({ type: 'Action.Execute', verb: 'approve', style: 'positive' });
    const reject = findById(c, ACTION_IDS.reject) as { type: string; card: unknown };
    expect(reject.type).toBe('Action.ShowCard');
    expect(allElements(reject.card).find((e) => e.type === 'Input.Text')).toMatchObject({
      id: 'reason',
      isRequired: true,
      maxLength: 500,
      regex: '^[\\s\\S]{1,500}$',
    });
    expect(findById(c, ACTION_IDS.rejectSubmit)).toMatchObject({ verb: 'reject', style: 'destructive' });
    for (const action of executes(c)) {
      const data = action.data as Record<string, unknown>;
      expect(Object.keys(data).sort()).toEqual(['requestId', 'verb']);
      expect(data).toMatchObject({ verb: action.verb, requestId: 'r7k3q9' });
    }
    const viewer = build(request(), { view: { role: 'viewer', actions: [], headline: 'x' } });
    expect(viewer.actions?.map((a) => a.id)).toEqual([ACTION_IDS.refresh]);
  });

  it('refreshes itself for at most 60 distinct users, is full width, and says SANDBOX only in sandbox mode', () => {
    const ids = Array.from({ length: 70 }, (_, i) => `user-${i}`);
    const c = sandboxFrame(build(request(), { refreshUserIds: [ids[0] ?? '', ...ids] }));
    expect(c.refresh).toStrictEqual({
      action: { type: 'Action.Execute', verb: 'refresh', data: { verb: 'refresh', requestId: 'r7k3q9' } },
      userIds: ids.slice(0, MAX_REFRESH_USERS),
    });
    expect(c.msteams).toStrictEqual({ width: 'Full' });
    expect(findById(c, SANDBOX_MARKER_ID)).toBeDefined();
    expect(findById(build(request()), SANDBOX_MARKER_ID)).toBeUndefined();
  });

  it('escapes names, justification and step texts, and writes no backticks', () => {
    const evil = '[click](http://evil)';
    const c = build(request({ requester: { ...ANN, name: evil }, justification: `${evil} \`x\`` }), {
      view: { role: 'requester', actions: ['cancel'], headline: evil },
    });
    const text = visibleText(c);
    expect(text).not.toMatch(/(^|[^\\])\[[^\]\\]*\]\(http/);
    expect(text.replaceAll('\\`', '')).not.toContain('`');
  });

  it('stays under 24 KB for a 12-step plan with long DNs', () => {
    const c = sandboxFrame(
      build(twelveStepRequest(), {
        audit: audit(40),
        refreshUserIds: Array.from({ length: 80 }, (_, i) => `0000000${i}-0000-4000-8000-000000000000`),
      }),
    );
    const bytes = Buffer.byteLength(JSON.stringify(c), 'utf8');
    expect(bytes).toBeLessThan(24 * 1024);
    expect(bytes).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(allElements(c).filter((e) => typeof e.id === 'string' && e.id.startsWith('request-step-'))).toHaveLength(12);
  });
});

describe('requestSummaryText and the status tones', () => {
  it('is one line naming the request, its command, its state and what it waits for', () => {
    expect(requestSummaryText(request({ command: 'match asmith' }), 1)).toBe(
      'Request r7k3q9 · match asmith · State: requested · waiting for 1 approval',
    );
    expect(requestSummaryText(request(), 2)).toContain('waiting for 2 approvals');
    expect(requestSummaryText(request({ state: 'done' }), 1)).toBe('Request r7k3q9 · match jdoe · State: done · done and verified');
  });

  it('is green only for done, attention for failed/stale/expired/rejected, warning while a person acts', () => {
    const good = REQUEST_STATES.filter((s) => requestStateStyle(s).tone === 'good');
    expect(good).toEqual(['done']);
    for (const s of ['failed', 'stale', 'expired', 'rejected'] as const) expect(requestStateStyle(s).tone).toBe('error');
    expect(requestStateStyle('waiting-for-person').tone).toBe('warning');
    expect(stepStatusStyle('done').tone).toBe('good');
    expect(stepStatusStyle('failed').tone).toBe('error');
    expect(stepStatusStyle('waiting-for-person').tone).toBe('warning');
    expect(stepStatusStyle('started').words).toBe('running');
  });
});
