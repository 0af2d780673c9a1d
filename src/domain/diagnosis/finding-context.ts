/**
 * What every finding builder needs: the situation, the chosen target, the plan (findings point at
 * the steps that fix them) and, when a cloud-only user is to be joined, what that takes.
 */
import type { CloudUser } from '../cloud.ts';
import type { TargetChoice } from './choose-target.ts';
import { targetWork, type TargetWork } from './plan.ts';
import type { Situation } from './situation.ts';
import type { Finding, Plan, PlanStep, Severity } from './types.ts';

export interface FindingContext {
  s: Situation;
  choice: TargetChoice;
  plan: Plan;
  /** The active target (synced or not), when there is one. */
  target: CloudUser | null;
  /** Set when the plan joins a cloud-only target. */
  work: TargetWork | null;
}

export function findingContext(s: Situation, choice: TargetChoice, plan: Plan): FindingContext {
  const target = choice.kind === 'target' ? choice.user : null;
  const work = target && !target.synced ? targetWork(s, target) : null;
  return { s, choice, plan, target, work };
}

/** Numbers of the plan's steps that satisfy `test`. */
export function stepsWhere(plan: Plan, test: (step: PlanStep) => boolean): number[] {
  return plan.steps.filter(test).map((step) => step.number);
}

export function stepsOfKind(plan: Plan, kind: PlanStep['kind'], userId?: string): number[] {
  return stepsWhere(plan, (step) => step.kind === kind && (userId === undefined || ('subject' in step && step.subject.userId === userId)));
}

export function manualStepsOf(plan: Plan, action: string): number[] {
  return stepsWhere(plan, (step) => step.kind === 'MANUAL' && step.action?.kind === action);
}

/** The last sync (TRIGGER_DELTA_SYNC or PROVISION_ON_DEMAND): the one that makes the match. */
export function joiningSync(plan: Plan): number[] {
  const syncs = stepsWhere(plan, (step) => step.kind === 'TRIGGER_DELTA_SYNC' || step.kind === 'PROVISION_ON_DEMAND');
  return syncs.length === 0 ? [] : [syncs[syncs.length - 1] ?? 0];
}

export function finding(
  code: Finding['code'],
  severity: Severity,
  title: string,
  evidence: (string | false | null | undefined)[],
  remedy: string,
  userIds: string[] = [],
): Finding {
  return { code, severity, title, evidence: evidence.filter((e): e is string => typeof e === 'string' && e !== ''), remedy, userIds };
}
