/**
 * A join that works but is not clean: the synced user holds the anchor, yet Entra keeps an
 * address of the AD user off it (another object holds it: quarantined), gives it another UPN than
 * the AD one, or records provisioning errors. What is left over is fixed on the holders, by a
 * person, and the next sync gives the joined user its values: never by undoing the join.
 */
import { sameAddress, type CloudUser, type ProvisioningConflict } from '../cloud.ts';
import { addressConflicts, exportedUpn, upnHolder, type AddressConflict } from './conflicts.ts';
import { originalUpn, userLabel, wordList } from './describe.ts';
import { freeUpn, removeAddresses } from './manual-steps.ts';
import type { Situation } from './situation.ts';
import { numberSteps, syncStep, verifyStep, type StepDraft } from './steps.ts';
import type { Plan } from './types.ts';

export interface JoinedLeftovers {
  /** Objects holding one of the AD user's addresses: Entra keeps it off the joined user. */
  addressConflicts: AddressConflict[];
  /** Set when the joined user's UPN is not the one the sync writes; `holder` keeps it from it. */
  upn: { wanted: string; current: string; holder: CloudUser | null } | null;
  /** What Entra records on the joined user (onPremisesProvisioningErrors). */
  errors: ProvisioningConflict[];
}

export function joinedLeftovers(s: Situation, joined: CloudUser): JoinedLeftovers {
  const wanted = exportedUpn(s)?.upn ?? null;
  const exclude = new Set([joined.id]);
  const upn =
    wanted === null || sameAddress(joined.userPrincipalName, wanted)
      ? null
      : { wanted, current: joined.userPrincipalName, holder: upnHolder(s, exclude) };
  return { addressConflicts: addressConflicts(s, exclude), upn, errors: [...joined.provisioningErrors] };
}

export function hasLeftovers(l: JoinedLeftovers): boolean {
  return l.addressConflicts.length > 0 || l.upn !== null || l.errors.length > 0;
}

/**
 * Nothing to do for a clean join; otherwise a person frees what others hold, one delta sync gives
 * the joined user its values (and clears the errors), and VERIFY_JOINED checks the end state.
 */
export function joinedPlan(s: Situation, joined: CloudUser, verifyTimeoutSeconds: number): Plan {
  const left = joinedLeftovers(s, joined);
  if (!hasLeftovers(left)) return { target: joined, steps: [], nothingToDo: true };
  const drafts: StepDraft[] = left.addressConflicts.map((k) => removeAddresses(k, s.onPrem.samAccountName));
  if (left.upn?.holder) drafts.push(freeUpn(left.upn.holder, left.upn.wanted, s.onPrem.samAccountName, s.evidence.tenant.initialDomain));
  const gives = [...left.addressConflicts.flatMap((k) => k.addresses), ...(left.upn ? [`the UPN ${left.upn.wanted}`] : [])];
  const purpose =
    gives.length > 0
      ? `Entra Connect exports ${s.onPrem.dn} again and gives ${userLabel(joined)} ${wordList(gives)}`
      : `Entra Connect exports ${s.onPrem.dn} again, so Entra re-checks and clears the provisioning errors of ${originalUpn(joined)}`;
  drafts.push(syncStep(purpose), verifyStep(joined, s.anchor, verifyTimeoutSeconds));
  return {
    target: joined,
    steps: numberSteps(drafts),
    nothingToDo: false,
    note:
      `${originalUpn(joined)} is already joined to ${s.onPrem.dn}; the plan does not touch the join. It frees what other ` +
      `objects hold and lets the next sync give ${originalUpn(joined)} its values.`,
  };
}
