/**
 * The small vocabulary every action answers with: done, drift, and failures from our errors.
 * Graph's refusals keep Graph's own code (ObjectConflict, Request_BadRequest...) and its message,
 * which is what an admin can look up; anything that is not one of our errors is a bug and is rethrown.
 */
import type { StepSubject } from '../domain/diagnosis/types.ts';
import type { CloudUser } from '../domain/cloud.ts';
import { CloudError, isHardmatchError } from '../errors/index.ts';
import { STEP_FAILURES, type StepResult } from './types.ts';

export function done(before: unknown, after: unknown, detail: string): StepResult {
  return { status: 'done', before, after, detail };
}

export function drift(detail: string): StepResult {
  return { status: 'failed', code: STEP_FAILURES.drift, detail: `${detail} Nothing was changed.` };
}

/** A failed result from one of our errors; `before` is kept when the step had read it. */
export function failedFrom(err: unknown, before?: unknown): StepResult {
  const withBefore = before === undefined ? {} : { before };
  if (err instanceof CloudError) {
    // The cloud module's message names the call and quotes Graph (with the conflicting `User_<id>`).
    const quoted = err.graphMessage === null || err.message.includes(err.graphMessage);
    const detail = quoted ? err.message : `${err.message} Graph said: ${err.graphMessage}`;
    const throttled = err.code === 'CLOUD_THROTTLED' ? { throttled: { retryAfterMs: err.retryAfterMs } } : {};
    return { status: 'failed', code: err.graphCode ?? err.code, detail, ...withBefore, ...throttled };
  }
  if (isHardmatchError(err)) return { status: 'failed', code: err.code, detail: err.message, ...withBefore };
  throw err;
}

/** "jdoe@contoso.com (1f0e…)" for details. */
export function named(subject: StepSubject): string {
  return `${subject.userPrincipalName} (${subject.userId})`;
}

/** Shows null as "none" in details, a value in quotes. */
export function shown(value: string | null): string {
  return value === null ? 'none' : `"${value}"`;
}

/**
 * Re-reads the subject and checks it is an active user; a drift result otherwise. Errors from the
 * read become failed results too.
 */
export async function readActiveUser(
  cloud: { findUser(idOrUpn: string): Promise<CloudUser | null> },
  subject: StepSubject,
): Promise<CloudUser | StepResult> {
  let user: CloudUser | null;
  try {
    user = await cloud.findUser(subject.userId);
  } catch (err) {
    return failedFrom(err);
  }
  if (!user) return drift(`The cloud user ${named(subject)} no longer exists.`);
  if (user.deletedDateTime !== null)
    return drift(`The cloud user ${named(subject)} was deleted (it is in the recycle bin since ${user.deletedDateTime}).`);
  return user;
}

export function isStepResult<T extends object>(value: T | StepResult): value is StepResult {
  return 'status' in value;
}
