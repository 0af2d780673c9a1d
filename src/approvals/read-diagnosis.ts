/**
 * The `match` pipeline as one function, shared by the command and by re-validation at approval:
 * the AD user through the relay, the tenant's facts and the named target concurrently, then the
 * evidence, then the pure diagnosis. Errors propagate (the caller words them).
 */
import type { CloudDirectory } from '../ports/cloud-directory.ts';
import type { RelayClient } from '../ports/relay.ts';
import type { CloudUser } from '../domain/cloud.ts';
import { diagnose, diagnoseOnPrem, type Diagnosis } from '../domain/diagnosis/index.ts';
import type { LookupResult } from '../domain/onprem-user.ts';

export interface DiagnosisSources {
  relay: Pick<RelayClient, 'lookup'>;
  cloud: CloudDirectory;
  /** VERIFY_JOINED's time limit (VERIFY_TIMEOUT_MINUTES). */
  verifyTimeoutSeconds?: number;
  /** Re-validation: tenant facts and the candidates' admin roles read now, never from the cache. */
  fresh?: boolean;
  /**
   * With `fresh`: the cloud users expected among the candidates (the stored diagnosis's), whose
   * roles are then read now in the evidence `$batch` itself rather than one round trip later.
   */
  expectedCandidates?: readonly string[];
}

export type ReadDiagnosis =
  /** The AD user is unknown or ambiguous: nothing cloud-side was read. */
  { resolved: false; diagnosis: Diagnosis; lookup: LookupResult } | { resolved: true; diagnosis: Diagnosis };

export async function readDiagnosis(query: { who: string; target?: string }, sources: DiagnosisSources): Promise<ReadDiagnosis> {
  const { who, target } = query;
  const { relay, cloud } = sources;
  // One deadline for every Graph call of this diagnosis, started before the first one.
  const deadline = cloud.startDeadline();
  // The relay look-up is on every match's critical path: its request leaves first, the Graph reads beside it.
  const adUser = relay.lookup(who);
  // Re-validation never trusts the cache: the roles it decides on are read now.
  const tenant = cloud.tenantFacts(deadline, sources.fresh ? { fresh: true } : {});
  // An unknown or ambiguous AD user needs no tenant facts: a failed read is then not this card's error.
  tenant.catch(() => undefined);
  const [lookup, targetUser] = await Promise.all([
    adUser,
    target ? cloud.findUser(target, deadline) : Promise.resolve<CloudUser | null>(null),
  ]);
  const unresolved = diagnoseOnPrem(who, lookup);
  if (unresolved) return { resolved: false, diagnosis: unresolved, lookup };
  const [onPrem] = lookup.users;
  if (!onPrem) throw new Error('diagnoseOnPrem returned null for an empty look-up');
  const context = {
    tenant,
    ...(target ? { target: { requested: target, user: targetUser } } : {}),
    ...(sources.fresh ? { freshRoles: true, expectedCandidates: sources.expectedCandidates ?? [] } : {}),
  };
  const evidence = await cloud.evidenceFor(onPrem, context, deadline);
  return {
    resolved: true,
    diagnosis: diagnose({
      who,
      onPrem,
      evidence,
      ...(sources.verifyTimeoutSeconds ? { verifyTimeoutSeconds: sources.verifyTimeoutSeconds } : {}),
    }),
  };
}
