/**
 * Findings about the anchor and the target: who holds the ImmutableID, whether the target is
 * already joined, joined elsewhere, or carries an old value, and how the AD side's two anchor
 * attributes relate. Each names the users, values and the plan steps that fix it.
 */
import type { CloudUser } from '../cloud.ts';
import { isPlaceholderFor } from './conflicts.ts';
import { deniedText, denialsOf, holdsDenied, type Denial } from './duplicate-proof.ts';
import { anchorText, originalUpn, stepRef, syncState, userLabel } from './describe.ts';
import { finding, joiningSync, manualStepsOf, stepsOfKind, stepsWhere, type FindingContext } from './finding-context.ts';
import { immutableIdOfGuid, isActive, linksOfUser } from './situation.ts';
import type { Finding } from './types.ts';

export function onPremFindings(c: FindingContext): Finding[] {
  const { onPrem } = c.s;
  const out: Finding[] = [];
  if (!onPrem.enabled) {
    out.push(
      finding(
        'ONPREM_DISABLED',
        'warning',
        `The AD account ${onPrem.samAccountName} is disabled`,
        [
          `${onPrem.dn} is disabled in Active Directory`,
          c.plan.target &&
            `After the match ${originalUpn(c.plan.target)} is blocked from sign-in too: Entra Connect writes accountEnabled from AD`,
        ],
        `The match works anyway. Enable the AD account first (Enable-ADAccount ${onPrem.samAccountName}, or Active Directory ` +
          `Users and Computers → Enable Account) if the person should keep signing in.`,
        c.plan.target ? [c.plan.target.id] : [],
      ),
    );
  }
  if (c.s.other) out.push(consistencyGuidDiffers(c));
  return out;
}

function consistencyGuidDiffers(c: FindingContext): Finding {
  const { onPrem, other } = c.s;
  const sam = onPrem.samAccountName;
  const otherAttr = other?.attribute ?? 'objectGUID';
  const holders = other ? c.s.users.filter((u) => u.immutableId === other.immutableId) : [];
  return finding(
    'CONSISTENCY_GUID_DIFFERS',
    'info',
    `mS-DS-ConsistencyGuid of ${sam} differs from its objectGUID`,
    [
      `objectGUID: ${onPrem.objectGuid} = ImmutableID ${immutableIdOfGuid(onPrem.objectGuid)}`,
      onPrem.consistencyGuid &&
        `mS-DS-ConsistencyGuid: ${onPrem.consistencyGuid} = ImmutableID ${immutableIdOfGuid(onPrem.consistencyGuid)}`,
      `The effective anchor is ${onPrem.anchor.attribute} (${onPrem.anchor.immutableId}); the plan uses it`,
      ...holders.map((u) => `${userLabel(u)} holds ${other?.immutableId ?? ''}, the ${otherAttr} of ${sam}`),
    ],
    `Nothing to do when Entra Connect's sourceAnchor is ${onPrem.anchor.attribute} (mS-DS-ConsistencyGuid is the default ` +
      `of current installs, and after a forest migration it holds the old forest's objectGUID). If Entra Connect uses ` +
      `${otherAttr}, set SOURCE_ANCHOR=${otherAttr} on the relay and type \`match ${sam}\` again.`,
    holders.map((u) => u.id),
  );
}

export function targetFindings(c: FindingContext): Finding[] {
  const { s, choice, plan, target } = c;
  const sam = s.onPrem.samAccountName;
  switch (choice.kind) {
    case 'none':
      return [
        finding(
          'NO_CLOUD_CANDIDATE',
          'info',
          `No cloud user is tied to ${sam}`,
          [
            `No active cloud-only user holds ${s.anchor}, the UPN ${s.onPrem.userPrincipalName ?? '(none)'} or an address of ${sam}, ` +
              `and none in the recycle bin holds the anchor`,
            `The next sync creates a new cloud user for ${s.onPrem.dn}`,
          ],
          `Nothing to fix for the match. If ${sam} already has a cloud account under another name, type \`match ${sam} to <its UPN>\`.`,
        ),
      ];
    case 'missing':
      return [
        finding(
          'NO_CLOUD_CANDIDATE',
          'blocker',
          `There is no cloud user "${choice.requested}"`,
          [`No user has the UPN or object id "${choice.requested}", active or in the recycle bin`],
          plan.blockedReason ?? '',
        ),
      ];
    case 'deletedTarget':
      return [
        finding(
          'NO_CLOUD_CANDIDATE',
          'blocker',
          `The cloud user "${choice.requested}" is in the recycle bin`,
          [`${userLabel(choice.user)}, ${syncState(choice.user)}, ImmutableID ${anchorText(choice.user.immutableId)}`],
          plan.blockedReason ?? '',
          [choice.user.id],
        ),
      ];
    case 'multiple':
      return [
        finding(
          'MULTIPLE_CLOUD_CANDIDATES',
          'blocker',
          `${choice.users.length} cloud-only users could be ${sam}'s account`,
          choice.users.map((u) => `${userLabel(u)}: ${tiesOf(c, u)}`),
          plan.blockedReason ?? '',
          choice.users.map((u) => u.id),
        ),
      ];
    case 'joinedElsewhere':
      return [joinedElsewhere(c, choice.user, choice.joined)];
    case 'restore':
    case 'deletedHolder':
      return [];
    case 'target':
      if (target?.synced) return syncedTargetFindings(c, target);
      return target ? cloudOnlyTargetFindings(c, target) : [];
  }
}

function joinedElsewhere(c: FindingContext, requested: CloudUser, joined: CloudUser): Finding {
  const { s } = c;
  const sam = s.onPrem.samAccountName;
  return finding(
    'ANCHOR_HELD_BY_OTHER_USER',
    'blocker',
    `${sam} is joined to ${originalUpn(joined)}: matching it to ${originalUpn(requested)} would undo that join`,
    [
      `${userLabel(joined)} is ${syncState(joined)} and holds ${anchorText(s.anchor)}, the ${s.onPrem.anchor.attribute} of ${s.onPrem.dn}; last sync ${joined.lastSyncDateTime ?? 'not recorded'}`,
      notDuplicate(c, requested, joined, denialsOf(s, joined)),
      `${userLabel(requested)} is ${syncState(requested)}`,
    ],
    c.plan.blockedReason ?? '',
    [joined.id, requested.id],
  );
}

/** Why `joined` is not a duplicate of `requested`, in one line. */
function notDuplicate(c: FindingContext, requested: CloudUser, joined: CloudUser, denied: readonly Denial[]): string {
  const label = originalUpn(requested);
  if (denied.length === 0)
    return `Entra denied ${originalUpn(joined)} nothing (no placeholder UPN, no quarantined address): it is no duplicate the sync created`;
  const held = denied.filter((d) => holdsDenied(requested, d));
  if (requested.synced || held.length === 0)
    return `It was denied ${deniedText(denied)}, but ${label} ${requested.synced ? 'is synced itself' : 'holds none of it'}`;
  const since = held.map((d) => d.since).find((t) => t !== null) ?? 'later';
  return (
    `It was denied ${deniedText(held)}, which ${label} holds, but not when it was created (${joined.createdDateTime ?? 'unknown'}; ` +
    `Entra recorded it ${since}${requested.createdDateTime ? `, ${label} was created ${requested.createdDateTime}` : ''}): it was a cloud user ` +
    `before it was joined, so it is the person's account with something left to fix (\`match ${c.s.onPrem.samAccountName}\` plans it)`
  );
}

function tiesOf(c: FindingContext, u: CloudUser): string {
  const links = linksOfUser(c.s, u);
  const ties = [
    links.has('anchor') && `holds the anchor ${c.s.anchor}`,
    links.has('otherAnchor') && `holds the ${c.s.other?.attribute ?? 'other'} value ${c.s.other?.immutableId ?? ''}`,
    links.has('upn') && `has the UPN ${c.s.onPrem.userPrincipalName ?? ''}`,
    links.has('primarySmtp') && `holds the primary SMTP address ${c.s.primary ?? ''}`,
    links.has('address') && `holds another address of ${c.s.onPrem.samAccountName}`,
  ].filter((t): t is string => typeof t === 'string');
  return `${syncState(u)}, ${ties.join(', ') || 'named as the target'}`;
}

function syncedTargetFindings(c: FindingContext, target: CloudUser): Finding[] {
  const { s, plan } = c;
  const sam = s.onPrem.samAccountName;
  if (target.immutableId === s.anchor) {
    return [
      finding(
        'ALREADY_MATCHED',
        'info',
        `${sam} is already joined to ${originalUpn(target)}`,
        [
          `${userLabel(target)} is synced and holds ${anchorText(s.anchor)}, the ${s.onPrem.anchor.attribute} of ${s.onPrem.dn}`,
          `Last sync: ${target.lastSyncDateTime ?? 'not recorded'}`,
          target.onPremisesDistinguishedName !== null &&
            target.onPremisesDistinguishedName.toLowerCase() !== s.onPrem.dn.toLowerCase() &&
            `Entra last saw it as ${target.onPremisesDistinguishedName} (the AD object may have moved since)`,
          plan.steps.length > 0 &&
            `The join is right, but something is left over on it (the findings below): the plan fixes that and never touches the join`,
        ],
        plan.steps.length > 0
          ? `Keep the join. ${capital(stepRef(stepsOfKind(plan, 'MANUAL'), 'the plan'))} ${stepsOfKind(plan, 'MANUAL').length > 1 ? 'free' : 'frees'} what other objects hold, ${stepRef(stepsOfKind(plan, 'TRIGGER_DELTA_SYNC'))} syncs and ${stepRef(stepsOfKind(plan, 'VERIFY_JOINED'))} checks that nothing is left.`
          : 'Nothing to do for the match: every sync refreshes this user from AD.',
        [target.id],
      ),
    ];
  }
  const joinedTo = target.onPremisesDistinguishedName ?? 'another AD object';
  const manual = stepsOfKind(plan, 'MANUAL');
  return [
    finding(
      'TARGET_IS_SYNCED',
      'blocker',
      `${originalUpn(target)} is already synced, joined to ${joinedTo}`,
      [
        `${userLabel(target)} is ${syncState(target)}, last sync ${target.lastSyncDateTime ?? 'not recorded'}`,
        `It holds ${anchorText(target.immutableId)}, not ${sam}'s anchor ${anchorText(s.anchor)}`,
        `Graph refuses to change the ImmutableID of a synced user (Request_BadRequest: on-premises mastered)`,
        c.choice.kind === 'target' &&
          !c.choice.explicit &&
          `If ${joinedTo} is a different person, ${originalUpn(target)} is not ${sam}'s account: change one of the two UPNs instead (until then the sync gives ${sam} a placeholder UPN)`,
      ],
      plan.blockedReason ??
        `Only a person can fix it (${stepRef(manual, 'MANUAL steps')}): take ${joinedTo} out of sync scope or delete it, ` +
          `keep ${sam} out of scope meanwhile, sync, restore ${originalUpn(target)} from the recycle bin so it becomes ` +
          `cloud-only, put ${sam} back in scope, then type \`match ${sam} to ${originalUpn(target)}\` again.`,
      [target.id],
    ),
  ];
}

function cloudOnlyTargetFindings(c: FindingContext, target: CloudUser): Finding[] {
  const { s, plan } = c;
  const sam = s.onPrem.samAccountName;
  const label = originalUpn(target);
  if (target.immutableId === s.anchor) {
    const scope = manualStepsOf(plan, 'SCOPE_IN');
    return [
      finding(
        'ANCHOR_SET_NOT_SYNCED',
        'warning',
        `${label} holds the anchor but is still cloud-only`,
        [
          `${userLabel(target)} holds ${anchorText(s.anchor)}, the ${s.onPrem.anchor.attribute} of ${s.onPrem.dn}`,
          `It is still cloud-only (onPremisesSyncEnabled not set; last sync: ${target.lastSyncDateTime ?? 'never'})`,
          `So Entra Connect has not exported ${s.onPrem.dn}: it is outside the sync scope (OU filtering / attribute filter), or no sync has run since the anchor was set`,
        ],
        `${capital(stepRef(scope))}: make sure ${s.onPrem.dn} is in sync scope; ${stepRef(joiningSync(plan))} runs a delta sync ` +
          `and ${stepRef(stepsOfKind(plan, 'VERIFY_JOINED'))} checks the join.`,
        [target.id],
      ),
    ];
  }
  if (target.immutableId === null) return [];
  const links = linksOfUser(s, target);
  const softOn = links.has('primarySmtp') ? `the primary SMTP address ${s.primary ?? ''}` : links.has('upn') ? 'the UPN' : null;
  return [
    finding(
      'TARGET_HAS_OTHER_ANCHOR',
      'warning',
      `${label} carries another ImmutableID`,
      [
        `onPremisesImmutableId of ${userLabel(target)} is ${anchorText(target.immutableId)}`,
        `${sam}'s anchor (${s.onPrem.anchor.attribute}) is ${anchorText(s.anchor)}`,
        s.other && target.immutableId === s.other.immutableId
          ? `${target.immutableId} is ${sam}'s own ${s.other.attribute}: the account was joined through it before (an older install, or before a forest migration)`
          : `It matches no anchor of ${s.onPrem.dn}: left over from another AD object (a migration, or a restored user)`,
        softOn !== null && `Because of it the sync's soft match on ${softOn} fails with InvalidSoftMatch`,
      ],
      `${capital(stepRef(stepsOfKind(plan, 'SET_ANCHOR', target.id)))} overwrites it with ${s.anchor}; the old value ` +
        `${target.immutableId} is recorded so the step can be undone.`,
      [target.id],
    ),
  ];
}

export function holderFindings(c: FindingContext): Finding[] {
  // Its own finding says who holds the anchor and why the join stands.
  if (c.choice.kind === 'joinedElsewhere') return [];
  const exceptId = c.target?.id;
  return c.s.users
    .filter((u) => u.immutableId === c.s.anchor && u.id !== exceptId)
    .map((holder) => (isActive(holder) ? activeHolder(c, holder) : deletedHolder(c, holder)));
}

function activeHolder(c: FindingContext, holder: CloudUser): Finding {
  const { s, plan, work } = c;
  const targetUpn = c.target ? originalUpn(c.target) : 'the cloud user';
  const purge = stepsOfKind(plan, 'PURGE_DELETED_USER', holder.id);
  const setAnchor = stepsOfKind(plan, 'SET_ANCHOR');
  const later = `Fix the target first (the steps below); the next \`match ${s.onPrem.samAccountName}\` then plans this too.`;
  if (holder.synced) {
    const scopeOut = [
      ...manualStepsOf(plan, 'SCOPE_OUT'),
      ...stepsWhere(plan, (step) => step.kind === 'TRIGGER_DELTA_SYNC' || step.kind === 'PROVISION_ON_DEMAND').slice(0, 1),
    ];
    return finding(
      'ANCHOR_HELD_BY_OTHER_USER',
      'blocker',
      `The synced duplicate ${originalUpn(holder)} holds ${s.onPrem.samAccountName}'s anchor`,
      [
        `${userLabel(holder)} holds ${anchorText(s.anchor)} and is ${syncState(holder)}, last sync ${holder.lastSyncDateTime ?? 'not recorded'}`,
        ...duplicateEvidence(c, holder),
        isPlaceholderFor(s, holder.userPrincipalName) &&
          `Its UPN ${holder.userPrincipalName} is Entra's placeholder for a duplicate of ${s.onPrem.userPrincipalName ?? ''}`,
        `Graph refuses to set the anchor on ${targetUpn} while ${originalUpn(holder)} holds it (ObjectConflict), and refuses to change a synced user`,
      ],
      work
        ? `${capital(stepRef(scopeOut))} take ${s.onPrem.dn} out of sync scope and sync, so ${originalUpn(holder)} is soft-deleted; ` +
            `${stepRef(purge)} purges it (IRREVERSIBLE: first check it holds no mail or files that exist only there); ` +
            `then ${stepRef(setAnchor)} sets the anchor on ${targetUpn}.`
        : later,
      [holder.id],
    );
  }
  return finding(
    'ANCHOR_HELD_BY_OTHER_USER',
    'blocker',
    `${originalUpn(holder)} holds ${s.onPrem.samAccountName}'s anchor`,
    [
      `${userLabel(holder)} (cloud-only) holds ${anchorText(s.anchor)}`,
      `Graph refuses to set it on ${targetUpn} while another object holds it (ObjectConflict)`,
    ],
    work
      ? `${capital(stepRef(stepsOfKind(plan, 'CLEAR_ANCHOR', holder.id)))} clears it (the old value is recorded, so the step can be undone); then ${stepRef(setAnchor)} sets it on ${targetUpn}.`
      : later,
    [holder.id],
  );
}

/** Why the holder is the duplicate: what the sync denied it when it created it, and who holds that. */
function duplicateEvidence(c: FindingContext, holder: CloudUser): string[] {
  const proof = c.choice.kind === 'target' ? c.choice.duplicate : undefined;
  if (!proof || proof.duplicate.id !== holder.id)
    return c.work ? [`Entra Connect created it for ${c.s.onPrem.dn} instead of matching ${userLabel(c.work.target)}`] : [];
  const created = holder.createdDateTime ? ` on ${holder.createdDateTime}` : '';
  const older = proof.original.createdDateTime ? ` (created ${proof.original.createdDateTime}, before it)` : '';
  return [
    `It is the duplicate: Entra Connect created it${created} for ${c.s.onPrem.dn} and denied it ${deniedText(proof.denied)}, ` +
      `because the cloud-only ${userLabel(proof.original)}${older} holds ${proof.denied.length === 1 ? 'it' : 'them'}`,
  ];
}

function deletedHolder(c: FindingContext, holder: CloudUser): Finding {
  const { s, plan, work } = c;
  const sam = s.onPrem.samAccountName;
  const targetUpn = c.target ? originalUpn(c.target) : null;
  const facts = [`${userLabel(holder)} still holds ${anchorText(s.anchor)} (soft-deleted users keep their ImmutableID for 30 days)`];
  if (c.choice.kind === 'restore') {
    return finding(
      'ANCHOR_HELD_BY_DELETED_USER',
      'info',
      `${originalUpn(holder)} in the recycle bin holds ${sam}'s anchor: the next sync restores it`,
      [...facts, `It was ${syncState(holder)}, so Entra Connect restores it and joins it again`],
      `Nothing to fix: ${stepRef(joiningSync(plan))} runs the sync and ${stepRef(stepsOfKind(plan, 'VERIFY_JOINED'))} checks it.`,
      [holder.id],
    );
  }
  const consequence = holder.synced
    ? `It was synced${holder.onPremisesDistinguishedName ? ` (joined to ${holder.onPremisesDistinguishedName})` : ''}: while it is there, the next sync restores that old account${targetUpn ? ` instead of matching ${targetUpn}` : ''}`
    : `It is cloud-only: while it holds the anchor, Graph refuses to set it on another user and the sync's export fails with ObjectConflict`;
  const remedy = work
    ? `${capital(stepRef(stepsOfKind(plan, 'PURGE_DELETED_USER', holder.id)))} purges it from the recycle bin (IRREVERSIBLE); then ${stepRef(stepsOfKind(plan, 'SET_ANCHOR'))} sets the anchor on ${targetUpn ?? 'the target'}.`
    : (plan.blockedReason ?? `Purge it from the recycle bin once ${sam}'s target is settled, then type \`match ${sam}\` again.`);
  return finding(
    'ANCHOR_HELD_BY_DELETED_USER',
    'blocker',
    `${originalUpn(holder)} in the recycle bin holds ${sam}'s anchor`,
    [...facts, consequence],
    remedy,
    [holder.id],
  );
}

export function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
