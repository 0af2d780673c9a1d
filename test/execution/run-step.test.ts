/** Every plan step kind through runStep, over a hand fake of the cloud directory. */
import { describe, expect, it } from 'vitest';
import { CloudError, RelayUnavailable, SyncError } from '../../src/errors/index.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { runStep, type StepDeps } from '../../src/execution/index.ts';
import { revalidationStands } from '../../src/execution/step-values.ts';
import { cloudUser, fakeClock, fakeCloud, graphError, type FakeCloud } from './fake-cloud.ts';
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
  T0,
  target,
  triggerStep,
  verifyStep,
} from './steps.ts';

function deps(cloud: FakeCloud, overrides: Partial<StepDeps> = {}): StepDeps {
  return { cloud, sync: { triggerSync: () => Promise.reject(new Error('no sync in this test')) }, ...overrides };
}

describe('SET_ANCHOR', () => {
  it('writes the anchor when the user still has the value the plan saw, and records both', async () => {
    const cloud = fakeCloud([target()]);
    const result = await runStep(setAnchorStep(null), deps(cloud));
    expect(result).toEqual({
      status: 'done',
      before: { userId: ID.target, onPremisesImmutableId: null },
      after: { userId: ID.target, onPremisesImmutableId: ANCHOR },
      detail: `Set the onPremisesImmutableId of jdoe@contoso.com (${ID.target}) to "${ANCHOR}"; it was none.`,
    });
    expect(cloud.writes()).toEqual([{ op: 'setImmutableId', userId: ID.target, immutableId: ANCHOR }]);
    expect(cloud.users.get(ID.target)?.immutableId).toBe(ANCHOR);
  });

  it('replaces an old anchor the plan saw', async () => {
    const cloud = fakeCloud([target({ immutableId: OLD_ANCHOR })]);
    const result = await runStep(setAnchorStep(OLD_ANCHOR), deps(cloud));
    expect(result).toMatchObject({
      status: 'done',
      before: { onPremisesImmutableId: OLD_ANCHOR },
      after: { onPremisesImmutableId: ANCHOR },
    });
  });

  it('refuses with PLAN_DRIFT, writing nothing, when the value changed since the plan', async () => {
    const cloud = fakeCloud([target({ immutableId: OLD_ANCHOR })]);
    const result = await runStep(setAnchorStep(null), deps(cloud));
    expect(result).toEqual({
      status: 'failed',
      code: 'PLAN_DRIFT',
      detail: `The onPremisesImmutableId of jdoe@contoso.com (${ID.target}) is now "${OLD_ANCHOR}"; the plan expected none. Nothing was changed.`,
    });
    expect(cloud.writes()).toEqual([]);
  });

  it.each([
    [
      'was deleted',
      [target({ deletedDateTime: '2026-03-05T11:00:00Z' })],
      /was deleted \(it is in the recycle bin since 2026-03-05T11:00:00Z\)/,
    ],
    ['no longer exists', [], /no longer exists/],
  ])('refuses with PLAN_DRIFT when the user %s', async (_name, users, detail) => {
    const cloud = fakeCloud(users);
    const result = await runStep(setAnchorStep(null), deps(cloud));
    expect(result).toMatchObject({ status: 'failed', code: 'PLAN_DRIFT', detail: expect.stringMatching(detail) as unknown });
    expect(cloud.writes()).toEqual([]);
  });

  it('answers done without writing when the anchor is already in place (a re-run after a restart)', async () => {
    const cloud = fakeCloud([target({ immutableId: ANCHOR })]);
    const result = await runStep(setAnchorStep(null), deps(cloud));
    expect(result).toMatchObject({ status: 'done', before: { onPremisesImmutableId: ANCHOR }, after: { onPremisesImmutableId: ANCHOR } });
    expect((result as { detail: string }).detail).toMatch(/already "3HjiBBIFx02rIhVtmcNDyg=="; nothing was written/);
    expect(cloud.writes()).toEqual([]);
  });

  it('answers Graph’s ObjectConflict with Graph’s code and message, keeping what it read', async () => {
    const cloud = fakeCloud([target(), deletedHolder()]);
    const result = await runStep(setAnchorStep(null), deps(cloud));
    expect(result).toEqual({
      status: 'failed',
      code: 'ObjectConflict',
      detail: `Microsoft Graph refused the request (400 ObjectConflict: Another object with the same value for property onPremisesImmutableId already exists. User_${ID.deleted}).`,
      before: { userId: ID.target, onPremisesImmutableId: null },
    });
    expect(cloud.users.get(ID.target)?.immutableId).toBeNull();
  });

  it('answers Graph’s refusal for a synced user', async () => {
    const cloud = fakeCloud([target({ synced: true })]);
    const result = await runStep(setAnchorStep(null), deps(cloud));
    expect(result).toMatchObject({
      status: 'failed',
      code: 'Request_BadRequest',
      detail: expect.stringContaining('on-premises mastered') as unknown,
    });
  });

  it('answers done when Graph refused because a sync gave the user the anchor between the read and the write', async () => {
    const cloud = fakeCloud([target()]);
    const write = cloud.setImmutableId.bind(cloud);
    cloud.setImmutableId = async (userId, immutableId) => {
      // The sync soft-matches the target just before our PATCH arrives: it is synced and holds the anchor.
      const user = cloud.users.get(ID.target);
      if (user) cloud.users.set(ID.target, { ...user, synced: true, immutableId: ANCHOR });
      await write(userId, immutableId);
    };
    const result = await runStep(setAnchorStep(null), deps(cloud));
    expect(result).toMatchObject({
      status: 'done',
      before: { userId: ID.target, onPremisesImmutableId: null },
      after: { userId: ID.target, onPremisesImmutableId: ANCHOR },
      detail: expect.stringContaining('meanwhile (a sync); nothing was written') as unknown,
    });
  });

  it('adds Graph’s message when the error’s own words do not quote it', async () => {
    const cloud = fakeCloud([target()]);
    const err = new CloudError('CLOUD_REQUEST_FAILED', 'Setting the anchor was refused.', {
      status: 400,
      graphCode: 'Request_BadRequest',
      graphMessage: 'Invalid value.',
    });
    cloud.failNext('setImmutableId', err);
    expect(await runStep(setAnchorStep(null), deps(cloud))).toMatchObject({
      status: 'failed',
      code: 'Request_BadRequest',
      detail: 'Setting the anchor was refused. Graph said: Invalid value.',
    });
  });

  it('answers a failed read with our code when Graph gave none', async () => {
    const cloud = fakeCloud([target()]);
    cloud.failNext('findUser', new CloudError('CLOUD_UNAVAILABLE', 'graph.microsoft.com could not be reached (ECONNRESET).'));
    const result = await runStep(setAnchorStep(null), deps(cloud));
    expect(result).toEqual({
      status: 'failed',
      code: 'CLOUD_UNAVAILABLE',
      detail: 'graph.microsoft.com could not be reached (ECONNRESET).',
      // It may pass: a bulk engine releases the user instead of failing it.
      transient: { cause: 'unavailable', retryAfterMs: null },
    });
    expect(cloud.writes()).toEqual([]);
  });

  it('lets a bug surface instead of dressing it up as a step failure', async () => {
    const cloud = fakeCloud([target()]);
    cloud.failNext('setImmutableId', new TypeError('cannot read properties of undefined'));
    await expect(runStep(setAnchorStep(null), deps(cloud))).rejects.toThrow(TypeError);
  });
});

describe('CLEAR_ANCHOR', () => {
  it('clears the anchor the plan saw and records it', async () => {
    const cloud = fakeCloud([target({ immutableId: OLD_ANCHOR })]);
    const result = await runStep(clearAnchorStep(OLD_ANCHOR), deps(cloud));
    expect(result).toEqual({
      status: 'done',
      before: { userId: ID.target, onPremisesImmutableId: OLD_ANCHOR },
      after: { userId: ID.target, onPremisesImmutableId: null },
      detail: `Cleared the onPremisesImmutableId of jdoe@contoso.com (${ID.target}); it was "${OLD_ANCHOR}".`,
    });
    expect(cloud.writes()).toEqual([{ op: 'setImmutableId', userId: ID.target, immutableId: null }]);
  });

  it('refuses with PLAN_DRIFT when another value is there now', async () => {
    const cloud = fakeCloud([target({ immutableId: 'SV+BWQuSnU6tbIK1OqTBAg==' })]);
    const result = await runStep(clearAnchorStep(OLD_ANCHOR), deps(cloud));
    expect(result).toMatchObject({ status: 'failed', code: 'PLAN_DRIFT' });
    expect(cloud.writes()).toEqual([]);
  });

  it('answers done without writing when the anchor is already cleared', async () => {
    const cloud = fakeCloud([target()]);
    expect(await runStep(clearAnchorStep(OLD_ANCHOR), deps(cloud))).toMatchObject({
      status: 'done',
      before: { onPremisesImmutableId: null },
    });
    expect(cloud.writes()).toEqual([]);
  });
});

describe('RENAME_UPN_TEMPORARILY', () => {
  it('renames when the UPN is still the one the plan saw (compared as Entra does, ignoring case)', async () => {
    const cloud = fakeCloud([target({ userPrincipalName: 'JDoe@Contoso.com' })]);
    const result = await runStep(renameStep('jdoe@contoso.com', 'jdoe@contoso.onmicrosoft.com'), deps(cloud));
    expect(result).toEqual({
      status: 'done',
      before: { userId: ID.target, userPrincipalName: 'JDoe@Contoso.com' },
      after: { userId: ID.target, userPrincipalName: 'jdoe@contoso.onmicrosoft.com' },
      detail: `Renamed JDoe@Contoso.com (${ID.target}) to jdoe@contoso.onmicrosoft.com.`,
    });
    expect(cloud.users.get(ID.target)?.userPrincipalName).toBe('jdoe@contoso.onmicrosoft.com');
  });

  it('refuses with PLAN_DRIFT when the UPN changed', async () => {
    const cloud = fakeCloud([target({ userPrincipalName: 'john.doe@contoso.com' })]);
    const result = await runStep(renameStep(), deps(cloud));
    expect(result).toEqual({
      status: 'failed',
      code: 'PLAN_DRIFT',
      detail: `The UPN of ${ID.target} is now john.doe@contoso.com; the plan expected jdoe@contoso.com. Nothing was changed.`,
    });
    expect(cloud.writes()).toEqual([]);
  });

  it('answers Graph’s refusal with its code', async () => {
    const cloud = fakeCloud([target()]);
    cloud.failNext('setUserPrincipalName', graphError(400, 'Request_BadRequest', 'Property userPrincipalName is invalid.'));
    expect(await runStep(renameStep(), deps(cloud))).toEqual({
      status: 'failed',
      code: 'Request_BadRequest',
      detail: 'Microsoft Graph refused the request (400 Request_BadRequest: Property userPrincipalName is invalid.).',
      before: { userId: ID.target, userPrincipalName: 'jdoe@contoso.com' },
    });
  });
});

describe('PURGE_DELETED_USER', () => {
  it('purges the deleted holder of the anchor and records what it was', async () => {
    const cloud = fakeCloud([target(), deletedHolder()]);
    const result = await runStep(purgeStep(ANCHOR), deps(cloud));
    expect(result).toEqual({
      status: 'done',
      before: {
        userId: ID.deleted,
        userPrincipalName: deletedHolder().userPrincipalName,
        onPremisesImmutableId: ANCHOR,
        deletedDateTime: '2026-03-01T08:00:00Z',
      },
      after: null,
      detail: `Permanently deleted jdoe1234@contoso.onmicrosoft.com (${ID.deleted}) from the recycle bin (it held onPremisesImmutableId "${ANCHOR}").`,
    });
    expect(cloud.writes()).toEqual([{ op: 'purgeDeletedUser', userId: ID.deleted }]);
    expect(cloud.users.has(ID.deleted)).toBe(false);
  });

  it.each([
    ['was restored', [deletedHolder({ deletedDateTime: null })], /was restored from the recycle bin/],
    ['is gone already', [], /no longer in the recycle bin/],
    ['holds another anchor now', [deletedHolder({ immutableId: OLD_ANCHOR })], /now holds onPremisesImmutableId "QX00/],
  ])('refuses with PLAN_DRIFT when the deleted user %s, purging nothing', async (_name, users, detail) => {
    const cloud = fakeCloud(users);
    const result = await runStep(purgeStep(ANCHOR), deps(cloud));
    expect(result).toMatchObject({ status: 'failed', code: 'PLAN_DRIFT', detail: expect.stringMatching(detail) as unknown });
    expect(cloud.writes()).toEqual([]);
  });

  it('does not check the anchor when the plan gave none', async () => {
    const cloud = fakeCloud([deletedHolder({ immutableId: null })]);
    expect(await runStep(purgeStep(null), deps(cloud))).toMatchObject({ status: 'done', after: null });
  });

  it('answers Graph’s refusal with its code and what it read', async () => {
    const cloud = fakeCloud([deletedHolder()]);
    cloud.failNext(
      'purgeDeletedUser',
      graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
    );
    expect(await runStep(purgeStep(ANCHOR), deps(cloud))).toMatchObject({
      status: 'failed',
      code: 'Authorization_RequestDenied',
      detail: 'Microsoft Graph refused the request (403 Authorization_RequestDenied: Insufficient privileges to complete the operation.).',
      before: { userId: ID.deleted, onPremisesImmutableId: ANCHOR },
    });
  });
});

describe('MANUAL', () => {
  it('waits for a person, with the instruction, touching nothing', async () => {
    const cloud = fakeCloud([target()]);
    expect(await runStep(manualStep(), deps(cloud))).toEqual({
      status: 'waiting-for-person',
      detail: 'Move CN=John Doe,OU=Not Synced,DC=contoso,DC=com back to OU=Staff,DC=contoso,DC=com.',
    });
    expect(cloud.calls).toEqual([]);
  });
});

describe('TRIGGER_DELTA_SYNC', () => {
  it('runs one sync and records its result', async () => {
    const result = { startedAt: '2026-03-05T12:00:00.000Z', finishedAt: '2026-03-05T12:00:03.000Z', detail: 'Result: Success' };
    let runs = 0;
    const sync = {
      triggerSync: () => {
        runs += 1;
        return Promise.resolve(result);
      },
    };
    expect(await runStep(triggerStep(), deps(fakeCloud([]), { sync }))).toEqual({
      status: 'done',
      before: null,
      after: result,
      detail: 'Delta sync completed: Result: Success',
    });
    expect(runs).toBe(1);
  });

  it.each([
    ['busy', new SyncError('SYNC_BUSY', 'Entra Connect is busy with another sync cycle.'), 'SYNC_BUSY'],
    ['down', new RelayUnavailable('RELAY_TIMEOUT', 'The relay at https://relay.contoso.com did not answer within 150 s.'), 'RELAY_TIMEOUT'],
  ])('fails with the code when the relay is %s', async (_name, err, code) => {
    const sync = { triggerSync: () => Promise.reject(err) };
    expect(await runStep(triggerStep(), deps(fakeCloud([]), { sync }))).toEqual({ status: 'failed', code, detail: err.message });
  });
});

describe('VERIFY_JOINED', () => {
  const joined = (lastSync: string): Partial<ReturnType<typeof target>> => ({
    synced: true,
    immutableId: ANCHOR,
    lastSyncDateTime: lastSync,
  });

  it('is done at once when the user is synced with the anchor and a fresh sync', async () => {
    const clock = fakeClock(T0);
    const cloud = fakeCloud([target(joined('2026-03-05T12:00:00Z'))]);
    const result = await runStep(verifyStep(), deps(cloud, { now: clock.now, sleep: clock.sleep }));
    expect(result).toEqual({
      status: 'done',
      before: null,
      after: {
        userId: ID.target,
        userPrincipalName: 'jdoe@contoso.com',
        synced: true,
        onPremisesImmutableId: ANCHOR,
        onPremisesLastSyncDateTime: '2026-03-05T12:00:00Z',
      },
      detail: `jdoe@contoso.com (${ID.target}) is synced and holds "${ANCHOR}" (last sync 2026-03-05T12:00:00Z).`,
    });
    expect(clock.slept).toEqual([]);
  });

  it('polls until the sync has joined the user', async () => {
    const clock = fakeClock(T0);
    const cloud = fakeCloud([target({ immutableId: ANCHOR })]);
    cloud.onFind = (n) => {
      if (n === 3) Object.assign(cloud.users.get(ID.target) ?? {}, joined('2026-03-05T12:00:20Z'));
    };
    const result = await runStep(verifyStep(), deps(cloud, { now: clock.now, sleep: clock.sleep, pollIntervalMs: 10_000 }));
    expect(result).toMatchObject({ status: 'done', after: { synced: true, onPremisesLastSyncDateTime: '2026-03-05T12:00:20Z' } });
    expect(clock.slept).toEqual([10_000, 10_000]);
    expect(cloud.calls.filter((c) => c.op === 'findUser')).toHaveLength(3);
  });

  it('gives up after its time limit with VERIFY_TIMEOUT and what it last saw', async () => {
    const clock = fakeClock(T0);
    const cloud = fakeCloud([target({ immutableId: ANCHOR })]);
    const result = await runStep(verifyStep(25), deps(cloud, { now: clock.now, sleep: clock.sleep, pollIntervalMs: 10_000 }));
    expect(result).toEqual({
      status: 'failed',
      code: 'VERIFY_TIMEOUT',
      detail: `After 25 s (4 checks), jdoe@contoso.com (${ID.target}) is not joined: it is still cloud-only (not synced); it has no onPremisesLastSyncDateTime.`,
    });
    // The last wait is cut to the deadline: the check at 25 s is the last one.
    expect(clock.slept).toEqual([10_000, 10_000, 5_000]);
  });

  it('does not accept a sync older than the plan’s, nor the wrong anchor', async () => {
    const clock = fakeClock(T0);
    const cloud = fakeCloud([target({ synced: true, immutableId: OLD_ANCHOR, lastSyncDateTime: '2026-03-05T11:58:59Z' })]);
    const result = await runStep(verifyStep(0), deps(cloud, { now: clock.now, sleep: clock.sleep }));
    expect(result).toMatchObject({ status: 'failed', code: 'VERIFY_TIMEOUT' });
    const { detail } = result as { detail: string };
    expect(detail).toContain(`it holds onPremisesImmutableId "${OLD_ANCHOR}", not "${ANCHOR}"`);
    expect(detail).toContain('its last sync (2026-03-05T11:58:59Z) is older than 2026-03-05T11:59:00.000Z');
  });

  it('counts a sync from when the plan triggered it (freshSince), to the second', async () => {
    const clock = fakeClock(T0);
    // Graph shows 11:50:00 for a sync at 11:50:00.400; the trigger started at 11:50:00.300.
    const cloud = fakeCloud([target(joined('2026-03-05T11:50:00Z'))]);
    const since = Date.UTC(2026, 2, 5, 11, 50, 0, 300);
    expect(await runStep(verifyStep(0), deps(cloud, { now: clock.now, sleep: clock.sleep, freshSince: since }))).toMatchObject({
      status: 'done',
    });
    expect(await runStep(verifyStep(0), deps(cloud, { now: clock.now, sleep: clock.sleep, freshSince: since + 1000 }))).toMatchObject({
      status: 'failed',
      code: 'VERIFY_TIMEOUT',
    });
  });

  it('reports a user that went to the recycle bin', async () => {
    const clock = fakeClock(T0);
    const cloud = fakeCloud([target({ ...joined('2026-03-05T12:00:00Z'), deletedDateTime: '2026-03-05T12:00:00Z' })]);
    const result = await runStep(verifyStep(0), deps(cloud, { now: clock.now, sleep: clock.sleep }));
    expect((result as { detail: string }).detail).toMatch(/not joined: it is in the recycle bin since 2026-03-05T12:00:00Z\.$/);
  });

  it('fails with Graph’s code when a poll fails', async () => {
    const cloud = fakeCloud([cloudUser({ id: ID.target, userPrincipalName: 'jdoe@contoso.com' })]);
    cloud.failNext('findUser', graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
    expect(await runStep(verifyStep(), deps(cloud))).toEqual({
      status: 'failed',
      code: 'Authorization_RequestDenied',
      detail: 'Microsoft Graph refused the request (403 Authorization_RequestDenied: Insufficient privileges to complete the operation.).',
    });
  });
});

describe('revalidationStands', () => {
  const subject = (userId: string) => ({ userId, userPrincipalName: `${userId}@contoso.com` });
  const set = (n: number, userId: string): PlanStep => ({
    number: n,
    irreversible: false,
    description: '',
    kind: 'SET_ANCHOR',
    subject: subject(userId),
    immutableId: 'x',
    previous: null,
  });
  const clear = (n: number, userId: string): PlanStep => ({
    number: n,
    irreversible: false,
    description: '',
    kind: 'CLEAR_ANCHOR',
    subject: subject(userId),
    previous: 'x',
  });
  const purge = (n: number, userId: string): PlanStep => ({
    number: n,
    irreversible: true,
    description: '',
    kind: 'PURGE_DELETED_USER',
    subject: subject(userId),
    immutableId: 'x',
  });
  const manual: PlanStep = { number: 1, irreversible: false, description: '', kind: 'MANUAL', instruction: 'Move it.' };

  it('trusts the re-validated value for a reversible write that is the first thing the plan changes', () => {
    expect(revalidationStands([set(1, 't')], 0)).toBe(true);
    expect(revalidationStands([clear(1, 't'), set(2, 'u')], 0)).toBe(true);
  });

  it('reads again after a write to another user: a purge or a clear frees an anchor a sync may give the target meanwhile', () => {
    expect(revalidationStands([purge(1, 'old'), set(2, 't')], 1)).toBe(false);
    expect(revalidationStands([clear(1, 'other'), set(2, 't')], 1)).toBe(false);
  });

  it("reads again for a purge, after a person's step, and after an earlier write to the same user", () => {
    expect(revalidationStands([purge(1, 'old')], 0)).toBe(false);
    expect(revalidationStands([manual, set(2, 't')], 1)).toBe(false);
    expect(revalidationStands([clear(1, 't'), set(2, 't')], 1)).toBe(false);
    expect(revalidationStands([set(1, 't')], 3)).toBe(false);
  });
});
