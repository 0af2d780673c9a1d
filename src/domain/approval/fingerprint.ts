/**
 * The facts a plan rests on, stored with the request and compared again when the last approval
 * arrives: if any differs, the bot refuses to run a plan made for a directory that no longer
 * exists. Facts are keyed by the user a step acts on (not the step's number), so one added step
 * shows as itself plus the changed plan shape rather than as every later step changing.
 */
import type { Diagnosis, PlanStep } from '../diagnosis/types.ts';
import type { FactChange, FingerprintFact } from './types.ts';
import { canonicalJson } from '../audit/chain.ts';

export function fingerprintOf(diagnosis: Diagnosis): FingerprintFact[] {
  const { plan } = diagnosis;
  const target = plan.target;
  const facts: FingerprintFact[] = [
    {
      fact: 'target',
      label: target ? `Cloud user the plan joins (${target.userPrincipalName})` : 'Cloud user the plan joins',
      value: target?.id ?? null,
    },
    {
      fact: 'anchor',
      label: `ImmutableID the plan sets (the AD user's effective anchor)`,
      value: diagnosis.onPrem?.anchor.immutableId ?? null,
    },
    { fact: 'steps', label: "The plan's steps, in order", value: plan.steps.map((s) => s.kind).join(', ') },
  ];
  for (const step of plan.steps) for (const fact of stepFacts(step)) facts.push(unique(facts, fact));
  return facts;
}

/** The values an automated step will replace (what must still be there when it runs), and what a person's step asks. */
function stepFacts(step: PlanStep): FingerprintFact[] {
  const n = `(step ${step.number})`;
  switch (step.kind) {
    case 'SET_ANCHOR':
      return [
        fact(
          `SET_ANCHOR previous ${step.subject.userId}`,
          `onPremisesImmutableId of ${step.subject.userPrincipalName} before it is set ${n}`,
          step.previous,
        ),
      ];
    case 'CLEAR_ANCHOR':
      return [
        fact(
          `CLEAR_ANCHOR previous ${step.subject.userId}`,
          `onPremisesImmutableId of ${step.subject.userPrincipalName} before it is cleared ${n}`,
          step.previous,
        ),
      ];
    case 'RENAME_UPN_TEMPORARILY':
      return [
        fact(
          `RENAME_UPN_TEMPORARILY from ${step.subject.userId}`,
          `UPN of user ${step.subject.userId} before the temporary rename ${n}`,
          step.from,
        ),
        fact(`RENAME_UPN_TEMPORARILY to ${step.subject.userId}`, `UPN user ${step.subject.userId} is renamed to ${n}`, step.to),
      ];
    case 'PURGE_DELETED_USER':
      return [
        fact(
          `PURGE_DELETED_USER subject ${step.subject.userId}`,
          `User in the recycle bin to delete permanently (${step.subject.userPrincipalName}) ${n}`,
          step.subject.userId,
        ),
        fact(
          `PURGE_DELETED_USER immutableId ${step.subject.userId}`,
          `onPremisesImmutableId of ${step.subject.userPrincipalName} in the recycle bin ${n}`,
          step.immutableId,
        ),
      ];
    case 'CLEAR_OBJECT_IDENTIFIER':
      return [
        fact(
          `CLEAR_OBJECT_IDENTIFIER previous ${step.subject.userId}`,
          `onPremisesObjectIdentifier of ${step.subject.userPrincipalName} before it is cleared ${n}`,
          step.previous,
        ),
      ];
    case 'PROVISION_ON_DEMAND':
      return [
        fact(
          `PROVISION_ON_DEMAND job ${step.dn}`,
          `Cloud Sync job that syncs ${step.dn} ${n}`,
          `${step.job.servicePrincipalId}/${step.job.jobId}`,
        ),
      ];
    case 'MANUAL':
      // What the person is asked to do: a changed role list or address holder changes it.
      return [
        fact(
          'MANUAL',
          `What a person is asked to do ${n}`,
          step.action ? `${step.instruction} ${canonicalJson(step.action)}` : step.instruction,
        ),
      ];
    case 'TRIGGER_DELTA_SYNC':
    case 'VERIFY_JOINED':
      return [];
  }
}

function fact(key: string, label: string, value: string | null): FingerprintFact {
  return { fact: key, label, value };
}

/** Two steps of one kind on one user would share a key; the second gets `#2` so neither is lost. */
function unique(existing: readonly FingerprintFact[], f: FingerprintFact): FingerprintFact {
  let key = f.fact;
  for (let i = 2; existing.some((e) => e.fact === key); i++) key = `${f.fact} #${i}`;
  return { ...f, fact: key };
}

/**
 * What the steps still to run rest on, after a person's step: the AD anchor and target the plan
 * joins, and the facts of each automated step after `doneStep`. Compared on Done so the plan does not go on
 * from facts checked at approval, possibly weeks before. A fact the fresh fingerprint no longer
 * has is left out (its step re-reads the live value before writing, and drifts if it moved).
 */
export function remainingChanges(
  request: { diagnosis: Diagnosis; fingerprint: readonly FingerprintFact[] },
  doneStep: number,
  fresh: readonly FingerprintFact[],
): FactChange[] {
  const steps = request.diagnosis.plan.steps;
  const keyed: { key: string; step: number }[] = [];
  const facts: FingerprintFact[] = [];
  for (const step of steps) {
    for (const f of stepFacts(step)) {
      const placed = unique(facts, f);
      facts.push(placed);
      keyed.push({ key: placed.fact, step: step.number });
    }
  }
  // A later person's step is left out: an earlier one changes what it says (moving the object
  // out of scope changes the DN the "move it back" step names); it is checked at approval.
  const automated = (number: number) => steps.find((s) => s.number === number)?.kind !== 'MANUAL';
  const relevant = new Set(['anchor', 'target', ...keyed.filter((k) => k.step > doneStep && automated(k.step)).map((k) => k.key)]);
  const freshByKey = new Map(fresh.map((f) => [f.fact, f]));
  return diffFingerprints(
    request.fingerprint.filter((f) => relevant.has(f.fact) && freshByKey.has(f.fact)),
    fresh.filter((f) => relevant.has(f.fact) && request.fingerprint.some((old) => old.fact === f.fact)),
  );
}

/** Facts whose value differs, in the old order, then facts only the new fingerprint has. */
export function diffFingerprints(old: readonly FingerprintFact[], next: readonly FingerprintFact[]): FactChange[] {
  const byKey = new Map(next.map((f) => [f.fact, f]));
  const oldKeys = new Set(old.map((f) => f.fact));
  const changes: FactChange[] = [];
  for (const before of old) {
    const after = byKey.get(before.fact);
    if (after === undefined) changes.push({ fact: before.fact, label: before.label, old: before.value, new: null });
    else if (after.value !== before.value) changes.push({ fact: before.fact, label: after.label, old: before.value, new: after.value });
  }
  for (const after of next) {
    if (!oldKeys.has(after.fact)) changes.push({ fact: after.fact, label: after.label, old: null, new: after.value });
  }
  return changes;
}
