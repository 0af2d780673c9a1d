/**
 * How the diagnosis names things in its texts: users with UPN and object id, anchors with the GUID
 * they encode, lists in plain words. One place, so every finding, step and prediction names the
 * same object the same way and an admin can paste the values into the admin center or PowerShell.
 */
import { guidOfImmutableIdText, toGuid, tryParseAnchor } from '../anchors.ts';
import type { CloudGroup, CloudUser } from '../cloud.ts';
import type { StepSubject } from './types.ts';

/**
 * The UPN a user had before deletion: Entra shows a deleted user's UPN as
 * `<object id without dashes><UPN>`; the prefix is dropped so admins recognise the account.
 */
export function originalUpn(user: CloudUser): string {
  const upn = user.userPrincipalName;
  if (user.deletedDateTime === null) return upn;
  const prefix = user.id.replaceAll('-', '').toLowerCase();
  return upn.length > prefix.length && upn.slice(0, prefix.length).toLowerCase() === prefix ? upn.slice(prefix.length) : upn;
}

/** `jdoe@contoso.com (id 5b1c…)`, plus where it is when it is in the recycle bin. */
export function userLabel(user: CloudUser): string {
  const where = user.deletedDateTime === null ? '' : `, in the recycle bin since ${user.deletedDateTime}`;
  return `${originalUpn(user)} (id ${user.id}${where})`;
}

/** `synced (joined to CN=…)` or `cloud-only`. */
export function syncState(user: CloudUser): string {
  if (!user.synced) return 'cloud-only';
  return user.onPremisesDistinguishedName ? `synced (joined to ${user.onPremisesDistinguishedName})` : 'synced';
}

export function groupLabel(group: CloudGroup): string {
  return `the group "${group.displayName}" (id ${group.id})`;
}

export function subjectOf(user: CloudUser): StepSubject {
  return { userId: user.id, userPrincipalName: user.userPrincipalName };
}

/** `3HjiBBIFx02rIhVtmcNDyg== (GUID 04e278dc-…)`; a value that is no anchor is shown as it is. */
export function anchorText(immutableId: string | null): string {
  if (immutableId === null) return 'null';
  const guid = guidOfImmutableIdText(immutableId);
  if (guid !== undefined) return `${immutableId} (GUID ${guid})`;
  const anchor = tryParseAnchor(immutableId);
  return anchor ? `${immutableId} (GUID ${toGuid(anchor)})` : `${immutableId} (not a valid 16-byte anchor)`;
}

/** The part before the @ (the whole value when there is none). */
export function localPart(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}

/** "a", "a and b", "a, b and c". */
export function wordList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** "step 3", "steps 2 and 5", or the fallback when the plan has no such step. */
export function stepRef(numbers: readonly number[], fallback = 'the plan'): string {
  if (numbers.length === 0) return fallback;
  return `${numbers.length === 1 ? 'step' : 'steps'} ${wordList(numbers.map(String))}`;
}
