/**
 * The plan's promise (`JoinPromise`), from what the card predicts the plan's sync does: the UPN it
 * writes and the AD user's addresses, none of them kept away. VERIFY_JOINED checks it after the join.
 */
import type { SyncPrediction, JoinPromise, Plan } from './types.ts';
import type { Situation } from './situation.ts';

export function promiseOf(s: Situation, prediction: SyncPrediction): JoinPromise | null {
  const after = prediction.afterPlan;
  if (!after || !('values' in after)) return null;
  const placeholder = after.values.upnAdjustment?.reason === 'DUPLICATE';
  return {
    userPrincipalName: placeholder ? null : after.values.userPrincipalName,
    addresses: [...s.addresses],
    recheck: `match ${s.onPrem.samAccountName}`,
  };
}

/** The plan with the promise on its VERIFY_JOINED step (the plan unchanged when there is none). */
export function withPromise(plan: Plan, promise: JoinPromise | null): Plan {
  if (promise === null) return plan;
  const upn = promise.userPrincipalName === null ? '' : `, has the UPN ${promise.userPrincipalName}`;
  const also = `${upn}, holds every address of the AD user and shows no provisioning error (else the request ends done-with-warnings)`;
  return {
    ...plan,
    steps: plan.steps.map((step) =>
      step.kind === 'VERIFY_JOINED'
        ? { ...step, promise, description: step.description.replace(/ \(give up after/, `${also} (give up after`) }
        : step,
    ),
  };
}
