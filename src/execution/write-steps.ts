/**
 * The plan's Graph writes: SET_ANCHOR, CLEAR_ANCHOR, RENAME_UPN_TEMPORARILY, PURGE_DELETED_USER.
 * Each re-reads the user first and writes only when it is still as the plan saw it (else
 * PLAN_DRIFT, nothing written): an approval can come an hour after the diagnosis. A reversible
 * write run right after the approval's own re-validation (`deps.revalidated`) takes the value
 * that re-validation read instead of reading it a second time.
 * A reversible step that finds its target value already in place writes nothing and answers done,
 * so re-running it after a restart is harmless; so does an anchor write Graph refused because a
 * sync gave the user that anchor between the read and the write.
 */
import type { PlanStep, StepSubject } from '../domain/diagnosis/types.ts';
import { sameAddress } from '../domain/cloud.ts';
import { CloudError } from '../errors/index.ts';
import { done, drift, failedFrom, isStepResult, named, readActiveUser, shown } from './step-outcome.ts';
import type { AnchorValue, PurgedUser, StepDeps, StepResult, UpnValue } from './types.ts';

type StepOf<K extends PlanStep['kind']> = Extract<PlanStep, { kind: K }>;

interface AnchorChange {
  subject: StepSubject;
  /** The value the plan saw. */
  expected: string | null;
  /** The value to write (null clears). */
  target: string | null;
  /** Who expected `expected`, for the drift message. Default "the plan expected". */
  expectedBy?: string;
}

/** Shared by SET_ANCHOR, CLEAR_ANCHOR and their undo. */
export async function changeAnchor(change: AnchorChange, deps: StepDeps): Promise<StepResult> {
  const { subject, expected, target, expectedBy = 'the plan expected' } = change;
  const user = deps.revalidated ? { id: subject.userId, immutableId: expected } : await readActiveUser(deps.cloud, subject);
  if (isStepResult(user)) return user;
  const before: AnchorValue = { userId: user.id, onPremisesImmutableId: user.immutableId };
  if (user.immutableId === target) {
    return done(before, before, `The onPremisesImmutableId of ${named(subject)} is already ${shown(target)}; nothing was written.`);
  }
  if (user.immutableId !== expected) {
    return drift(`The onPremisesImmutableId of ${named(subject)} is now ${shown(user.immutableId)}; ${expectedBy} ${shown(expected)}.`);
  }
  const after: AnchorValue = { userId: user.id, onPremisesImmutableId: target };
  try {
    await deps.cloud.setImmutableId(user.id, target);
  } catch (err) {
    if (await anchorInPlace(err, subject, target, deps)) {
      return done(
        before,
        after,
        `The onPremisesImmutableId of ${named(subject)} became ${shown(target)} meanwhile (a sync); nothing was written.`,
      );
    }
    return failedFrom(err, before);
  }
  const what =
    target === null
      ? `Cleared the onPremisesImmutableId of ${named(subject)}`
      : `Set the onPremisesImmutableId of ${named(subject)} to ${shown(target)}`;
  return done(before, after, `${what}; it was ${shown(user.immutableId)}.`);
}

/**
 * After Graph refused the write (400: the user is now mastered on-premises, or another object
 * holds the value): whether the user holds the target anyway. A sync between the read and the
 * write soft-matches a target whose anchor was just freed (by a purge, or Entra's own cycle), and
 * then the refusal is the plan's end state reached, not a failure.
 */
async function anchorInPlace(err: unknown, subject: StepSubject, target: string | null, deps: StepDeps): Promise<boolean> {
  if (!(err instanceof CloudError) || err.status !== 400) return false;
  const now = await readActiveUser(deps.cloud, subject);
  return !isStepResult(now) && now.immutableId === target;
}

export function setAnchor(step: StepOf<'SET_ANCHOR'>, deps: StepDeps): Promise<StepResult> {
  return changeAnchor({ subject: step.subject, expected: step.previous, target: step.immutableId }, deps);
}

export function clearAnchor(step: StepOf<'CLEAR_ANCHOR'>, deps: StepDeps): Promise<StepResult> {
  return changeAnchor({ subject: step.subject, expected: step.previous, target: null }, deps);
}

/** Shared by RENAME_UPN_TEMPORARILY and its undo. UPNs compare case-insensitively, as Entra does. */
export async function changeUpn(
  change: { subject: StepSubject; from: string; to: string; expectedBy?: string },
  deps: StepDeps,
): Promise<StepResult> {
  const { subject, from, to, expectedBy = 'the plan expected' } = change;
  const user = deps.revalidated ? { id: subject.userId, userPrincipalName: from } : await readActiveUser(deps.cloud, subject);
  if (isStepResult(user)) return user;
  const before: UpnValue = { userId: user.id, userPrincipalName: user.userPrincipalName };
  if (sameAddress(user.userPrincipalName, to)) {
    return done(before, before, `The UPN of ${subject.userId} is already ${to}; nothing was written.`);
  }
  if (!sameAddress(user.userPrincipalName, from)) {
    return drift(`The UPN of ${subject.userId} is now ${user.userPrincipalName}; ${expectedBy} ${from}.`);
  }
  try {
    await deps.cloud.setUserPrincipalName(user.id, to);
  } catch (err) {
    return failedFrom(err, before);
  }
  const after: UpnValue = { userId: user.id, userPrincipalName: to };
  return done(before, after, `Renamed ${user.userPrincipalName} (${subject.userId}) to ${to}.`);
}

export function renameUpn(step: StepOf<'RENAME_UPN_TEMPORARILY'>, deps: StepDeps): Promise<StepResult> {
  return changeUpn({ subject: step.subject, from: step.from, to: step.to }, deps);
}

/** Irreversible: checked strictly, and never answered "already done" (a purge is never guessed). */
export async function purgeDeletedUser(step: StepOf<'PURGE_DELETED_USER'>, deps: StepDeps): Promise<StepResult> {
  const who = named(step.subject);
  let user;
  try {
    user = await deps.cloud.findUser(step.subject.userId);
  } catch (err) {
    return failedFrom(err);
  }
  if (!user) return drift(`The deleted user ${who} is no longer in the recycle bin (purged or expired).`);
  if (user.deletedDateTime === null) return drift(`The user ${who} was restored from the recycle bin; it is active again.`);
  if (step.immutableId !== null && user.immutableId !== step.immutableId) {
    return drift(
      `The deleted user ${who} now holds onPremisesImmutableId ${shown(user.immutableId)}; the plan expected ${shown(step.immutableId)}.`,
    );
  }
  const before: PurgedUser = {
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    onPremisesImmutableId: user.immutableId,
    deletedDateTime: user.deletedDateTime,
  };
  try {
    await deps.cloud.purgeDeletedUser(user.id);
  } catch (err) {
    return failedFrom(err, before);
  }
  return done(before, null, `Permanently deleted ${who} from the recycle bin (it held onPremisesImmutableId ${shown(user.immutableId)}).`);
}
