/**
 * The MANUAL plan steps: what only a person can do (on-premises, or tenant settings the bot's
 * permissions do not cover), each said precisely enough to act on (the DN, the UPN, the roles,
 * the exact Graph request or PowerShell), and each carrying the same thing as data (`action`).
 */
import { primarySmtp, privilegedRoles, smtpAddresses, type CloudUser } from '../cloud.ts';
import type { OnPremUser } from '../onprem-user.ts';
import { type AddressConflict, holderLabel } from './conflicts.ts';
import { localPart, originalUpn, subjectOf, userLabel, wordList } from './describe.ts';
import type { StepDraft } from './steps.ts';
import type { ManualAction } from './types.ts';

function manual(description: string, instruction: string, action?: ManualAction): StepDraft {
  return action === undefined
    ? { kind: 'MANUAL', irreversible: false, description, instruction }
    : { kind: 'MANUAL', irreversible: false, description, instruction, action };
}

/** The OU (or container) a DN sits in: everything after the first unescaped comma. */
export function parentOf(dn: string): string {
  const m = /^(?:\\.|[^,\\])*,\s*(.*)$/.exec(dn);
  return m?.[1] ?? dn;
}

export function scopeOutForDuplicate(onPrem: OnPremUser, duplicates: readonly CloudUser[]): StepDraft {
  return manual(
    `On-premises: take ${onPrem.dn} out of Entra Connect's sync scope`,
    `Move ${onPrem.dn} out of Entra Connect's sync scope: into an OU that is not synchronised (OU filtering), ` +
      `or change the attribute your sync rules filter on. Do not delete it. The sync in the next step then ` +
      `soft-deletes the duplicate ${wordList(duplicates.map(userLabel))}.`,
    { kind: 'SCOPE_OUT', dn: onPrem.dn },
  );
}

export function scopeBackIn(onPrem: OnPremUser): StepDraft {
  return manual(
    `On-premises: put ${onPrem.dn} back into sync scope`,
    `Move ${onPrem.dn} back into Entra Connect's sync scope (its OU ${parentOf(onPrem.dn)}), or undo the filter change.`,
    { kind: 'SCOPE_IN', dn: onPrem.dn },
  );
}

export function ensureInScope(onPrem: OnPremUser, target: CloudUser, anchor: string): StepDraft {
  return manual(
    `On-premises: make sure ${onPrem.dn} is in sync scope`,
    `Make sure ${onPrem.dn} is in Entra Connect's sync scope (OU filtering / attribute filter): ` +
      `${originalUpn(target)} already holds its anchor ${anchor}, so the first sync that exports the AD object joins them. ` +
      `In Synchronization Service Manager, search the AD connector space for the DN; if it is not there, ` +
      `add its OU ${parentOf(onPrem.dn)} to the synchronised OUs or fix the filter.`,
    { kind: 'SCOPE_IN', dn: onPrem.dn },
  );
}

export function fixOnPremUpn(onPrem: OnPremUser, suggestion: string, verified: readonly string[], initial: string): StepDraft {
  const from = onPrem.userPrincipalName;
  return manual(
    `On-premises: give ${onPrem.samAccountName} a UPN in a verified domain, e.g. ${suggestion}`,
    `Give the AD user ${onPrem.samAccountName} (${onPrem.dn}) a UPN in a verified domain of the tenant ` +
      `(${wordList([...verified])}), e.g. ${suggestion}: Active Directory Users and Computers → Account → User logon name, ` +
      `or Set-ADUser ${onPrem.samAccountName} -UserPrincipalName ${suggestion}. ` +
      `Its UPN ${from ?? '(none)'} is not in a verified domain, so Entra would turn it into an @${initial} name.`,
    { kind: 'SET_ONPREM_UPN', dn: onPrem.dn, from, to: suggestion },
  );
}

/** "the roles A and the PIM eligibility for B": assigned and eligible roles, each said as what it is. */
function rolesPhrase(target: CloudUser): string {
  const eligible = (target.eligibleRoles ?? []).filter((r) => !target.adminRoles.includes(r));
  const parts: string[] = [];
  if (target.adminRoles.length > 0) parts.push(`the roles ${wordList(target.adminRoles)}`);
  if (eligible.length > 0) parts.push(`the PIM eligibility for ${wordList(eligible)}`);
  return parts.join(' and ');
}

export function removeRoles(target: CloudUser): StepDraft {
  const what = rolesPhrase(target);
  return manual(
    `Entra admin center: remove ${what} from ${originalUpn(target)}`,
    `Take ${what} away from ${userLabel(target)}: Entra admin center → Users → ${originalUpn(target)} → ` +
      `Assigned roles${(target.eligibleRoles ?? []).length > 0 ? ' (and Privileged Identity Management → Microsoft Entra roles → Assignments → Eligible for the eligibility)' : ' (and Privileged Identity Management for eligible assignments)'}. ` +
      `Since MC1262584 Entra refuses a hard match onto a role holder${(target.eligibleRoles ?? []).length > 0 ? ' or a user eligible for a privileged role' : ''}. Note them: a later step assigns them again.`,
    { kind: 'REMOVE_ADMIN_ROLES', subject: subjectOf(target), roles: privilegedRoles(target) },
  );
}

export function reassignRoles(target: CloudUser): StepDraft {
  const what = rolesPhrase(target);
  return manual(
    `Entra admin center: assign ${what} to ${originalUpn(target)} again`,
    `Assign ${what} to the user with object id ${target.id} again, as they were (it is now synced; ` +
      `its UPN may have changed to the AD UPN).`,
    { kind: 'ASSIGN_ADMIN_ROLES', subject: subjectOf(target), roles: privilegedRoles(target) },
  );
}

export function removeAddresses(conflict: AddressConflict, samAccountName: string): StepDraft {
  const { holder, addresses } = conflict;
  const list = wordList(addresses);
  const label = holderLabel(holder);
  const synced = holder.kind === 'user' && holder.user.synced;
  const dn = holder.kind === 'user' ? holder.user.onPremisesDistinguishedName : null;
  let where: string;
  if (holder.kind === 'group') where = `Exchange admin center → Recipients → Groups → "${holder.group.displayName}" → email addresses`;
  else if (synced)
    where = `it is synced, so change the proxyAddresses and mail of its AD object ${dn ?? '(see onPremisesDistinguishedName)'} on-premises; the next sync removes them in the cloud`;
  else where = `Exchange admin center → Recipients → Mailboxes → email addresses, or the user's properties in the Entra admin center`;
  const primary = primaryOf(holder.kind === 'user' ? holder.user : holder.group, addresses);
  const primaryNote =
    primary === null
      ? ''
      : ` ${primary} is the primary SMTP address of ${label}: removing it changes that object's mail, so first make another of its ` +
        `addresses${otherAddresses(holder.kind === 'user' ? holder.user : holder.group, addresses)} (or a new one) its primary, then remove ${primary}.`;
  return manual(
    `${synced ? 'On-premises' : 'Exchange admin center'}: free ${list} for ${samAccountName}${primary === null ? '' : ` (the primary address of ${label})`}`,
    `${label} holds ${list}, which ${samAccountName} needs: while another object holds an address, Entra quarantines it on ` +
      `the matched user. Take ${addresses.length === 1 ? 'it' : 'them'} off there (${where}).${primaryNote}`,
    {
      kind: 'REMOVE_ADDRESSES',
      objectId: holder.kind === 'user' ? holder.user.id : holder.group.id,
      objectKind: holder.kind,
      addresses,
      dn: synced ? dn : null,
    },
  );
}

/** The one of `addresses` that is the holder's primary SMTP address (or its mail), if any. */
function primaryOf(holder: { proxyAddresses: string[]; mail: string | null }, addresses: readonly string[]): string | null {
  const primary = (primarySmtp(holder.proxyAddresses) ?? holder.mail)?.toLowerCase();
  return addresses.find((a) => a.toLowerCase() === primary) ?? null;
}

/** ", e.g. x@y" naming one address the holder keeps, or "" when it keeps none. */
function otherAddresses(holder: { proxyAddresses: string[] }, addresses: readonly string[]): string {
  const drop = new Set(addresses.map((a) => a.toLowerCase()));
  const keep = smtpAddresses(holder.proxyAddresses).find((a) => !drop.has(a.toLowerCase()));
  return keep ? `, e.g. ${keep},` : '';
}

/** Another user holds the UPN the AD user's cloud user should get: a person renames it. */
export function freeUpn(holder: CloudUser, upn: string, samAccountName: string, initialDomain: string): StepDraft {
  const suggestion = `${localPart(upn)}.old@${initialDomain}`;
  const dn = holder.synced ? holder.onPremisesDistinguishedName : null;
  const where = holder.synced
    ? `it is synced, so change the userPrincipalName of its AD object ${dn ?? '(see onPremisesDistinguishedName)'} on-premises (Set-ADUser); the next sync renames it in the cloud`
    : `Entra admin center → Users → ${originalUpn(holder)} → Edit properties → User principal name, or PATCH /users/${holder.id} {"userPrincipalName":"${suggestion}"}`;
  return manual(
    `${holder.synced ? 'On-premises' : 'Entra admin center'}: free the UPN ${upn} for ${samAccountName}`,
    `${userLabel(holder)} holds the UPN ${upn}, which ${samAccountName}'s cloud user should have: while it does, Entra ` +
      `gives ${samAccountName}'s cloud user a placeholder UPN. Give ${originalUpn(holder)} another UPN, e.g. ${suggestion} ` +
      `(${where}), or delete it if it is a stale account.`,
    { kind: 'FREE_UPN', objectId: holder.id, upn, suggestion, dn },
  );
}

const TAKEOVER = 'blockCloudObjectTakeoverThroughHardMatchEnabled';

export function takeoverSwitch(enabled: boolean): StepDraft {
  const ps = enabled ? '$true' : '$false';
  return manual(
    `Global Administrator: turn ${enabled ? 'on' : 'off'} ${TAKEOVER}${enabled ? ' again' : ' for this sync'}`,
    `As a Global Administrator, turn ${TAKEOVER} ${enabled ? 'back on' : 'off until the match is verified'}: ` +
      `PATCH https://graph.microsoft.com/v1.0/directory/onPremisesSynchronization/{id} with ` +
      `{"features":{"${TAKEOVER}":${String(enabled)}}} (GET /directory/onPremisesSynchronization gives the id), ` +
      `or in PowerShell: $s = Get-MgDirectoryOnPremiseSynchronization; Update-MgDirectoryOnPremiseSynchronization ` +
      `-OnPremisesDirectorySynchronizationId $s.Id -Features @{ BlockCloudObjectTakeoverThroughHardMatchEnabled = ${ps} }`,
    { kind: 'SET_SYNC_SWITCH', feature: TAKEOVER, enabled },
  );
}

/** Scenario 7: free the person's cloud user from the AD object it is joined to. */
export function unjoinSyncedTarget(target: CloudUser): StepDraft {
  const dn = target.onPremisesDistinguishedName;
  const what = dn ?? `the AD object ${originalUpn(target)} is joined to (\`guid ${target.immutableId ?? ''}\` finds it)`;
  return manual(
    `On-premises: take ${dn ?? 'the AD object it is joined to'} out of sync scope (or delete it)`,
    `Take ${what} out of Entra Connect's sync scope (move it to an OU that is not synchronised), or delete it ` +
      `if it is an old account nobody uses. ${userLabel(target)} is joined to it, so the next sync soft-deletes it. ` +
      `Keep it out of scope afterwards, or it would join ${originalUpn(target)} again.`,
    dn === null ? undefined : { kind: 'SCOPE_OUT', dn },
  );
}

/**
 * Scenario 7: while the person's cloud user sits in the recycle bin its UPN and addresses are free,
 * so a sync with the AD user in scope would create a new cloud user for it. Keep it out until the
 * cloud user is restored.
 */
export function scopeOutWhileDetached(onPrem: OnPremUser, target: CloudUser): StepDraft {
  return manual(
    `On-premises: take ${onPrem.dn} out of sync scope too, for now`,
    `Move ${onPrem.dn} out of Entra Connect's sync scope as well (an OU that is not synchronised). Otherwise the ` +
      `sync that soft-deletes ${originalUpn(target)} would create a new cloud user for it with the freed UPN, and ` +
      `the restore below would fail with a UPN conflict.`,
    { kind: 'SCOPE_OUT', dn: onPrem.dn },
  );
}

export function scopeBackInAfterRestore(onPrem: OnPremUser, target: CloudUser): StepDraft {
  return manual(
    `On-premises: put ${onPrem.dn} back into sync scope`,
    `Move ${onPrem.dn} back into Entra Connect's sync scope (its OU ${parentOf(onPrem.dn)}). Until the next step sets ` +
      `its ImmutableID, syncs report InvalidSoftMatch for it, because ${originalUpn(target)} still carries the old ` +
      `value: harmless, nothing is created.`,
    { kind: 'SCOPE_IN', dn: onPrem.dn },
  );
}

export function restoreFromRecycleBin(target: CloudUser, formerDn: string | null): StepDraft {
  return manual(
    `Entra admin center: restore ${originalUpn(target)} from the recycle bin`,
    `Restore ${originalUpn(target)} (id ${target.id}) from the recycle bin: Entra admin center → Users → Deleted users → ` +
      `select it → Restore user. With ${formerDn ?? 'its AD object'} out of scope it comes back cloud-only, ` +
      `with its mailbox, licences and group memberships.`,
    { kind: 'RESTORE_DELETED_USER', subject: subjectOf(target) },
  );
}

export function matchAgain(onPrem: OnPremUser, target: CloudUser): StepDraft {
  const command = `match ${onPrem.samAccountName} to ${originalUpn(target)}`;
  return manual(
    `Teams: type \`${command}\` again`,
    `Now that ${originalUpn(target)} is cloud-only, \`${command}\` makes a new plan: it sets its ImmutableID ` +
      `to ${onPrem.anchor.immutableId} and runs the sync that joins it to ${onPrem.dn}.`,
    { kind: 'RUN_MATCH_AGAIN', command },
  );
}
