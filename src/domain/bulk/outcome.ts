/**
 * What a scan says about one user, in one word the admin can count: the bulk card groups users by
 * it and one bulk approval covers the two fully automated outcomes (needs a hard match, needs a
 * purge first). Derived from the same diagnosis `match` shows, never computed separately.
 */
import type { Diagnosis, Plan, PlanStep, StepKind } from '../diagnosis/types.ts';

export const BULK_OUTCOMES = [
  'already-matched',
  'sync-will-join',
  'needs-hard-match',
  'needs-purge',
  'needs-person',
  'blocked',
  'not-found',
] as const;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];

/** The card's and the report's words for each outcome (user-visible; the README lists them). */
export const OUTCOME_LABELS: Readonly<Record<BulkOutcome, string>> = Object.freeze({
  'already-matched': 'Already matched',
  'sync-will-join': 'The sync will join it by itself',
  'needs-hard-match': 'Needs a hard match',
  'needs-purge': 'Needs a purge first',
  'needs-person': 'Needs a person',
  blocked: 'Blocked',
  'not-found': 'Not found',
});

/** The outcomes whose plan the bot can carry out alone, under one bulk approval. */
export const AUTOMATED_OUTCOMES: readonly BulkOutcome[] = ['needs-hard-match', 'needs-purge'];

/**
 * - blocked: no plan without a decision only a person can make (several candidates, a refused
 *   takeover...);
 * - not-found: no AD user (a list line), or no cloud user at all (the next sync creates one);
 * - already-matched / sync-will-join: nothing to write, the next sync only updates or joins;
 * - needs-person: the plan has a MANUAL step (on-prem, roles, a tenant switch);
 * - needs-purge / needs-hard-match: every step is the bot's, with or without an irreversible purge.
 */
export function outcomeOf(diagnosis: Diagnosis): BulkOutcome {
  const { plan, onPrem, findings } = diagnosis;
  if (onPrem === null) return findings.some((f) => f.code === 'ONPREM_AMBIGUOUS') ? 'blocked' : 'not-found';
  if (plan.blockedReason !== undefined) return 'blocked';
  if (plan.steps.some((s) => s.kind === 'MANUAL')) return 'needs-person';
  if (plan.steps.some((s) => s.kind === 'PURGE_DELETED_USER')) return 'needs-purge';
  if (itemSteps(plan).length > 0) return 'needs-hard-match';
  const now = diagnosis.prediction?.now.kind;
  if (now === 'UPDATE') return 'already-matched';
  if (findings.some((f) => f.code === 'NO_CLOUD_CANDIDATE')) return 'not-found';
  return 'sync-will-join';
}

export function isAutomated(outcome: BulkOutcome): boolean {
  return AUTOMATED_OUTCOMES.includes(outcome);
}

/**
 * The steps a wave runs once for all its users (one sync), or after it for each (the verification):
 * never part of a user's own item.
 */
const WAVE_STEPS: ReadonlySet<StepKind> = new Set<StepKind>(['TRIGGER_DELTA_SYNC', 'PROVISION_ON_DEMAND', 'VERIFY_JOINED']);

/**
 * The steps a user's own bulk item runs before its wave's sync: every cloud write of the plan
 * (purge, clear or rename, set the anchor, clear onPremisesObjectIdentifier), in plan order. Derived
 * by leaving the wave's steps out, so no write the sync depends on is ever dropped.
 */
export function itemSteps(plan: Plan): PlanStep[] {
  return plan.steps.filter((s) => s.kind !== 'MANUAL' && !WAVE_STEPS.has(s.kind));
}
