/**
 * A person presses Done without doing the step, through /api/messages: the sandbox carries out
 * nothing (`personActs: false`), and for every catalog plan with a person's step the bot either
 * refuses the Done naming what is still there (the step keeps waiting, nothing after it runs), or,
 * where it cannot see the result, takes it on the person's word and says so. Whatever happens, no
 * user joined to an AD object is purged and no join is undone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import { IDS, SCENARIOS, SWITCH_VARIANTS, type ScenarioMatch } from '../../src/sandbox/scenarios/index.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { findById, visibleText } from '../support/card-query.ts';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.ts';
import { approveRequest, FINAL, matchCard, pressDone, switchVariantTenant } from './end-state-harness.ts';
import { ADELE, clientFor, flowSandbox, untilState } from './flow-harness.ts';

let connector: RecordingConnector;
beforeAll(async () => {
  connector = await startRecordingConnector();
});
afterAll(() => connector.close());

// Every catalog plan with a person's step, and every tenant-switch variant's (their own seeds).
const WITH_PERSON = SCENARIOS.flatMap((scenario) => scenario.matches.map((match) => ({ scenario, match }))).filter(({ match }) =>
  match.steps.includes('MANUAL'),
);
const VARIANTS_WITH_PERSON = SWITCH_VARIANTS.filter((v) => v.match.steps.includes('MANUAL'));

/** Active synced users holding an anchor: the joins that exist. */
function joins(sandbox: RunningSandbox): { id: string; anchor: string | null }[] {
  return sandbox.emulatorState
    .activeUsers()
    .filter((u) => u.onPremisesSyncEnabled === true && u.onPremisesImmutableId !== null)
    .map((u) => ({ id: u.id, anchor: u.onPremisesImmutableId }));
}

describe('Done pressed without doing the step', () => {
  it.each(WITH_PERSON.map((p) => [p.scenario.id, p.match.who, p] as const))('%s: match %s', async (_id, _who, { match }) => {
    await pressDoneWithoutDoing(match);
  });

  it("scenario 7: the old forest's object left in scope, the restore's Done is refused (the cloud user was never deleted)", async () => {
    const sandbox = await flowSandbox();
    try {
      const joinedBefore = joins(sandbox);
      const { requestId } = await matchCard(sandbox, connector, 'match fsynced');
      await approveRequest(sandbox, connector, requestId ?? '');
      let request = await untilState(sandbox, requestId ?? '', ['waiting-for-person']);
      // Step 1 is taken on the person's word (another forest); they say Done but put the object back in scope.
      request = (await pressDone(sandbox, connector, request)).request;
      expect(request.records.find((r) => r.number === 1)?.doneCheck).toBe('taken-on-word');
      sandbox.otherForests.update('fsutton', (u) => ({ ...u, dn: 'CN=Frank Sutton,OU=Users,DC=northwind,DC=local' }));
      let refused = false;
      for (let rounds = 0; rounds < 4 && !refused; rounds += 1) {
        await sandbox.approvals.idle();
        request = await untilState(sandbox, request.id, ['waiting-for-person', ...FINAL]);
        const waiting = request.records.find((r) => r.status === 'waiting-for-person');
        const answer = await pressDone(sandbox, connector, request);
        if (!answer.refused) continue;
        const step = request.steps.find((s) => s.number === waiting?.number);
        expect(step?.kind === 'MANUAL' && step.action?.kind).toBe('RESTORE_DELETED_USER');
        expect(visibleText(answer.card)).toMatch(
          /still synced \(joined to CN=Frank Sutton,OU=Users,DC=northwind,DC=local.*never soft-deleted/s,
        );
        expect(answer.request.state).toBe('waiting-for-person');
        refused = true;
      }
      expect(refused, "the restore's Done is refused").toBe(true);
      // The sync left the old join alone: fsynced@contoso.com is still the old account's, active and synced.
      expect(sandbox.emulatorState.activeUser(IDS.fsynced)?.onPremisesSyncEnabled).toBe(true);
      for (const join of joinedBefore) expect(joins(sandbox)).toContainEqual(join);
    } finally {
      await sandbox.close();
    }
  });

  it.each(VARIANTS_WITH_PERSON.map((v) => [v.id, v.match.who, v] as const))('switch variant %s: match %s', async (_id, _who, variant) => {
    await pressDoneWithoutDoing(variant.match, switchVariantTenant(variant));
  });
});

/** `match`, approved, every Done pressed with the person doing nothing: refused or on their word, never a join undone. */
async function pressDoneWithoutDoing(match: ScenarioMatch, env: Record<string, string> = {}): Promise<void> {
  const sandbox = await flowSandbox(env, { personActs: false });
  try {
    const before = joins(sandbox);
    const { requestId } = await matchCard(sandbox, connector, `match ${match.who}`);
    await approveRequest(sandbox, connector, requestId ?? '');
    let request: ApprovalRequest = await untilState(sandbox, requestId ?? '', ['waiting-for-person', ...FINAL]);
    let refusedOnce = false;
    let allConfirmed = true;
    for (let rounds = 0; rounds < 8 && request.state === 'waiting-for-person'; rounds += 1) {
      const waiting = request.records.find((r) => r.status === 'waiting-for-person');
      const answer = await pressDone(sandbox, connector, request);
      if (answer.refused) {
        // Refused, saying what is still there; the same step keeps waiting.
        expect(visibleText(answer.card)).toMatch(/is not done yet: .+Nothing was recorded/s);
        expect(findById(answer.card, 'refusal-notice')).toBeDefined();
        expect(answer.request.state).toBe('waiting-for-person');
        expect(answer.request.records.find((r) => r.status === 'waiting-for-person')?.number).toBe(waiting?.number);
        refusedOnce = true;
        break;
      }
      // Accepted: on the person's word, recorded so; or because the check found its outcome
      // already holds (e.g. the object already is in the sync scope the step asks for).
      const record = answer.request.records.find((r) => r.number === waiting?.number);
      expect(record?.doneCheck, `step ${waiting?.number}: ${record?.detail ?? ''}`).toMatch(/^(taken-on-word|checked)$/);
      if (record?.doneCheck === 'taken-on-word') expect(record.detail).toMatch(/^Taken on .+'s word: the bot cannot check it/);
      if (record?.doneCheck !== 'checked') allConfirmed = false;
      await sandbox.approvals.idle();
      request = await untilState(sandbox, request.id, ['waiting-for-person', ...FINAL]);
    }
    // Every plan has a person's step the bot can see (scope, AD UPN, roles, addresses, switches).
    // (Unless the check found every step's outcome already in place: nothing was left to refuse.)
    expect(refusedOnce || allConfirmed, 'a Done the bot can check was refused').toBe(true);
    if (refusedOnce) {
      const audit = await sandbox.approvals.features.audit.entriesOf(request.id);
      expect(audit.some((e) => e.action === 'refused' && e.summary.includes('STEP_NOT_DONE'))).toBe(true);
      // The requester withdraws it; nothing after the refused step ran.
      const cancelled = await clientFor(sandbox, connector, ADELE).invoke('cancel', { verb: 'cancel', requestId: request.id });
      expect(cancelled.status).toBe(200);
    }
    // Never a purge of a joined user, never a join undone.
    const after = joins(sandbox);
    for (const join of before) expect(after, `the join of ${join.id} stands`).toContainEqual(join);
    expect(sandbox.emulatorState.graphWrites().filter((w) => w.method === 'DELETE' && before.some((j) => w.path.includes(j.id)))).toEqual(
      [],
    );
  } finally {
    await sandbox.close();
  }
}
