/**
 * The plan the engine tests run (engine.test.ts, engine-throttle.test.ts): a deleted user holds
 * the anchor, the plan purges it and sets the anchor on the target, and the tenant it runs in.
 */
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { cloudUser, fakeCloud, type FakeCloud } from './fake-cloud.ts';

export const ANCHOR = 'g8Pclm4vok+vFWtMERklmg==';
export const target = { userId: '11111111-1111-4111-8111-111111111111', userPrincipalName: 'jdoe@contoso.com' };
export const holder = { userId: '22222222-2222-4222-8222-222222222222', userPrincipalName: 'jdoe-old@contoso.com' };

/** The plan's writes: purge the deleted holder, set the anchor on the target. */
export const WRITE_STEPS: PlanStep[] = [
  {
    number: 1,
    irreversible: true,
    description: 'Purge the deleted holder',
    kind: 'PURGE_DELETED_USER',
    subject: holder,
    immutableId: ANCHOR,
  },
  {
    number: 2,
    irreversible: false,
    description: 'Set the anchor',
    kind: 'SET_ANCHOR',
    subject: target,
    immutableId: ANCHOR,
    previous: null,
  },
];

/** The tenant before the plan: the target without an anchor, the holder in the recycle bin with it. */
export function tenantBeforePlan(): FakeCloud {
  return fakeCloud([
    cloudUser({ id: target.userId, userPrincipalName: target.userPrincipalName, immutableId: null }),
    cloudUser({
      id: holder.userId,
      userPrincipalName: holder.userPrincipalName,
      immutableId: ANCHOR,
      deletedDateTime: '2026-11-20T10:00:00Z',
    }),
  ]);
}
