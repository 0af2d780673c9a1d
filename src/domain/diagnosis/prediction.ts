/**
 * What the next sync cycle does, now and after the plan, from the sync simulator's core
 * (`predictSync`), with plain words for the card: "The next sync creates a second user
 * jdoe+NNNN@… instead of matching jdoe@contoso.com".
 */
import { privilegedRoles, type CloudUser } from '../cloud.ts';
import { REMAP_BLOCKED_TEXT } from '../object-identifier.ts';
import type { OnPremUser } from '../onprem-user.ts';
import { predictSync } from '../sync/predict.ts';
import type { ExportedValues, SyncOutcome, SyncTenant } from '../sync/types.ts';
import { applyPlanToTenant, tenantView } from './apply-plan.ts';
import { anchorText, groupLabel, originalUpn, userLabel, wordList } from './describe.ts';
import type { Situation } from './situation.ts';
import type { Plan, SyncPrediction } from './types.ts';

interface TextContext {
  tenant: SyncTenant;
  onPrem: OnPremUser;
  /** The user the plan joins, for "instead of matching …". */
  target: CloudUser | null;
  /** "The next sync" or "After the plan, the sync". */
  lead: string;
}

export function predict(s: Situation, plan: Plan): SyncPrediction {
  const tenant = tenantView(s.evidence);
  const subject = { onPrem: s.onPrem, inScope: true };
  const target = plan.target && plan.target.deletedDateTime === null ? plan.target : null;
  const now = predictSync(subject, tenant);
  const prediction: SyncPrediction = { now, nowText: outcomeText(now, { tenant, onPrem: s.onPrem, target, lead: 'The next sync' }) };
  // Only a plan that ends in a join has a sync worth predicting (a blocked or MANUAL-only plan does not).
  if (plan.steps.some((step) => step.kind === 'VERIFY_JOINED')) {
    const after = applyPlanToTenant(plan, tenant, subject);
    const afterPlan = predictSync(after.subject, after.tenant);
    prediction.afterPlan = afterPlan;
    prediction.afterPlanText = outcomeText(afterPlan, {
      tenant: after.tenant,
      onPrem: after.subject.onPrem,
      target,
      lead: "The plan's sync",
    });
  }
  return prediction;
}

export function outcomeText(outcome: SyncOutcome, ctx: TextContext): string {
  const { lead, onPrem } = ctx;
  const user = (id: string): CloudUser | undefined => ctx.tenant.users.find((u) => u.id === id);
  const label = (id: string): string => {
    const u = user(id);
    return u ? userLabel(u) : `the user with id ${id}`;
  };
  const upn = (id: string): string => {
    const u = user(id);
    return u ? originalUpn(u) : id;
  };
  const instead = (joinedId: string | null): string =>
    ctx.target && ctx.target.id !== joinedId ? ` instead of matching ${originalUpn(ctx.target)}` : '';
  switch (outcome.kind) {
    case 'UPDATE':
      return ctx.target && ctx.target.id !== outcome.userId
        ? `${lead} updates ${label(outcome.userId)}, already joined to ${onPrem.dn}${instead(outcome.userId)}${valueNotes(outcome.values, user(outcome.userId))}.`
        : `${lead} updates ${label(outcome.userId)}, already joined to ${onPrem.dn}: the match stays as it is${valueNotes(outcome.values, user(outcome.userId))}.`;
    case 'HARD_MATCH':
      return `${lead} joins the cloud user ${upn(outcome.userId)} (hard match on ImmutableID ${outcome.values.immutableId})${valueNotes(outcome.values, user(outcome.userId))}.`;
    case 'SOFT_MATCH':
      return (
        `${lead} joins the cloud user ${upn(outcome.userId)} (soft match on ${outcome.via === 'SMTP' ? 'the primary SMTP address' : 'the UPN'}) ` +
        `and stamps ImmutableID ${outcome.values.immutableId} on it${valueNotes(outcome.values, user(outcome.userId))}${instead(outcome.userId)}.`
      );
    case 'RESTORE':
      return `${lead} restores ${label(outcome.userId)} from the recycle bin and joins it${instead(outcome.userId)}.`;
    case 'CREATE':
      return `${lead} creates ${ctx.target ? 'a second' : 'a new'} user ${shownUpn(outcome.values)}${instead(null)}${suffixNote(outcome.values)}.`;
    case 'INVALID_SOFT_MATCH':
      return (
        `${lead} fails with InvalidSoftMatch: ${label(outcome.userId)} holds ${outcome.via === 'SMTP' ? 'the primary SMTP address' : 'the UPN'} ` +
        `of ${onPrem.samAccountName} but ${outcome.candidateImmutableId ? `already has ImmutableID ${anchorText(outcome.candidateImmutableId)}` : 'is already synced'}; nothing is joined.`
      );
    case 'OBJECT_TYPE_MISMATCH': {
      const group = ctx.tenant.otherObjects.find((o) => o.id === outcome.objectId);
      return `${lead} fails with ObjectTypeMismatch: ${group ? groupLabel(group) : `the object ${outcome.objectId}`} (not a user) holds the primary SMTP address of ${onPrem.samAccountName}; nothing is joined.`;
    }
    case 'HARD_MATCH_BLOCKED':
      return outcome.reason === 'ADMIN_ROLE'
        ? `${lead} fails with InvalidHardMatch: ${label(outcome.userId)} ${rolesText(user(outcome.userId))}, and Entra refuses hard matches onto ${(user(outcome.userId)?.eligibleRoles ?? []).length > 0 ? 'users assigned or eligible for privileged roles' : 'role holders'} (MC1262584); nothing is joined.`
        : `${lead} is refused: ${label(outcome.userId)} is cloud-only and blockCloudObjectTakeoverThroughHardMatchEnabled is on; nothing is joined.`;
    case 'SOFT_MATCH_BLOCKED':
      return (
        `${lead} does not soft-match ${label(outcome.userId)} on ${outcome.via === 'SMTP' ? 'the primary SMTP address' : 'the UPN'}: ` +
        `${outcome.reason === 'TENANT_SWITCH' ? 'blockSoftMatchEnabled is on' : 'it holds admin roles'}; nothing is joined.`
      );
    case 'ANCHOR_CONFLICT':
      return `${lead} fails with ObjectConflict: ${label(outcome.userId)} still holds ImmutableID ${onPrem.anchor.immutableId}; nothing is joined until it is ${outcome.deleted ? 'purged' : 'cleared'}.`;
    case 'REMAP_BLOCKED':
      return (
        `${lead} fails: "${REMAP_BLOCKED_TEXT}" ${label(outcome.userId)} is mapped to another on-premises object ` +
        `(onPremisesObjectIdentifier ${outcome.mappedTo}), not ${onPrem.dn}; nothing is joined.`
      );
    case 'CLOUD_MANAGED':
      return `${lead} skips ${label(outcome.userId)}: its source of authority is the cloud (onPremisesSyncBehavior isCloudManaged is true), so updates from AD are blocked; nothing is joined.`;
    case 'NOTHING':
      return `${lead} does nothing: ${onPrem.dn} is outside Entra Connect's sync scope and joined to no cloud user.`;
    case 'DELETE':
      return `${lead} soft-deletes ${label(outcome.userId)}, because ${onPrem.dn} is out of sync scope.`;
  }
}

/** "holds Global Administrator and is eligible for User Administrator (PIM)". */
function rolesText(user: CloudUser | undefined): string {
  if (!user || privilegedRoles(user).length === 0) return 'holds admin roles';
  const parts: string[] = [];
  if (user.adminRoles.length > 0) parts.push(`holds ${wordList(user.adminRoles)}`);
  const eligible = (user.eligibleRoles ?? []).filter((r) => !user.adminRoles.includes(r));
  if (eligible.length > 0) parts.push(`is eligible for ${wordList(eligible)} (PIM)`);
  return parts.join(' and ');
}

/** Entra's placeholder digits are random: show the shape, `jdoe+NNNN@…`. */
function shownUpn(values: ExportedValues): string {
  return values.upnAdjustment?.reason === 'DUPLICATE' ? values.userPrincipalName.replace(/\+\d{4}@/, '+NNNN@') : values.userPrincipalName;
}

function suffixNote(values: ExportedValues): string {
  return values.upnAdjustment?.reason === 'UNVERIFIED_SUFFIX'
    ? ` (the AD UPN ${values.upnAdjustment.from} is not in a verified domain)`
    : '';
}

/** What the join changes that an admin notices: the UPN, and addresses Entra keeps away. */
function valueNotes(values: ExportedValues, joined: CloudUser | undefined): string {
  const notes: string[] = [];
  if (joined && joined.userPrincipalName.toLowerCase() !== values.userPrincipalName.toLowerCase()) {
    notes.push(`its UPN becomes ${shownUpn(values)}${suffixNote(values)}`);
  }
  if (values.quarantinedAddresses.length > 0) {
    const addresses = values.quarantinedAddresses.map((a) => a.replace(/^smtp:/i, ''));
    notes.push(`${wordList(addresses)} ${addresses.length === 1 ? 'is' : 'are'} quarantined (held by another object)`);
  }
  return notes.length === 0 ? '' : `; ${notes.join('; ')}`;
}
