/**
 * Findings for Entra's rules of 2026 (docs/domain.md): a target mapped to another on-premises
 * object (the remap refusal, enforced from July 1, 2026), a target only PIM-eligible for a
 * privileged role (MC1262584), a target whose source of authority is the cloud, and two sync
 * engines on one AD user. Each quotes what Entra does, in Microsoft's words where it has them.
 */
import { type CloudUser } from '../cloud.ts';
import { mappedToOtherObject, namesObject, objectIdentifierOf, REMAP_BLOCKED_TEXT } from '../object-identifier.ts';
import { originalUpn, stepRef, userLabel, wordList } from './describe.ts';
import { engineBlockedReason, engineFor, STEP_PERMISSIONS } from './engine-steps.ts';
import { finding, manualStepsOf, stepsOfKind, stepsWhere, type FindingContext } from './finding-context.ts';
import { capital } from './findings-anchor.ts';
import type { Finding } from './types.ts';

export function hardeningFindings(c: FindingContext): Finding[] {
  return [objectIdentifier(c), eligibleRoles(c), cloudManaged(c), enginesOverlap(c)].filter((f): f is Finding => f !== null);
}

function objectIdentifier(c: FindingContext): Finding | null {
  const { target, s, plan } = c;
  if (!target || !mappedToOtherObject(target, s.onPrem)) return null;
  const mapped = objectIdentifierOf(target) ?? '';
  const migrated = s.onPrem.consistencyGuid !== null && namesObject(mapped, { ...s.onPrem, objectGuid: s.onPrem.consistencyGuid });
  const clears = stepsOfKind(plan, 'CLEAR_OBJECT_IDENTIFIER', target.id);
  const byPerson = stepsWhere(plan, (step) => step.kind === 'MANUAL' && step.description.includes('onPremisesObjectIdentifier'));
  const remedy =
    clears.length > 0
      ? `${capital(stepRef(clears))} clears the mapping (PATCH /beta/users/${target.id} with onPremisesObjectIdentifier null; ` +
        `it cannot be written back, the old value stays in the audit trail) just before the sync, which then maps ${originalUpn(target)} to ${s.onPrem.dn}.`
      : byPerson.length > 0
        ? `${capital(stepRef(byPerson))}: a Hybrid Identity Administrator or Global Administrator clears the mapping (the bot's identity may not).`
        : plan.blockedReason
          ? 'See the plan: nothing is cleared until the account is confirmed.'
          : `Clear it (PATCH /beta/users/${target.id} {"onPremisesObjectIdentifier": null}, permission ${STEP_PERMISSIONS.clear}) before the next sync.`;
  return finding(
    'OBJECT_IDENTIFIER_MAPPED',
    'blocker',
    `${originalUpn(target)} is mapped to another on-premises object`,
    [
      `onPremisesObjectIdentifier of ${userLabel(target)} is ${mapped}`,
      `${s.onPrem.dn} has objectGUID ${s.onPrem.objectGuid}`,
      migrated &&
        `${mapped} is ${s.onPrem.samAccountName}'s mS-DS-ConsistencyGuid: the object it was migrated from, which no longer syncs it`,
      `Since July 1, 2026 Entra refuses to re-map it: the export fails with "${REMAP_BLOCKED_TEXT}"`,
    ],
    remedy,
    [target.id],
  );
}

function eligibleOnly(user: CloudUser): string[] {
  return (user.eligibleRoles ?? []).filter((r) => !user.adminRoles.includes(r));
}

function eligibleRoles(c: FindingContext): Finding | null {
  const target = c.target;
  if (!target || target.synced || eligibleOnly(target).length === 0) return null;
  const roles = wordList(eligibleOnly(target));
  return finding(
    'TARGET_ELIGIBLE_FOR_ADMIN_ROLE',
    'blocker',
    `${originalUpn(target)} is eligible for Entra admin roles: ${roles}`,
    [
      `${userLabel(target)} is eligible for ${roles} through Privileged Identity Management (not active now)`,
      'Since MC1262584 (June 2026) Entra refuses a hard match onto a user assigned or eligible for a privileged role (InvalidHardMatch), and never soft-matches one',
    ],
    `${capital(stepRef(manualStepsOf(c.plan, 'REMOVE_ADMIN_ROLES')))} removes the eligibility (a person, in Privileged Identity Management); ` +
      `${stepRef(manualStepsOf(c.plan, 'ASSIGN_ADMIN_ROLES'))} makes the user eligible again once the match is verified.`,
    [target.id],
  );
}

function cloudManaged(c: FindingContext): Finding | null {
  const target = c.target;
  if (!target || target.cloudManaged !== true) return null;
  return finding(
    'TARGET_CLOUD_MANAGED',
    'blocker',
    `${originalUpn(target)} is managed in the cloud (source of authority)`,
    [
      `onPremisesSyncBehavior of ${userLabel(target)} has isCloudManaged true: its source of authority was moved to the cloud`,
      `The sync skips it: updates from AD are blocked, so no sync joins it to ${c.s.onPrem.dn}`,
    ],
    `Moving the source of authority back is an admin's decision, not the bot's: if ${originalUpn(target)} should follow AD again, ` +
      `PATCH /beta/users/${target.id}/onPremisesSyncBehavior {"isCloudManaged": false} (permission ${STEP_PERMISSIONS.clear}; ` +
      `Update-MgBetaUserOnPremiseSyncBehavior -UserId ${target.id} -IsCloudManaged:$false), then type \`match ${c.s.onPrem.samAccountName}\` again.`,
    [target.id],
  );
}

function enginesOverlap(c: FindingContext): Finding | null {
  const engine = engineFor(c.s.evidence.tenant, c.s.onPrem.dn);
  if (engine.kind !== 'both') return null;
  return finding(
    'SYNC_ENGINES_OVERLAP',
    'blocker',
    'Entra Connect Sync and Entra Cloud Sync both sync this AD user',
    [
      `Entra Connect Sync exports to the tenant${engine.connectVersion ? ` (version ${engine.connectVersion})` : ''}`,
      `The Cloud Sync job ${engine.job.jobId} syncs ${engine.job.includedContainers ? wordList(engine.job.includedContainers) : 'the whole domain'}, which holds ${c.s.onPrem.dn}`,
    ],
    engineBlockedReason(c.s.onPrem, engine),
  );
}
