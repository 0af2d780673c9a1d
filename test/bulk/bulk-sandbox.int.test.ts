/**
 * `scan` end to end in the sandbox: the relay's paged stream over the fixture directory, the
 * emulator's tenant read whole through Graph, the bulk card, one approval by a second admin, and
 * the execution in waves against the emulator (writes, the simulated delta sync, verification);
 * then `undo <bulk id>` under its own approval, which finds every user joined (synced) and reports
 * Graph's refusal for each, writing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allElements, visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { ADELE, BEN, clientFor, flowSandbox, JUSTIFICATION } from '../approvals/flow-harness.ts';

let connector: RecordingConnector;
beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(() => connector.close());

describe('scan in the sandbox', () => {
  it('scans the sync scope, then fixes every fully automated user under one approval', async () => {
    const sandbox = await flowSandbox();
    try {
      const adele = clientFor(sandbox, connector, ADELE);
      const before = connector.calls.length;
      const reply = await adele.say('scan');
      // A long scan answers with its progress card and replaces it; a short one with its result.
      const deadline = Date.now() + 60_000;
      let card = reply.card;
      while (!visibleText(card).includes('users scanned')) {
        if (Date.now() > deadline) throw new Error(`the scan did not end: ${visibleText(card).slice(0, 300)}`);
        await new Promise((r) => setTimeout(r, 200));
        const update = connector.calls
          .slice(before)
          .filter((c) => c.method === 'PUT')
          .at(-1);
        card = (update?.body.attachments as { content: Record<string, unknown> }[] | undefined)?.[0]?.content ?? card;
      }
      expect(visibleText(card)).toMatch(/Already matched/);
      const submit = allElements(card).find((e) => e.id === 'action-request-approval-submit') as
        { data: { requestId: string } } | undefined;
      if (!submit) throw new Error(`the sandbox scan offers no approval: ${visibleText(card)}`);
      const requestId = submit.data.requestId;
      const asked = await adele.invoke('requestApproval', { verb: 'requestApproval', requestId, justification: JUSTIFICATION });
      expect(visibleText(asked.card)).toContain('This approval covers');
      await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId });
      await sandbox.approvals.idle();
      const bulk = (await sandbox.approvals.features.store.get(requestId))?.value;
      expect(bulk?.state).toBe('done');
      const p = bulk?.bulk?.progress;
      expect(p && p.done + p.skipped + p.failed).toBe(bulk?.bulk?.users);
      expect(p?.done).toBeGreaterThan(0);
      expect(p?.waves).toBeGreaterThanOrEqual(1);
      expect(bulk?.bulk?.notes ?? []).toEqual([]);
      // Scanned again, the users it fixed are matched now.
      const again = await adele.say('scan');
      expect(visibleText(again.card)).toContain('No user can be fixed by the bot alone.');
      // Undone as one bulk undo, under its own approval.
      const undoCard = (await adele.say(`undo ${requestId}`)).card;
      const undoSubmit = allElements(undoCard).find((e) => e.id === 'action-request-approval-submit') as { data: { requestId: string } };
      const undoId = undoSubmit.data.requestId;
      await adele.invoke('requestApproval', { verb: 'requestApproval', requestId: undoId, justification: JUSTIFICATION });
      await clientFor(sandbox, connector, BEN).invoke('approve', { verb: 'approve', requestId: undoId });
      await sandbox.approvals.idle();
      const undone = (await sandbox.approvals.features.store.get(undoId))?.value;
      // Every fixed user is synced now: Graph refuses to rewrite a synced user's ImmutableID, and each says so.
      expect(undone?.state).toBe('done');
      expect(undone?.bulk?.progress).toMatchObject({ total: p?.done, done: 0, failed: p?.done, waiting: 0 });
      for (const note of undone?.bulk?.notes ?? [])
        expect(note.why).toMatch(/^step 1 failed \(Request_BadRequest\): .*on-premises mastered/);
    } finally {
      await sandbox.close();
    }
  }, 60_000); // a whole sandbox scan and a wave of fixes, clear-and-sync included: about 1 s (verify polls the emulator)
});
