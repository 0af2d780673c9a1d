/**
 * VERIFY_JOINED checks the plan's promise once the join shows (issue 19): the UPN the card
 * predicted, every address of the AD user on the joined user, no provisioning error. A join that
 * misses any is still done, with each leftover and its fix as warnings (the request then ends
 * `done-with-warnings`); without a promise the join alone is checked, as before.
 */
import { describe, expect, it } from 'vitest';
import type { JoinPromise } from '../../src/domain/diagnosis/types.ts';
import { runStep } from '../../src/execution/index.ts';
import { leftoversOf } from '../../src/execution/verify-promise.ts';
import { fakeClock, fakeCloud } from './fake-cloud.ts';
import { ANCHOR, T0, target, verifyStep } from './steps.ts';

const PROMISE: JoinPromise = {
  userPrincipalName: 'jdoe@contoso.com',
  addresses: ['john.doe@contoso.com', 'jdoe@contoso.com'],
  recheck: 'match jdoe',
};
const joined = { synced: true, immutableId: ANCHOR, lastSyncDateTime: '2026-03-05T12:00:00Z' };

describe("VERIFY_JOINED and the plan's promise", () => {
  it('is done without warnings when the joined user has the UPN and every address, and no error', async () => {
    const cloud = fakeCloud([target({ ...joined, proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'] })]);
    const clock = fakeClock(T0);
    const result = await runStep(
      { ...verifyStep(), promise: PROMISE },
      { cloud, sync: { triggerSync: () => Promise.reject(new Error('no sync in this test')) }, now: clock.now, sleep: clock.sleep },
    );
    expect(result).toMatchObject({ status: 'done' });
    expect(result.status === 'done' && result.warnings).toBeFalsy();
    expect(result.status === 'done' && result.detail).toContain('with the UPN and addresses the plan promised');
  });

  it('is done with a warning per leftover, each with its fix, when Entra quarantined an address', async () => {
    const user = target({
      ...joined,
      proxyAddresses: ['smtp:jdoe@contoso.com'],
      provisioningErrors: [
        {
          category: 'PropertyConflict',
          property: 'ProxyAddress',
          value: 'SMTP:john.doe@contoso.com',
          occurredDateTime: '2026-03-05T12:00:00Z',
        },
      ],
    });
    const clock = fakeClock(T0);
    const result = await runStep(
      { ...verifyStep(), promise: PROMISE },
      {
        cloud: fakeCloud([user]),
        sync: { triggerSync: () => Promise.reject(new Error('no sync in this test')) },
        now: clock.now,
        sleep: clock.sleep,
      },
    );
    expect(result.status).toBe('done');
    const warnings = result.status === 'done' ? (result.warnings ?? []) : [];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.what).toContain('john.doe@contoso.com is not on jdoe@contoso.com');
    expect(warnings[0]?.fix).toContain('`match jdoe`');
    expect(result.status === 'done' && result.detail).toContain('but the join left something to fix');
  });

  it('names a UPN other than the predicted one, and every other provisioning error', () => {
    const user = target({
      ...joined,
      userPrincipalName: 'jdoe+1234@contoso.onmicrosoft.com',
      proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'],
      provisioningErrors: [
        { category: 'PropertyConflict', property: 'UserPrincipalName', value: 'jdoe@contoso.com', occurredDateTime: null },
      ],
    });
    const left = leftoversOf(user, PROMISE);
    expect(left.map((l) => l.what)).toEqual([
      'jdoe+1234@contoso.onmicrosoft.com did not get the UPN jdoe@contoso.com the plan predicted',
      'Entra records PropertyConflict on UserPrincipalName jdoe@contoso.com for jdoe+1234@contoso.onmicrosoft.com',
    ]);
  });

  it('does not hold a placeholder the card could not predict against the join', () => {
    const user = target({
      ...joined,
      userPrincipalName: 'jdoe+1234@contoso.onmicrosoft.com',
      proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'],
    });
    expect(leftoversOf(user, { ...PROMISE, userPrincipalName: null })).toEqual([]);
  });
});
