/**
 * Findings about names: the UPN the sync will write (unverified suffix, a holder that forces a
 * placeholder, a change the person will notice at sign-in), SMTP addresses held by other objects,
 * and the provisioning errors Entra already records. Conflicts the plan removes (the duplicate's)
 * are info; conflicts that survive the plan are warnings with the step or action that frees them.
 */
import { domainOf, sameAddress, type CloudUser, type ProvisioningConflict } from '../cloud.ts';
import {
  addressConflicts,
  exportedUpn,
  holderId,
  holderLabel,
  isPlaceholderFor,
  placeholderUpn,
  upnHolder,
  type AddressHolder,
} from './conflicts.ts';
import { originalUpn, stepRef, userLabel, wordList } from './describe.ts';
import { finding, manualStepsOf, stepsOfKind, type FindingContext } from './finding-context.ts';
import { capital } from './findings-anchor.ts';
import { joinedUpnFindings } from './findings-joined.ts';
import { addressesOf, isActive } from './situation.ts';
import type { Finding } from './types.ts';

/** Users the plan leaves alone when it comes to names: the target, and duplicates it purges. */
function excluded(c: FindingContext): Set<string> | null {
  switch (c.choice.kind) {
    case 'target':
      return new Set([c.choice.user.id, ...(c.work?.duplicates.map((d) => d.id) ?? [])]);
    case 'multiple':
      return new Set(c.choice.users.map((u) => u.id));
    case 'restore':
    case 'deletedHolder':
      return new Set([c.choice.user.id]);
    case 'none':
      return new Set();
    case 'missing':
    case 'deletedTarget':
    case 'joinedElsewhere':
      return null;
  }
}

/** Whether the next sync writes this AD user's UPN into the cloud (a join or a creation). */
function writesUpn(c: FindingContext): boolean {
  return c.work !== null || c.choice.kind === 'none' || c.choice.kind === 'restore';
}

/** The target is the user already joined to the AD user (synced, holding its anchor). */
function isJoinedTarget(c: FindingContext): boolean {
  return c.target !== null && c.target.synced && c.target.immutableId === c.s.anchor;
}

export function upnFindings(c: FindingContext): Finding[] {
  if (isJoinedTarget(c)) return joinedUpnFindings(c);
  const { s, plan, work } = c;
  const adUpn = s.onPrem.userPrincipalName;
  const wanted = exportedUpn(s);
  if (adUpn === null || wanted === null || !writesUpn(c)) return [];
  const out: Finding[] = [];
  const sam = s.onPrem.samAccountName;
  const fix = manualStepsOf(plan, 'SET_ONPREM_UPN');
  const suggestion = work?.upnSuggestion ?? null;
  if (wanted.substituted) {
    const verified = s.evidence.tenant.domains.filter((d) => d.verified).map((d) => d.name);
    out.push(
      finding(
        'UPN_SUFFIX_UNVERIFIED',
        fix.length > 0 && suggestion !== null ? 'info' : 'warning',
        `The AD UPN ${adUpn} is not in a verified domain`,
        [
          `${adUpn} ends in ${domainOf(adUpn)}, which is not a verified domain of the tenant (verified: ${wordList(verified)})`,
          `Entra turns it into ${wanted.upn} at the sync`,
        ],
        fix.length > 0 && suggestion !== null
          ? `${capital(stepRef(fix))} gives ${sam} a UPN in a verified domain (e.g. ${suggestion}) before the sync.`
          : `Give ${sam} a UPN in a verified domain (${wordList(verified)}) before the next sync: Set-ADUser ${sam} -UserPrincipalName <name>@<verified domain>.`,
      ),
    );
  }
  const exclude = excluded(c) ?? new Set<string>();
  const holder = upnHolder(s, exclude);
  const finalUpn = holder ? placeholderUpn(s, wanted.upn) : wanted.upn;
  if (work && !sameAddress(originalUpn(work.target), finalUpn)) {
    const current = originalUpn(work.target);
    out.push(
      finding(
        'UPN_WILL_CHANGE',
        // A MANUAL step gives the AD user a verified UPN first: the plan settles the UPN.
        fix.length > 0 && suggestion !== null ? 'info' : 'warning',
        `The UPN of ${current} changes to ${finalUpn} at the match`,
        [
          `Entra Connect overwrites the cloud UPN from AD at the match: ${current} → ${finalUpn}`,
          wanted.substituted && `${adUpn} is not in a verified domain, so Entra uses ${wanted.upn}`,
          holder && `${userLabel(holder)} already holds ${wanted.upn}, so Entra gives a placeholder (4 random digits)`,
        ],
        fix.length > 0 && suggestion !== null
          ? `${capital(stepRef(fix))} avoids it: with ${suggestion} as the AD UPN, ${sameAddress(suggestion, current) ? 'the UPN stays as it is' : `the UPN becomes ${suggestion}`}.`
          : `Tell the person to sign in as ${finalUpn} afterwards, or change the AD UPN to ${current} before the sync (Set-ADUser ${sam} -UserPrincipalName ${current}).`,
        [work.target.id],
      ),
    );
  }
  const conflict = upnConflict(c, holder, wanted.upn);
  if (conflict) out.push(conflict);
  return out;
}

function upnConflict(c: FindingContext, holder: CloudUser | null, upn: string): Finding | null {
  const { s, work } = c;
  const resolved = (work?.duplicates ?? []).filter(
    (d) => isPlaceholderFor(s, d.userPrincipalName) || d.provisioningErrors.some((e) => e.property === 'UserPrincipalName'),
  );
  if (!holder && (resolved.length === 0 || !work)) return null;
  const who = work ? originalUpn(work.target) : 'the new user';
  const evidence = [
    holder &&
      `${userLabel(holder)} already holds ${upn}: the sync gives ${who} a placeholder UPN ${placeholderUpn(s, upn)} and records a PropertyConflict on UserPrincipalName`,
    ...resolved.map(
      (d) =>
        `The duplicate ${userLabel(d)} got a placeholder UPN because ${work ? `the cloud user ${userLabel(work.target)}` : 'another user'} holds ${upn}`,
    ),
  ];
  const remedy = holder
    ? `Free ${upn} before the sync: change the UPN of ${originalUpn(holder)} (or delete it if it is a stale account), or give the AD user another UPN; otherwise rename the placeholder after the match.`
    : `Resolved by the plan: once the duplicate is purged and ${who} is joined, it keeps ${upn}.`;
  return finding('UPN_CONFLICT', holder ? 'warning' : 'info', `The UPN ${upn} is held by another user`, evidence, remedy, [
    ...(holder ? [holder.id] : []),
    ...resolved.map((d) => d.id),
  ]);
}

export function smtpFindings(c: FindingContext): Finding[] {
  const exclude = excluded(c);
  if (exclude === null) return [];
  const conflicts = c.work?.addressConflicts ?? addressConflicts(c.s, exclude);
  const quarantined = duplicateQuarantines(c);
  if (conflicts.length === 0 && quarantined.length === 0) return [];
  const { s, plan } = c;
  const sam = s.onPrem.samAccountName;
  const anchorHeld = s.users.some((u) => u.immutableId === s.anchor);
  const evidence = [
    ...conflicts.flatMap((k) => [
      `${holderLabel(k.holder)} holds ${wordList(k.addresses)}`,
      k.holdsPrimary && !anchorHeld && `${s.primary ?? ''} is ${sam}'s primary SMTP address: ${softMatchFailure(k.holder)}`,
    ]),
    conflicts.length > 0 &&
      `While another object holds ${conflicts.length === 1 && conflicts[0]?.addresses.length === 1 ? 'it' : 'them'}, Entra quarantines ${conflicts.length === 1 && conflicts[0]?.addresses.length === 1 ? 'it' : 'them'} on the matched user (PropertyConflict on ProxyAddress)`,
    ...quarantined,
  ];
  const removals = manualStepsOf(plan, 'REMOVE_ADDRESSES');
  const remedy =
    conflicts.length === 0
      ? 'Resolved by the plan: the duplicate is purged and the cloud user keeps its addresses.'
      : removals.length > 0
        ? `${capital(stepRef(removals))} ${removals.length === 1 ? 'removes' : 'remove'} ${wordList(conflicts.map((k) => `${wordList(k.addresses)} from ${holderLabel(k.holder)}`))} before the sync.`
        : `Remove ${wordList(conflicts.map((k) => `${wordList(k.addresses)} from ${holderLabel(k.holder)}`))}; the next sync then gives ${conflicts.length === 1 && conflicts[0]?.addresses.length === 1 ? 'it' : 'them'} to ${sam}'s cloud user.`;
  // On a joined user a held address is quarantined now, whatever the plan: a warning until it is freed.
  const live = conflicts.length > 0 && (isJoinedTarget(c) || removals.length < conflicts.length);
  return [
    finding(
      'SMTP_CONFLICT',
      live ? 'warning' : 'info',
      `An address of ${sam} is on another cloud object`,
      evidence,
      remedy,
      conflicts.map((k) => holderId(k.holder)),
    ),
  ];
}

function softMatchFailure(holder: AddressHolder): string {
  if (holder.kind === 'group') return "the sync's soft match fails with ObjectTypeMismatch (it is a group, not a user)";
  if (holder.user.synced)
    return `the sync's soft match fails with InvalidSoftMatch (it is already synced${holder.user.onPremisesDistinguishedName ? `, joined to ${holder.user.onPremisesDistinguishedName}` : ''})`;
  if (holder.user.immutableId !== null)
    return `the sync's soft match fails with InvalidSoftMatch (it holds ImmutableID ${holder.user.immutableId})`;
  return 'the sync would soft-match that user';
}

/** The duplicate's addresses Entra quarantined because the target holds them (scenario 1). */
function duplicateQuarantines(c: FindingContext): string[] {
  const work = c.work;
  if (!work) return [];
  const held = addressesOf(work.target);
  return work.duplicates.flatMap((d) =>
    d.provisioningErrors
      .filter((e) => e.property === 'ProxyAddress' && held.includes(bare(e.value)))
      .map(
        (e) =>
          `The duplicate ${originalUpn(d)} could not get ${bare(e.value)} because the cloud user ${userLabel(work.target)} holds it (quarantined)`,
      ),
  );
}

export function provisioningFindings(c: FindingContext): Finding[] {
  const { s, plan, work } = c;
  const withErrors = s.users.filter((u) => isActive(u) && u.provisioningErrors.length > 0);
  if (withErrors.length === 0) return [];
  const duplicates = new Set(work?.duplicates.map((d) => d.id) ?? []);
  const evidence = withErrors.flatMap((u) => u.provisioningErrors.map((e) => errorLine(c, u, e)));
  const purged = (u: CloudUser): boolean => duplicates.has(u.id) && stepsOfKind(plan, 'PURGE_DELETED_USER', u.id).length > 0;
  const sync = stepsOfKind(plan, 'TRIGGER_DELTA_SYNC');
  const remedies = withErrors.map((u) => {
    if (purged(u)) return `${originalUpn(u)}'s errors go with it when ${stepRef(stepsOfKind(plan, 'PURGE_DELETED_USER', u.id))} purges it.`;
    if (isJoinedTarget(c) && u.id === c.target?.id && sync.length > 0) {
      return `${originalUpn(u)}'s errors clear at the sync of ${stepRef(sync)} once the values are free (the steps before it free them).`;
    }
    return `${originalUpn(u)}'s errors clear at the next sync once the values are free (remove them from the objects named above).`;
  });
  return [
    // Info when every user with errors is a duplicate the plan purges: its quarantined values go with it.
    finding(
      'PROVISIONING_ERRORS',
      withErrors.every(purged) ? 'info' : 'warning',
      `Entra records provisioning errors on ${wordList(withErrors.map(originalUpn))}`,
      evidence,
      remedies.join(' '),
      withErrors.map((u) => u.id),
    ),
  ];
}

function errorLine(c: FindingContext, user: CloudUser, e: ProvisioningConflict): string {
  const holder = valueHolder(c, user, e);
  const since = e.occurredDateTime ? ` since ${e.occurredDateTime}` : '';
  return `${userLabel(user)}: ${e.category} on ${e.property} ${e.value}${since}${holder ? `, held by ${holderLabel(holder)}` : ''}`;
}

function valueHolder(c: FindingContext, user: CloudUser, e: ProvisioningConflict): AddressHolder | null {
  const others = c.s.users.filter((u) => isActive(u) && u.id !== user.id);
  if (e.property === 'UserPrincipalName') {
    const u = others.find((o) => sameAddress(o.userPrincipalName, e.value));
    return u ? { kind: 'user', user: u } : null;
  }
  const value = bare(e.value);
  const u = others.find((o) => addressesOf(o).includes(value));
  if (u) return { kind: 'user', user: u };
  const g = c.s.evidence.otherObjects.find((o) => addressesOf(o).includes(value));
  return g ? { kind: 'group', group: g } : null;
}

/** An address without its `smtp:` prefix, lower case. */
function bare(value: string): string {
  return value.replace(/^smtp:/i, '').toLowerCase();
}
