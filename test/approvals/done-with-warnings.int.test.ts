/**
 * A join with leftovers, through /api/messages (issue 19): Bruce Wayne's plan frees his address
 * on the Northwind front desk, the person does it and the bot checks it; then, before the plan's
 * sync, the other forest puts the alias back. The join works but Entra quarantines the address:
 * the request ends `done-with-warnings`, its card listing the leftover with its fix. The next
 * `match` keeps the join (ALREADY_MATCHED) and shows the leftover as findings with the steps that
 * clear it, never a purge or a move of the anchor; `match bwayne to <front desk>` is refused as a
 * join it would undo. Playing that plan ends in a clean join.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS } from '../../src/sandbox/scenarios/values.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { findById, visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { approveRequest, infoText, matchCard, problemCodes, runToEnd } from './end-state-harness.ts';
import { ADELE, clientFor, flowSandbox } from './flow-harness.ts';

let connector: RecordingConnector;
beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(() => connector.close());

const ALIAS = 'smtp:bruce.wayne@contoso.com';

describe('a join with leftovers', () => {
  it('ends done-with-warnings, and the next match fixes the leftovers on the joined user', async () => {
    const box: { sandbox?: RunningSandbox } = {};
    let readdOnce = true;
    const sandbox = await flowSandbox(
      {},
      {
        engine: {
          leaseMs: 1500,
          pollIntervalMs: 25,
          syncBusyRetryMs: 50,
          // The other forest's sync puts the alias back between the person's Done and the plan's sync.
          onBoundary: (_id, step, phase) => {
            const state = box.sandbox?.emulatorState;
            if (!state || !readdOnce || step !== 3 || phase !== 'step-started') return;
            readdOnce = false;
            const desk = state.activeUser(IDS.frontDesk);
            state.updateSyncedUser(IDS.frontDesk, { proxyAddresses: [...(desk?.proxyAddresses ?? []), ALIAS] });
          },
        },
      },
    );
    box.sandbox = sandbox;
    try {
      const first = await matchCard(sandbox, connector, 'match bwayne');
      await approveRequest(sandbox, connector, first.requestId ?? '');
      const { request, refusals } = await runToEnd(sandbox, connector, first.requestId ?? '');
      expect(refusals).toEqual([]);
      expect(request.state).toBe('done-with-warnings');
      const warnings = request.records.flatMap((r) => r.warnings ?? []);
      expect(warnings.map((w) => w.what).join('\n')).toContain('bruce.wayne@contoso.com');
      expect(warnings.every((w) => w.fix.length > 0)).toBe(true);

      // The request card lists each leftover with its fix.
      const status = await clientFor(sandbox, connector, ADELE).say(`status ${request.id}`);
      const leftovers = visibleText(findById(status.card, 'request-leftovers') ?? {});
      expect(leftovers).toContain('bruce.wayne@contoso.com');
      expect(leftovers).toContain('Fix:');

      // match again: the joined user stays the target; the leftover is a finding with its steps.
      const again = await matchCard(sandbox, connector, 'match bwayne');
      expect(infoText(again.card)).toContain('ALREADY_MATCHED');
      expect(problemCodes(again.card)).toEqual(expect.arrayContaining(['SMTP_CONFLICT']));
      expect(again.text).not.toMatch(/PURGE_DELETED_USER|Permanently delete|SET_ANCHOR/);
      expect(again.text).toContain('frontdesk@contoso.com');
      expect(again.requestId).toBeDefined();

      // Naming the front desk would undo the join: a blocker, no plan.
      const undoing = await matchCard(sandbox, connector, 'match bwayne to frontdesk@contoso.com');
      expect(problemCodes(undoing.card)).toContain('ANCHOR_HELD_BY_OTHER_USER');
      expect(undoing.text).toContain('would undo that join');
      expect(undoing.requestId).toBeUndefined();

      // The leftovers' plan, carried out, ends clean.
      await approveRequest(sandbox, connector, again.requestId ?? '');
      const fixed = await runToEnd(sandbox, connector, again.requestId ?? '');
      expect(fixed.request.state).toBe('done');
      const clean = await matchCard(sandbox, connector, 'match bwayne');
      expect(problemCodes(clean.card)).toEqual([]);
      expect(infoText(clean.card)).toContain('ALREADY_MATCHED');
      expect(sandbox.emulatorState.activeUser(IDS.bwayne)?.onPremisesSyncEnabled).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});
