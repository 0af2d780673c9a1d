/**
 * The facts a request rests on, read again now (re-validation before the last approval). For a
 * `match` request: the whole diagnosis again, from AD and the cloud. For an `undo` request: each
 * value the original steps wrote, read from the cloud, in the form the undo's fingerprint holds.
 */
import type { CloudDirectory } from '../ports/cloud-directory.ts';
import { fingerprintOf } from '../domain/approval/fingerprint.ts';
import type { ApprovalRequest, FingerprintFact } from '../domain/approval/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import { readDiagnosis, type DiagnosisSources } from './read-diagnosis.ts';

export function createRefingerprint(sources: DiagnosisSources): (request: ApprovalRequest) => Promise<FingerprintFact[]> {
  return async (request) => {
    if (request.kind === 'undo') return undoFacts(request, sources.cloud);
    // A bulk request re-reads each user just before its own steps (bulk/bulk-executor.ts).
    if (request.kind === 'bulk') return request.fingerprint;
    const query = { who: request.who, ...(request.target ? { target: request.target } : {}) };
    const fresh = await readDiagnosis(query, { ...sources, fresh: true, expectedCandidates: expectedCandidates(request) });
    return fingerprintOf(fresh.diagnosis);
  };
}

/**
 * The active cloud users the stored diagnosis considered (its plan's target first): their roles
 * are read now, in the evidence `$batch` itself. A candidate that appeared since costs one more
 * round trip; its roles are still read now, never taken from a cache.
 */
function expectedCandidates(request: ApprovalRequest): string[] {
  const { diagnosis } = request;
  const active = diagnosis.candidates.filter((c) => c.user.deletedDateTime === null).map((c) => c.user.id);
  return [...new Set([...(diagnosis.plan.target ? [diagnosis.plan.target.id] : []), ...active])];
}

async function undoFacts(request: ApprovalRequest, cloud: CloudDirectory): Promise<FingerprintFact[]> {
  return Promise.all(
    request.steps.map(async (step, i) => {
      const stored = request.fingerprint[i];
      const fact = stored?.fact ?? `step ${step.number} after`;
      const label = stored?.label ?? step.description;
      return { fact, label, value: JSON.stringify(await currentValue(step, cloud)) };
    }),
  );
}

/** The value now, in the shape the original step recorded as `after`. */
async function currentValue(step: PlanStep, cloud: CloudDirectory): Promise<unknown> {
  if (step.kind !== 'SET_ANCHOR' && step.kind !== 'CLEAR_ANCHOR' && step.kind !== 'RENAME_UPN_TEMPORARILY') return null;
  const user = await cloud.findUser(step.subject.userId);
  if (!user || user.deletedDateTime !== null) return null;
  return step.kind === 'RENAME_UPN_TEMPORARILY'
    ? { userId: user.id, userPrincipalName: user.userPrincipalName }
    : { userId: user.id, onPremisesImmutableId: user.immutableId };
}
