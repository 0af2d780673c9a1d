/**
 * A bulk user's VERIFY_JOINED after its wave's sync, exactly once per user per wave, whichever
 * coordinator runs the wave and however often: the result is recorded on the user's own request
 * (`waveVerification`) in the same compare-and-swap that stages its trail entry in the request's
 * audit outbox, then flushed. A coordinator that resumes the wave (the previous one died after some
 * users were verified) finds the record and neither verifies that user again nor writes its entry
 * a second time; a crash between the record and the flush leaves the entry in the outbox, copied
 * into the trail by the next write or read of the request.
 */
import type { ApprovalRequest, WaveVerification } from '../domain/approval/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { StepResult } from '../execution/types.ts';
import { casUpdate } from '../concurrency/cas-update.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { childStepEvent } from './wave-sync.ts';

export interface WaveVerificationDeps {
  store: RequestStore;
  audit: AuditTrail;
  now: () => number;
}

/** Compare-and-swap attempts on a user's request (only its own verification and a card refresh write it now). */
const ATTEMPTS = 10;

/**
 * The user's verification for `wave`: the recorded one when there is one, else `verify()` run now
 * and recorded with its trail entry. Answers whether the user was seen joined.
 */
export async function verifyOnce(
  deps: WaveVerificationDeps,
  child: ApprovalRequest,
  step: PlanStep,
  wave: number,
  verify: () => Promise<StepResult>,
): Promise<boolean> {
  const stored = (await deps.store.get(child.id))?.value ?? child;
  const recorded = stored.waveVerification;
  if (recorded?.wave === wave) {
    // Recorded by a coordinator that died before flushing: its entry is still in the outbox.
    await deps.audit.flush(stored);
    return recorded.joined;
  }
  const result = await verify();
  const at = deps.now();
  const verification: WaveVerification = {
    wave,
    at,
    joined: result.status === 'done',
    ...(result.status === 'failed' ? { code: result.code } : {}),
  };
  const event = childStepEvent(child, step, result, at, {
    done: "Verified after the wave's sync: joined",
    failed: (why) => `Not verified after the wave's sync (${why})`,
  });
  const written = await casUpdate(
    deps.store,
    child.id,
    ({ value }) =>
      value.waveVerification?.wave === wave ? null : deps.audit.stage({ ...value, waveVerification: verification, updatedAt: at }, [event]),
    ATTEMPTS,
  );
  if (written.written) {
    await deps.audit.flush(written.stored.value);
    return verification.joined;
  }
  if (written.exhausted) throw new Error(`user request ${child.id} kept changing: its verification after wave ${wave} was not recorded`);
  // Another coordinator recorded it meanwhile: its result stands, and its entry is the only one.
  return written.current?.value.waveVerification?.joined ?? verification.joined;
}
