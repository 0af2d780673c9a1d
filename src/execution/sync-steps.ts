/**
 * TRIGGER_DELTA_SYNC (one Entra Connect delta sync through the relay) and VERIFY_JOINED (poll Graph
 * until the cloud user is synced, holds the anchor and was exported by a fresh sync). The sync
 * command only starts a cycle, so the join is proven by VERIFY_JOINED, never by the trigger.
 */
import type { CloudUser } from '../domain/cloud.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { done, failedFrom, named, shown } from './step-outcome.ts';
import { leftoversOf } from './verify-promise.ts';
import { DEFAULT_POLL_INTERVAL_MS, FRESHNESS_SLACK_MS, STEP_FAILURES, type JoinedState, type StepDeps, type StepResult } from './types.ts';

type StepOf<K extends PlanStep['kind']> = Extract<PlanStep, { kind: K }>;

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function syncDetail(result: unknown): string {
  const detail = typeof result === 'object' && result !== null && 'detail' in result ? result.detail : undefined;
  return typeof detail === 'string' && detail.trim() !== '' ? `Delta sync completed: ${detail.trim()}` : 'Delta sync completed.';
}

export async function triggerDeltaSync(deps: StepDeps): Promise<StepResult> {
  try {
    const result = await deps.sync.triggerSync();
    return done(null, result ?? null, syncDetail(result));
  } catch (err) {
    return failedFrom(err);
  }
}

/** Graph's timestamps have whole seconds; compare on that grid so a sync in the same second counts. */
function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Why `user` is not (yet) joined; empty when it is. */
function notJoinedReasons(user: CloudUser | null, immutableId: string, freshSince: number): string[] {
  if (!user) return ['it no longer exists'];
  const reasons: string[] = [];
  if (user.deletedDateTime !== null) reasons.push(`it is in the recycle bin since ${user.deletedDateTime}`);
  if (!user.synced) reasons.push('it is still cloud-only (not synced)');
  if (user.immutableId !== immutableId) reasons.push(`it holds onPremisesImmutableId ${shown(user.immutableId)}, not "${immutableId}"`);
  const last = user.lastSyncDateTime === null ? Number.NaN : Date.parse(user.lastSyncDateTime);
  if (Number.isNaN(last)) reasons.push('it has no onPremisesLastSyncDateTime');
  else if (last < wholeSecond(freshSince))
    reasons.push(`its last sync (${user.lastSyncDateTime}) is older than ${new Date(freshSince).toISOString()}`);
  return reasons;
}

/**
 * The join is proven only when no other object, active or in the recycle bin, still holds the
 * anchor: a duplicate holding it would make the next sync fail again. '' when none does.
 */
async function otherHolders(step: StepOf<'VERIFY_JOINED'>, deps: StepDeps): Promise<string | StepResult> {
  let holders: CloudUser[];
  try {
    holders = await deps.cloud.holdersOfAnchor(step.immutableId);
  } catch (err) {
    return failedFrom(err);
  }
  const others = holders.filter((h) => h.id !== step.subject.userId);
  if (others.length === 0) return '';
  const names = others.map((o) => `${o.userPrincipalName} (${o.id}${o.deletedDateTime ? ', in the recycle bin' : ''})`).join(', ');
  return `another object still holds "${step.immutableId}": ${names}`;
}

function joinedState(user: CloudUser): JoinedState {
  return {
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    synced: user.synced,
    onPremisesImmutableId: user.immutableId,
    onPremisesLastSyncDateTime: user.lastSyncDateTime,
  };
}

/** The join is proven; what it left that the plan meant to clear comes back as warnings. */
function joinedResult(step: StepOf<'VERIFY_JOINED'>, user: CloudUser): StepResult {
  const joined = `${user.userPrincipalName} (${user.id}) is synced and holds "${step.immutableId}" (last sync ${user.lastSyncDateTime ?? ''})`;
  const warnings = leftoversOf(user, step.promise);
  if (warnings.length === 0)
    return done(null, joinedState(user), `${joined}${step.promise ? ', with the UPN and addresses the plan promised' : ''}.`);
  const detail = `${joined}, but the join left ${warnings.length === 1 ? 'something' : `${warnings.length} things`} to fix: ${warnings.map((w) => w.what).join('; ')}.`;
  return { status: 'done', before: null, after: joinedState(user), detail, warnings };
}

export async function verifyJoined(step: StepOf<'VERIFY_JOINED'>, deps: StepDeps): Promise<StepResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const interval = Math.max(1, deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  const started = now();
  const freshSince = deps.freshSince ?? started - FRESHNESS_SLACK_MS;
  const deadline = started + step.timeoutSeconds * 1000;
  for (let polls = 1; ; polls += 1) {
    deps.signal?.throwIfAborted();
    let user: CloudUser | null;
    // The user and the anchor's holders are independent reads: one round trip, not two.
    const holders = otherHolders(step, deps);
    try {
      user = await deps.cloud.findUser(step.subject.userId);
    } catch (err) {
      void holders.catch(() => undefined);
      return failedFrom(err);
    }
    const reasons = notJoinedReasons(user, step.immutableId, freshSince);
    const others = await holders;
    if (user && reasons.length === 0) {
      if (typeof others !== 'string') return others;
      if (others !== '') reasons.push(others);
    }
    if (user && reasons.length === 0) return joinedResult(step, user);
    const remaining = deadline - now();
    if (remaining <= 0) {
      return {
        status: 'failed',
        code: STEP_FAILURES.verifyTimeout,
        detail: `After ${step.timeoutSeconds} s (${polls} checks), ${named(step.subject)} is not joined: ${reasons.join('; ')}.`,
      };
    }
    await sleep(Math.min(interval, remaining));
  }
}
