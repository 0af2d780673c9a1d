/** undoStep: restores what a reversible step replaced, from its record, and refuses the rest clearly. */
import { describe, expect, it } from 'vitest';
import { runStep, undoStep, type StepDeps, type StepResult } from '../../src/execution/index.ts';
import { fakeCloud, type FakeCloud } from './fake-cloud.ts';
import {
  ANCHOR,
  clearAnchorStep,
  deletedHolder,
  ID,
  manualStep,
  OLD_ANCHOR,
  purgeStep,
  renameStep,
  setAnchorStep,
  target,
  triggerStep,
  verifyStep,
} from './steps.ts';

function deps(cloud: FakeCloud): StepDeps {
  return { cloud, sync: { triggerSync: () => Promise.reject(new Error('no sync in this test')) } };
}

/** As the approval store would hand the result back: through JSON. */
function stored(result: StepResult): StepResult {
  return JSON.parse(JSON.stringify(result)) as StepResult;
}

describe('undoStep', () => {
  it('puts back the anchor SET_ANCHOR replaced', async () => {
    const cloud = fakeCloud([target({ immutableId: OLD_ANCHOR })]);
    const step = setAnchorStep(OLD_ANCHOR);
    const result = stored(await runStep(step, deps(cloud)));
    const undo = await undoStep(step, result, deps(cloud));
    expect(undo).toEqual({
      status: 'done',
      before: { userId: ID.target, onPremisesImmutableId: ANCHOR },
      after: { userId: ID.target, onPremisesImmutableId: OLD_ANCHOR },
      detail: `Set the onPremisesImmutableId of jdoe@contoso.com (${ID.target}) to "${OLD_ANCHOR}"; it was "${ANCHOR}".`,
    });
    expect(cloud.users.get(ID.target)?.immutableId).toBe(OLD_ANCHOR);
  });

  it('clears again an anchor SET_ANCHOR wrote where there was none', async () => {
    const cloud = fakeCloud([target()]);
    const step = setAnchorStep(null);
    const result = await runStep(step, deps(cloud));
    expect(await undoStep(step, result, deps(cloud))).toMatchObject({ status: 'done', after: { onPremisesImmutableId: null } });
    expect(cloud.users.get(ID.target)?.immutableId).toBeNull();
  });

  it('restores the anchor CLEAR_ANCHOR removed', async () => {
    const cloud = fakeCloud([target({ immutableId: OLD_ANCHOR })]);
    const step = clearAnchorStep(OLD_ANCHOR);
    const result = await runStep(step, deps(cloud));
    expect(await undoStep(step, stored(result), deps(cloud))).toMatchObject({
      status: 'done',
      after: { onPremisesImmutableId: OLD_ANCHOR },
    });
    expect(cloud.users.get(ID.target)?.immutableId).toBe(OLD_ANCHOR);
  });

  it('renames back after RENAME_UPN_TEMPORARILY', async () => {
    const cloud = fakeCloud([target()]);
    const step = renameStep('jdoe@contoso.com', 'jdoe@contoso.onmicrosoft.com');
    const result = await runStep(step, deps(cloud));
    expect(await undoStep(step, stored(result), deps(cloud))).toEqual({
      status: 'done',
      before: { userId: ID.target, userPrincipalName: 'jdoe@contoso.onmicrosoft.com' },
      after: { userId: ID.target, userPrincipalName: 'jdoe@contoso.com' },
      detail: `Renamed jdoe@contoso.onmicrosoft.com (${ID.target}) to jdoe@contoso.com.`,
    });
    expect(cloud.users.get(ID.target)?.userPrincipalName).toBe('jdoe@contoso.com');
  });

  it('writes nothing when a sync already restored the UPN (the federated-domain workaround)', async () => {
    const cloud = fakeCloud([target()]);
    const step = renameStep();
    const result = await runStep(step, deps(cloud));
    const user = cloud.users.get(ID.target);
    if (user) user.userPrincipalName = 'jdoe@contoso.com';
    const writes = cloud.writes().length;
    expect(await undoStep(step, result, deps(cloud))).toMatchObject({
      status: 'done',
      detail: expect.stringMatching(/already jdoe@contoso\.com; nothing was written/) as unknown,
    });
    expect(cloud.writes()).toHaveLength(writes);
  });

  it('refuses with PLAN_DRIFT when the value changed after the step, overwriting nothing', async () => {
    const cloud = fakeCloud([target()]);
    const step = setAnchorStep(null);
    const result = await runStep(step, deps(cloud));
    const user = cloud.users.get(ID.target);
    if (user) user.immutableId = 'SV+BWQuSnU6tbIK1OqTBAg==';
    const writes = cloud.writes().length;
    expect(await undoStep(step, result, deps(cloud))).toEqual({
      status: 'failed',
      code: 'PLAN_DRIFT',
      detail: `The onPremisesImmutableId of jdoe@contoso.com (${ID.target}) is now "SV+BWQuSnU6tbIK1OqTBAg=="; step 2 wrote "${ANCHOR}". Nothing was changed.`,
    });
    expect(cloud.writes()).toHaveLength(writes);
    expect(cloud.users.get(ID.target)?.immutableId).toBe('SV+BWQuSnU6tbIK1OqTBAg==');
  });

  it('has nothing to undo when the step wrote nothing', async () => {
    const cloud = fakeCloud([target({ immutableId: ANCHOR })]);
    const step = setAnchorStep(null);
    const alreadyThere = await runStep(step, deps(cloud));
    expect(await undoStep(step, alreadyThere, deps(cloud))).toEqual({
      status: 'done',
      before: null,
      after: null,
      detail: 'Nothing to undo: step 2 wrote nothing.',
    });
    const failed: StepResult = { status: 'failed', code: 'ObjectConflict', detail: 'Another object…' };
    expect(await undoStep(step, failed, deps(cloud))).toMatchObject({
      status: 'done',
      detail: 'Nothing to undo: step 2 did not complete, so it wrote nothing.',
    });
    expect(cloud.writes()).toEqual([]);
  });

  it('refuses to guess when the record is malformed or names another user', async () => {
    const cloud = fakeCloud([target({ immutableId: ANCHOR })]);
    const step = setAnchorStep(null);
    for (const result of [
      { status: 'done', before: 'null', after: ANCHOR, detail: '' },
      {
        status: 'done',
        before: { userId: ID.other, onPremisesImmutableId: null },
        after: { userId: ID.other, onPremisesImmutableId: ANCHOR },
        detail: '',
      },
    ] as StepResult[]) {
      expect(await undoStep(step, result, deps(cloud))).toMatchObject({
        status: 'failed',
        code: 'UNDO_IMPOSSIBLE',
        detail: expect.stringMatching(/^Step 2 cannot be undone/) as unknown,
      });
    }
    expect(cloud.writes()).toEqual([]);
  });

  it('says plainly that a purge cannot be undone', async () => {
    const cloud = fakeCloud([deletedHolder()]);
    const step = purgeStep();
    const result = await runStep(step, deps(cloud));
    expect(await undoStep(step, result, deps(cloud))).toEqual({
      status: 'failed',
      code: 'UNDO_IMPOSSIBLE',
      detail: `Step 1 cannot be undone: jdoe1234@contoso.onmicrosoft.com (${ID.deleted}) was permanently deleted from the recycle bin. If the person still needs it, create the user again (or let Entra Connect create it from AD).`,
    });
  });

  it('hands a MANUAL step back to a person, and has nothing to undo for a sync or a verification', async () => {
    const cloud = fakeCloud([target()]);
    const manual = manualStep();
    expect(await undoStep(manual, { status: 'waiting-for-person', detail: manual.instruction }, deps(cloud))).toEqual({
      status: 'waiting-for-person',
      detail: `Undo on-premises what step 3 asked for: ${manual.instruction}`,
    });
    const ok: StepResult = { status: 'done', before: null, after: null, detail: '' };
    expect(await undoStep(triggerStep(), ok, deps(cloud))).toMatchObject({
      status: 'done',
      detail: expect.stringMatching(/^Nothing to undo: a sync/) as unknown,
    });
    expect(await undoStep(verifyStep(), ok, deps(cloud))).toMatchObject({
      status: 'done',
      detail: 'Nothing to undo: verifying changes nothing.',
    });
    expect(cloud.calls).toEqual([]);
  });
});
