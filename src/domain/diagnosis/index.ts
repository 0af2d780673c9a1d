/**
 * The diagnosis (pure): what `match` shows for one AD user against what the cloud holds. Findings
 * with severity, evidence and remedy; the plan that fixes it (ordered, reversible vs
 * IRREVERSIBLE); what the next sync does now and after the plan. Imports only src/domain.
 */
import type { CloudEvidence } from '../cloud.ts';
import type { OnPremUser } from '../onprem-user.ts';
import { chooseTarget } from './choose-target.ts';
import { buildFindings } from './findings.ts';
import { buildPlan } from './plan.ts';
import { fitPlanToTenant } from './engine-steps.ts';
import { predict } from './prediction.ts';
import { promiseOf, withPromise } from './promise.ts';
import { buildSituation } from './situation.ts';
import { DEFAULT_VERIFY_TIMEOUT_SECONDS } from './steps.ts';
import type { Diagnosis } from './types.ts';

export { applyPlanToTenant, tenantFromEvidence } from './apply-plan.ts';
export { diagnoseOnPrem } from './onprem.ts';
export { CLEAR_ROLES, engineFor, STEP_PERMISSIONS, type UserEngine } from './engine-steps.ts';
export { DEFAULT_VERIFY_TIMEOUT_SECONDS } from './steps.ts';
export * from './types.ts';

export interface DiagnoseInput {
  /** What the admin typed. */
  who: string;
  onPrem: OnPremUser;
  evidence: CloudEvidence;
  /** VERIFY_JOINED's time limit; default 600 s. */
  verifyTimeoutSeconds?: number;
}

/** The full diagnosis of one AD user against what the cloud holds. */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const s = buildSituation(input.who, input.onPrem, input.evidence);
  const choice = chooseTarget(s);
  const built = fitPlanToTenant(
    buildPlan(s, choice, input.verifyTimeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS),
    input.onPrem,
    input.evidence.tenant,
  );
  const prediction = predict(s, built);
  const plan = withPromise(built, promiseOf(s, prediction));
  return {
    who: input.who,
    onPrem: input.onPrem,
    candidates: s.candidates,
    findings: buildFindings(s, choice, plan),
    plan,
    prediction,
  };
}
