/** The Done of a MANUAL step as checked (`withDoneCheck`): refused, checked, or the person's word. */
import { describe, expect, it } from 'vitest';
import { decide, withDoneCheck } from '../../../src/domain/approval/rules.ts';
import { ANN, ctx, waiting } from './builders.ts';

function decided() {
  const request = waiting(1);
  const d = decide(request, { verb: 'manualDone', step: 1 }, ctx(ANN));
  if (!d.ok) throw new Error(d.refusal.message);
  const [event] = d.events;
  if (!event) throw new Error('no event');
  return { request, decided: { next: d.next, event } };
}

describe('withDoneCheck', () => {
  it('refuses a Done the bot sees is not done, naming what is still there; nothing is recorded', () => {
    const { request, decided: d } = decided();
    const out = withDoneCheck(request, d, 1, { status: 'not-done', still: 'CN=jdoe,OU=Staff,DC=contoso,DC=com is in the sync scope' });
    expect(out).toEqual({
      code: 'STEP_NOT_DONE',
      message: expect.stringMatching(
        /^Step 1 of r7k3q9 is not done yet: CN=jdoe,OU=Staff.+ is in the sync scope\. Nothing was recorded and the step keeps waiting/,
      ) as unknown,
    });
  });

  it('records a checked Done with what the bot saw, in the record and the audit entry', () => {
    const { request, decided: d } = decided();
    const out = withDoneCheck(request, d, 1, { status: 'done', seen: 'CN=jdoe,OU=Not Synced,DC=contoso,DC=com is outside the sync scope' });
    if ('code' in out) throw new Error(out.message);
    expect(out.next.records[0]).toMatchObject({
      status: 'done',
      doneBy: ANN,
      doneCheck: 'checked',
      detail: expect.stringContaining('Checked: CN=jdoe,OU=Not Synced') as unknown,
    });
    expect(out.event.summary).toContain('Checked: CN=jdoe,OU=Not Synced');
  });

  it("records a Done the bot cannot see as taken on the person's word, and why", () => {
    const { request, decided: d } = decided();
    const out = withDoneCheck(request, d, 1, { status: 'word', why: 'SYNC_SCOPE_OUS is not set' });
    if ('code' in out) throw new Error(out.message);
    expect(out.next.records[0]).toMatchObject({
      doneCheck: 'taken-on-word',
      detail: "Taken on Ann Requester's word: the bot cannot check it (SYNC_SCOPE_OUS is not set).",
    });
    expect(out.event.summary).toContain("Taken on Ann Requester's word");
    expect(out.next.state).toBe('approved');
  });
});
