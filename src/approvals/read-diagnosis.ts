/**
 * The `match` pipeline as one function, shared by the command and by re-validation at approval:
 * the AD user through the relay, the tenant's facts and the named target concurrently, then the
 * evidence, then the pure diagnosis. Errors propagate (the caller words them).
 */
import type { CloudDirectory, RelayClient } from '../bot/ports.ts';
import type { CloudUser } from '../domain/cloud.ts';
import { diagnose, diagnoseOnPrem, type Diagnosis } from '../domain/diagnosis/index.ts';
import type { LookupResult } from '../domain/onprem-user.ts';

export interface DiagnosisSources {
  relay: RelayClient;
  cloud: CloudDirectory;
  /** VERIFY_JOINED's time limit (VERIFY_TIMEOUT_MINUTES). */
  verifyTimeoutSeconds?: number;
}

export type ReadDiagnosis =
  /** The AD user is unknown or ambiguous: nothing cloud-side was read. */
  | { resolved: false; diagnosis: Diagnosis; lookup: LookupResult }
  | { resolved: true; diagnosis: Diagnosis };

export async function readDiagnosis(query: { who: string; target?: string }, sources: DiagnosisSources): Promise<ReadDiagnosis> {
  const { who, target } = query;
  const { relay, cloud } = sources;
  // One deadline for every Graph call of this diagnosis, started before the first one.
  const deadline = cloud.startDeadline();
  const [lookup, tenant, targetUser] = await Promise.all([
    relay.lookup(who),
    cloud.tenantFacts(deadline),
    target ? cloud.findUser(target, deadline) : Promise.resolve<CloudUser | null>(null),
  ]);
  const unresolved = diagnoseOnPrem(who, lookup);
  if (unresolved) return { resolved: false, diagnosis: unresolved, lookup };
  const [onPrem] = lookup.users;
  if (!onPrem) throw new Error('diagnoseOnPrem returned null for an empty look-up');
  const evidence = await cloud.evidenceFor(onPrem, { tenant, ...(target ? { target: { requested: target, user: targetUser } } : {}) }, deadline);
  return {
    resolved: true,
    diagnosis: diagnose({ who, onPrem, evidence, ...(sources.verifyTimeoutSeconds ? { verifyTimeoutSeconds: sources.verifyTimeoutSeconds } : {}) }),
  };
}
