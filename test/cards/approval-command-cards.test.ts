import { describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/cards/approval-actions.ts';
import { APPROVALS_PLACE_IDS, approvalsPlaceCard } from '../../src/cards/approvals-place-card.ts';
import { APPROVERS_NOTICE_IDS, approversNoticeCard } from '../../src/cards/approvers-notice-card.ts';
import { AUDIT_CARD_IDS, auditCard } from '../../src/cards/audit-card.ts';
import { SANDBOX_MARKER_ID, sandboxFrame } from '../../src/sandbox/sandbox-cards.ts';
import { CARD_BUDGET_BYTES } from '../../src/cards/match-card.ts';
import { REFUSAL_CARD_IDS, refusalCard } from '../../src/cards/refusal-card.ts';
import { REQUEST_CARD_IDS } from '../../src/cards/request-card.ts';
import { STATUS_LIST_IDS, statusListCard } from '../../src/cards/status-list-card.ts';
import { allElements, findById, visibleText } from '../support/card-query.ts';
import { ANN, audit, BEN, entry, min, request } from './request-fixtures.ts';

const textOf = (card: unknown, id: string): string => visibleText(findById(card, id));

describe('approversNoticeCard', () => {
  const c = sandboxFrame(
    approversNoticeCard({ request: request(), audit: audit(2), refreshUserIds: [BEN.aadObjectId], requiredApprovals: 1 }),
  );

  it('names the requester and how to act privately, then shows the request as an approver sees it', () => {
    expect(textOf(c, APPROVERS_NOTICE_IDS.lead)).toBe('New approval request from Ann Admin');
    expect(textOf(c, APPROVERS_NOTICE_IDS.how)).toContain('Type "status r7k3q9" in your chat with Hardmatch to act on it');
    const text = visibleText(c);
    expect(text).toContain('Ticket 4711');
    expect(text).toContain('jdoe · CN=John Doe,OU=Staff,DC=contoso,DC=com');
    expect(findById(c, REQUEST_CARD_IDS.step(5))).toBeDefined();
    expect(c.actions?.map((a) => a.id)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.refresh]);
    expect(findById(c, SANDBOX_MARKER_ID)).toBeDefined();
    expect(c.body?.[0]).toMatchObject({ id: SANDBOX_MARKER_ID });
  });
});

describe('statusListCard', () => {
  it('lists each request with id, command, state in words and age, and an Open button', () => {
    const c = statusListCard({
      mine: [request({ id: 'm1' })],
      waitingForMe: [request({ id: 'w2', requester: BEN, requestedAt: min(0) })],
      now: min(12),
    });
    expect(textOf(c, STATUS_LIST_IDS.row('w2'))).toBe('**w2** · match jdoe · requested (waiting for approval) · 12 min ago');
    const open = findById(c, ACTION_IDS.open('w2'));
    expect(open).toMatchObject({ type: 'Action.Execute', verb: 'refresh', title: 'Open w2' });
    expect(open?.data).toStrictEqual({ verb: 'refresh', requestId: 'w2' });
    expect(findById(c, ACTION_IDS.open('m1'))).toBeDefined();
    expect(visibleText(c)).not.toContain('Nothing waiting for you');
  });

  it('says "Nothing waiting for you" when nothing is', () => {
    const c = sandboxFrame(statusListCard({ mine: [], waitingForMe: [], now: min(0) }));
    expect(visibleText(c)).toContain('Nothing waiting for you.');
    expect(visibleText(c)).toContain('You have no open requests.');
    expect(allElements(c).filter((e) => e.type === 'Action.Execute')).toEqual([]);
    expect(findById(c, SANDBOX_MARKER_ID)).toBeDefined();
  });
});

describe('auditCard', () => {
  it('shows the verdict on top and every entry: seq, time, who, action, step, summary, before → after', () => {
    const entries = [
      entry(1, { actor: ANN, action: 'requested', summary: 'Requested approval' }),
      entry(2, {
        action: 'step-done',
        step: { number: 2, kind: 'SET_ANCHOR' },
        before: { onPremisesImmutableId: null },
        after: { onPremisesImmutableId: 'abc=' },
      }),
    ];
    const c = auditCard({ request: request(), entries, verdict: { ok: true, entries: 2, head: '3f2a9c01deadbeef' } });
    expect(textOf(c, AUDIT_CARD_IDS.verdict)).toBe('The hash chain verifies (2 entries, head 3f2a9c01…)');
    expect(textOf(c, AUDIT_CARD_IDS.entry(1))).toContain(`**#1** · 2026-12-01T14:01:00Z · Ann Admin (${ANN.aadObjectId}) · **requested**`);
    const step = textOf(c, AUDIT_CARD_IDS.entry(2));
    expect(step).toContain('· Hardmatch · **step-done**');
    expect(step).toContain('Step 2 · SET\\_ANCHOR');
    expect(step).toContain('{"onPremisesImmutableId":null} → {"onPremisesImmutableId":"abc="}');
  });

  it('says where the chain is BROKEN, in the attention colour', () => {
    const c = auditCard({
      request: request(),
      entries: [entry(1)],
      verdict: { ok: false, entries: 1, brokenAt: 4, reason: 'prevHash does not link' },
    });
    expect(findById(c, AUDIT_CARD_IDS.verdict)).toMatchObject({
      text: 'The hash chain is BROKEN at entry 4: prevHash does not link',
      color: 'attention',
    });
  });

  it('keeps the newest entries and says how many it left out when the trail is too long for one card', () => {
    const entries = Array.from({ length: 300 }, (_, i) =>
      entry(i + 1, {
        summary: 's'.repeat(300),
        step: { number: 1, kind: 'SET_ANCHOR' },
        before: { v: 'b'.repeat(200) },
        after: { v: 'a'.repeat(200) },
      }),
    );
    const c = auditCard({ request: request(), entries, verdict: { ok: true, entries: 300, head: 'f'.repeat(64) } });
    expect(Buffer.byteLength(JSON.stringify(c), 'utf8')).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(findById(c, AUDIT_CARD_IDS.entry(300))).toBeDefined();
    expect(findById(c, AUDIT_CARD_IDS.entry(1))).toBeUndefined();
    expect(textOf(c, AUDIT_CARD_IDS.omitted)).toMatch(/^The \d+ oldest entries are not shown/);
  });
});

describe('approvalsPlaceCard', () => {
  it('names the place, who set it and when', () => {
    const c = approvalsPlaceCard({
      place: { conversationName: 'IT *Admins*', conversationType: 'channel', setBy: 'Ann Admin', setAt: min(0) },
    });
    expect(textOf(c, APPROVALS_PLACE_IDS.place)).toBe('New approval requests are also posted to the channel "IT \\*Admins\\*".');
    expect(visibleText(c)).toContain('Set by\nAnn Admin\nSet at\n2026-12-01T14:00:00Z');
  });

  it('says when no place is set and how to set one', () => {
    const c = sandboxFrame(approvalsPlaceCard({ place: null }));
    expect(textOf(c, APPROVALS_PLACE_IDS.place)).toContain('No approvals place is set');
    expect(visibleText(c)).toContain('"approvals here"');
    expect(findById(c, SANDBOX_MARKER_ID)).toBeDefined();
  });
});

describe('refusalCard', () => {
  it('shows the refusal in the error tone with its code and the request it is about', () => {
    const c = refusalCard({
      code: 'ALREADY_DECIDED',
      message: 'Already approved by Ben Approver at 2026-12-01T14:02:00Z',
      request: request({ state: 'approved' }),
    });
    const notice = findById(c, REFUSAL_CARD_IDS.notice) as { items: { color?: string }[] };
    expect(notice.items[0]?.color).toBe('attention');
    expect(visibleText(notice)).toContain('Already approved by Ben Approver at 2026-12-01T14:02:00Z');
    expect(visibleText(notice)).toContain('Code: ALREADY\\_DECIDED');
    expect(textOf(c, REFUSAL_CARD_IDS.request)).toBe('Request r7k3q9 · match jdoe · State: approved (approved, about to run)');
  });

  it('for an unknown id shows only the message', () => {
    const c = sandboxFrame(refusalCard({ code: 'REQUEST_NOT_FOUND', message: 'No request r0000 exists.' }));
    expect(findById(c, REFUSAL_CARD_IDS.request)).toBeUndefined();
    expect(findById(c, SANDBOX_MARKER_ID)).toBeDefined();
  });
});
