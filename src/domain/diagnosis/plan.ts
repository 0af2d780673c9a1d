/**
 * The plan builder: the ordered steps that end with the AD user joined to its cloud user.
 * Order rules, from how Entra behaves (docs/domain.md):
 * - a synced user is never written (Graph refuses): a synced duplicate is first soft-deleted by
 *   taking the AD object out of sync scope and syncing, then purged;
 * - an anchor is only set once nothing else holds it (active or in the recycle bin): purges and
 *   clears come before SET_ANCHOR; a federated UPN is renamed before it;
 * - what only a person can do (AD UPN, roles, addresses on other objects, tenant switch) is a
 *   MANUAL step placed where it must be done, undone after the match where it must be restored.
 */
import { domainOf, sameAddress, type CloudUser } from '../cloud.ts';
import type { TargetChoice } from './choose-target.ts';
import { addressConflicts, exportedUpn, type AddressConflict } from './conflicts.ts';
import { localPart, originalUpn, userLabel, wordList } from './describe.ts';
import {
  ensureInScope,
  fixOnPremUpn,
  matchAgain,
  reassignRoles,
  removeAddresses,
  removeRoles,
  restoreFromRecycleBin,
  scopeBackIn,
  scopeOutForDuplicate,
  takeoverSwitch,
  unjoinSyncedTarget,
  scopeOutWhileDetached,
  scopeBackInAfterRestore,
} from './manual-steps.ts';
import { joinedPlan } from './joined-leftovers.ts';
import { isActive, isFederatedDomain, linksOfUser, onPremSuffixVerified, type Situation } from './situation.ts';
import {
  clearAnchorStep,
  clearObjectIdentifierStep,
  numberSteps,
  purgeStep,
  renameStep,
  setAnchorStep,
  syncStep,
  verifyStep,
  type StepDraft,
} from './steps.ts';
import { mappedToOtherObject, objectIdentifierOf } from '../object-identifier.ts';
import { privilegedRoles } from '../cloud.ts';
import type { Plan } from './types.ts';
import { predictSync } from '../sync/predict.ts';
import { tenantView } from './apply-plan.ts';

/** What joining a cloud-only target takes. Shared with the findings, which explain each part. */
export interface TargetWork {
  target: CloudUser;
  /** Active synced users holding the anchor: duplicates the sync created (scenario 1). */
  duplicates: CloudUser[];
  /** Users in the recycle bin holding the anchor. */
  deletedHolders: CloudUser[];
  /** Other active cloud-only users holding the anchor. */
  clearHolders: CloudUser[];
  needsSet: boolean;
  /** Set when the target's UPN is in a federated domain and its anchor must change. */
  renameTo: string | null;
  /** Set when the AD UPN's suffix is not verified: the UPN a person should give the AD user. */
  upnSuggestion: string | null;
  verifiedDomains: string[];
  takeoverBlocked: boolean;
  addressConflicts: AddressConflict[];
  /**
   * Set when the next sync already joins the target by itself: a soft match (primary SMTP address
   * or UPN) that will succeed now and still after the AD UPN fix the plan asks for. Entra Connect
   * then stamps the anchor itself: no anchor to set, no tenant switch to touch.
   */
  softMatch: 'SMTP' | 'UPN' | null;
}

export function targetWork(s: Situation, target: CloudUser): TargetWork {
  const others = s.users.filter((u) => u.id !== target.id && u.immutableId === s.anchor);
  const duplicates = others.filter((u) => isActive(u) && u.synced);
  const needsSet = target.immutableId !== s.anchor;
  const tenant = s.evidence.tenant;
  const verifiedDomains = tenant.domains.filter((d) => d.verified && !d.initial).map((d) => d.name.toLowerCase());
  const work: TargetWork = {
    target,
    duplicates,
    deletedHolders: others.filter((u) => !isActive(u)),
    clearHolders: others.filter((u) => isActive(u) && !u.synced),
    needsSet,
    renameTo: needsSet && isFederatedDomain(tenant, domainOf(target.userPrincipalName)) ? renameTarget(s, target) : null,
    upnSuggestion: onPremSuffixVerified(s) ? null : upnSuggestion(s, target, verifiedDomains),
    verifiedDomains,
    takeoverBlocked: tenant.switches.blockCloudObjectTakeoverThroughHardMatchEnabled,
    addressConflicts: addressConflicts(s, new Set([target.id, ...duplicates.map((d) => d.id)])),
    softMatch: null,
  };
  work.softMatch = pendingSoftMatch(s, target, work.upnSuggestion);
  return work;
}

/** How the next sync soft-matches `target` by itself, now and with the suggested AD UPN; null when it does not. */
function pendingSoftMatch(s: Situation, target: CloudUser, upnSuggestion: string | null): 'SMTP' | 'UPN' | null {
  const tenant = tenantView(s.evidence);
  const now = predictSync({ onPrem: s.onPrem, inScope: true }, tenant);
  if (now.kind !== 'SOFT_MATCH' || now.userId !== target.id) return null;
  if (upnSuggestion === null) return now.via;
  const fixed = predictSync({ onPrem: { ...s.onPrem, userPrincipalName: upnSuggestion }, inScope: true }, tenant);
  return fixed.kind === 'SOFT_MATCH' && fixed.userId === target.id ? now.via : null;
}

/** `<prefix>@<initial>`, or with the object id's first block when another user holds that. */
function renameTarget(s: Situation, target: CloudUser): string {
  const initial = s.evidence.tenant.initialDomain;
  const plain = `${localPart(target.userPrincipalName)}@${initial}`;
  const taken = s.users.some((u) => u.id !== target.id && isActive(u) && sameAddress(u.userPrincipalName, plain));
  return taken ? `${localPart(target.userPrincipalName)}.${target.id.slice(0, 8)}@${initial}` : plain;
}

/** The target's own UPN when its domain is verified (then nothing changes), else the default domain. */
function upnSuggestion(s: Situation, target: CloudUser, verified: readonly string[]): string {
  const tenant = s.evidence.tenant;
  const targetUpn = originalUpn(target);
  if (verified.includes(domainOf(targetUpn))) return targetUpn;
  const prefix = localPart(s.onPrem.userPrincipalName ?? s.onPrem.samAccountName);
  const preferred = tenant.domains.find((d) => d.default && d.verified && !d.initial)?.name ?? verified[0];
  return `${prefix}@${(preferred ?? tenant.initialDomain).toLowerCase()}`;
}

export function buildPlan(s: Situation, choice: TargetChoice, verifyTimeoutSeconds: number): Plan {
  const sam = s.onPrem.samAccountName;
  const blocked = (reason: string, target: CloudUser | null = null): Plan => ({
    target,
    steps: [],
    nothingToDo: false,
    blockedReason: reason,
  });
  switch (choice.kind) {
    case 'none':
      return { target: null, steps: [], nothingToDo: true };
    case 'multiple':
      return blocked(
        `Several cloud-only users could be ${sam}'s account: ${wordList(choice.users.map(userLabel))}. ` +
          `Decide which one it is and type ${choice.users.map((u) => `\`match ${sam} to ${originalUpn(u)}\``).join(' or ')}.`,
      );
    case 'missing':
      return blocked(
        `There is no cloud user "${choice.requested}" (active or in the recycle bin). Check the UPN or object id and ` +
          `type \`match ${sam} to <UPN or object id>\`, or type \`match ${sam}\` to let the bot look for the account.`,
      );
    case 'deletedTarget':
      return blocked(
        `${userLabel(choice.user)} is in the recycle bin. Restore it first (Entra admin center → Users → Deleted users → ` +
          `Restore user), then type \`match ${sam} to ${choice.requested}\` again.`,
        choice.user,
      );
    case 'deletedHolder':
      return blocked(
        `The only cloud account tied to ${sam} is ${userLabel(choice.user)}, which holds its anchor ${s.anchor}, so the ` +
          `next sync fails with ObjectConflict. Decide: restore it (Entra admin center → Users → Deleted users → Restore user) ` +
          `and the next sync joins it; or delete it permanently there and the next sync creates a new user; ` +
          `or type \`match ${sam} to <UPN>\` to join another cloud user.`,
      );
    case 'joinedElsewhere':
      return blocked(joinedElsewhereReason(s, choice.user, choice.joined), choice.user);
    case 'restore':
      return plan(choice.user, [
        syncStep(`Entra Connect restores ${userLabel(choice.user)} from the recycle bin and joins it to ${s.onPrem.dn}`),
        verifyStep(choice.user, s.anchor, verifyTimeoutSeconds),
      ]);
    case 'target':
      if (!clearAllowed(s, choice.user, choice.explicit)) return blocked(unconfirmedMapping(s, choice.user), choice.user);
      if (choice.user.cloudManaged === true) return blocked(cloudManagedReason(s, choice.user), choice.user);
      return targetPlan(s, choice.user, verifyTimeoutSeconds);
  }
}

/** `match x to y` while x is joined to another user that is not provably a duplicate: the join stands. */
function joinedElsewhereReason(s: Situation, requested: CloudUser, joined: CloudUser): string {
  const sam = s.onPrem.samAccountName;
  return (
    `${sam} is joined to ${userLabel(joined)}: it is synced and holds ${sam}'s anchor ${s.anchor}. Matching ${sam} to ` +
    `${originalUpn(requested)} would undo that join (take ${sam} out of sync scope, permanently delete ${originalUpn(joined)} and ` +
    `move the anchor), and the bot does that only to a duplicate the sync created: a synced user created with a ` +
    `placeholder UPN or a quarantined address because an older cloud-only user held them. ${originalUpn(joined)} is not ` +
    `one. Type \`match ${sam}\` to fix what is left on the joined user. If ${originalUpn(requested)} really is the person's ` +
    `account, move its mailbox and data to ${originalUpn(joined)}, or decide with its owner before deleting anything by hand.`
  );
}

function plan(target: CloudUser | null, drafts: StepDraft[]): Plan {
  return { target, steps: numberSteps(drafts), nothingToDo: drafts.length === 0 };
}

function targetPlan(s: Situation, target: CloudUser, verifyTimeoutSeconds: number): Plan {
  if (!target.synced) {
    const work = targetWork(s, target);
    return work.softMatch === null ? plan(target, joinSteps(s, work, verifyTimeoutSeconds)) : softMatchPlan(s, work, verifyTimeoutSeconds);
  }
  if (target.immutableId === s.anchor) return joinedPlan(s, target, verifyTimeoutSeconds);
  if (s.other && target.immutableId === s.other.immutableId) {
    return {
      target,
      steps: [],
      nothingToDo: false,
      blockedReason:
        `${userLabel(target)} is already synced and holds ${s.onPrem.samAccountName}'s ${s.other.attribute} value ` +
        `${s.other.immutableId}: Entra Connect joined it through ${s.other.attribute}, while the relay's SOURCE_ANCHOR ` +
        `setting makes ${s.onPrem.anchor.attribute} the effective anchor. Set SOURCE_ANCHOR=${s.other.attribute} on the ` +
        `relay (the same as Entra Connect's sourceAnchor) and type \`match ${s.onPrem.samAccountName}\` again.`,
    };
  }
  const formerDn = target.onPremisesDistinguishedName;
  return plan(target, [
    unjoinSyncedTarget(target),
    scopeOutWhileDetached(s.onPrem, target),
    syncStep(`${formerDn ?? 'the AD object it is joined to'} is out of scope, so Entra Connect soft-deletes ${userLabel(target)}`),
    restoreFromRecycleBin(target, formerDn),
    scopeBackInAfterRestore(s.onPrem, target),
    matchAgain(s.onPrem, target),
  ]);
}

/** The next sync joins the target by itself: let it, and check (after the AD UPN fix, when one is needed). */
function softMatchPlan(s: Situation, w: TargetWork, verifyTimeoutSeconds: number): Plan {
  const via = w.softMatch === 'SMTP' ? `its primary SMTP address ${s.primary ?? ''}` : `its UPN ${originalUpn(w.target)}`;
  const steps: StepDraft[] = [];
  if (w.upnSuggestion !== null) steps.push(fixOnPremUpn(s.onPrem, w.upnSuggestion, w.verifiedDomains, s.evidence.tenant.initialDomain));
  steps.push(...clearMapping(s, w.target));
  steps.push(
    syncStep(`Entra Connect soft-matches ${s.onPrem.dn} to ${originalUpn(w.target)} on ${via} and stamps ImmutableID ${s.anchor} itself`),
  );
  steps.push(verifyStep(w.target, s.anchor, verifyTimeoutSeconds));
  const switchNote = w.takeoverBlocked ? ' blockCloudObjectTakeoverThroughHardMatchEnabled stays on: it only refuses hard matches.' : '';
  return {
    ...plan(w.target, steps),
    note:
      `No hard match is needed: ${originalUpn(w.target)} is cloud-only, has no ImmutableID and holds ${via.replace(/^its /, 'the ')} of ` +
      `${s.onPrem.samAccountName}, so the next sync soft-matches it and writes the anchor itself. The plan sets no ImmutableID ` +
      `and changes no tenant setting.${switchNote}`,
  };
}

function joinSteps(s: Situation, w: TargetWork, verifyTimeoutSeconds: number): StepDraft[] {
  const { target, duplicates } = w;
  const steps: StepDraft[] = [];
  if (w.upnSuggestion !== null) {
    steps.push(fixOnPremUpn(s.onPrem, w.upnSuggestion, w.verifiedDomains, s.evidence.tenant.initialDomain));
  }
  if (privilegedRoles(target).length > 0) steps.push(removeRoles(target));
  for (const conflict of w.addressConflicts) steps.push(removeAddresses(conflict, s.onPrem.samAccountName));
  if (duplicates.length > 0) {
    steps.push(scopeOutForDuplicate(s.onPrem, duplicates));
    steps.push(
      syncStep(`${s.onPrem.dn} is now out of scope, so Entra Connect soft-deletes the duplicate ${wordList(duplicates.map(userLabel))}`),
    );
    steps.push(...duplicates.map(purgeStep));
  }
  steps.push(...w.deletedHolders.map(purgeStep));
  steps.push(...w.clearHolders.map((holder) => clearAnchorStep(holder, target)));
  if (w.needsSet) {
    if (w.renameTo !== null) steps.push(renameStep(target, w.renameTo, exportedUpn(s)?.upn ?? null));
    steps.push(setAnchorStep(target, s.anchor));
  }
  if (duplicates.length > 0) steps.push(scopeBackIn(s.onPrem));
  else if (!w.needsSet) steps.push(ensureInScope(s.onPrem, target, s.anchor));
  steps.push(...clearMapping(s, target));
  if (w.takeoverBlocked) steps.push(takeoverSwitch(false));
  steps.push(syncStep(`Entra Connect hard-matches ${s.onPrem.dn} to ${originalUpn(target)} (ImmutableID ${s.anchor})`));
  steps.push(verifyStep(target, s.anchor, verifyTimeoutSeconds));
  if (w.takeoverBlocked) steps.push(takeoverSwitch(true));
  if (privilegedRoles(target).length > 0) steps.push(reassignRoles(target));
  return steps;
}

/**
 * Clearing a mapping takes the cloud user away from the object it names, for good: the bot does it
 * only for the account the admin means, i.e. one named with `match x to y`, or one tied to the AD
 * user by its anchor, UPN or primary SMTP address (never by a secondary address alone).
 */
function clearAllowed(s: Situation, target: CloudUser, explicit: boolean): boolean {
  if (explicit || target.synced || !mappedToOtherObject(target, s.onPrem)) return true;
  const links = linksOfUser(s, target);
  return links.has('anchor') || links.has('upn') || links.has('primarySmtp') || links.has('otherAnchor');
}

function cloudManagedReason(s: Situation, target: CloudUser): string {
  return (
    `${userLabel(target)} is managed in the cloud (onPremisesSyncBehavior isCloudManaged is true), so the sync skips it and ` +
    `nothing the bot runs can join it to ${s.onPrem.dn}. If it should follow AD again, an admin moves its source of authority ` +
    `back (isCloudManaged false), then types \`match ${s.onPrem.samAccountName}\` again.`
  );
}

function unconfirmedMapping(s: Situation, target: CloudUser): string {
  const sam = s.onPrem.samAccountName;
  return (
    `${userLabel(target)} is tied to ${sam} only by another address, and it is mapped to another on-premises object ` +
    `(onPremisesObjectIdentifier ${objectIdentifierOf(target) ?? ''}). Joining it means clearing that mapping for good. ` +
    `If it is ${sam}'s account, type \`match ${sam} to ${originalUpn(target)}\`.`
  );
}

/**
 * Since July 2026 the sync refuses to map a cloud user already mapped to another on-premises
 * object: the mapping is cleared just before the joining sync (planTarget only lets a plan get
 * here when the target is the one the admin means; see `clearAllowed`).
 */
function clearMapping(s: Situation, target: CloudUser): StepDraft[] {
  if (target.synced) return [];
  const previous = objectIdentifierOf(target);
  return previous !== null && mappedToOtherObject(target, s.onPrem) ? [clearObjectIdentifierStep(target, previous, s.onPrem.dn)] : [];
}
