/**
 * `PATCH /users/{id}` as Entra applies it: every rule is checked before anything changes, so a
 * refused update leaves the user exactly as it was (Graph updates are all-or-nothing).
 */
import { isPrimarySmtp, proxyKey, sameText, smtpProxyKey } from './directory-values.ts';
import { graphErrors } from './graph-errors.ts';
import { copyUser, type UserRecord } from './model.ts';
import {
  assertAnchorChangeAllowed,
  assertAnchorFree,
  assertImmutableIdFormat,
  assertMailFree,
  assertNotMastered,
  assertUpnDomainVerified,
  assertUpnFree,
} from './rules.ts';
import { assertMayClearObjectIdentifier } from './rules-2026.ts';
import type { DirectoryStore } from './store.ts';

/** The user properties Graph lets an app write that the emulator models. */
export interface UserPatch {
  accountEnabled?: boolean;
  displayName?: string;
  mail?: string | null;
  onPremisesImmutableId?: string | null;
  userPrincipalName?: string;
  userType?: 'Member' | 'Guest';
  /** Beta only, and only null: the 2026 recovery that clears a user's on-premises mapping. */
  onPremisesObjectIdentifier?: null;
}

/** The properties every version writes; `onPremisesObjectIdentifier` (beta, null only) is parsed apart. */
export const WRITABLE_USER_PROPERTIES: readonly Exclude<keyof UserPatch, 'onPremisesObjectIdentifier'>[] = [
  'accountEnabled',
  'displayName',
  'mail',
  'onPremisesImmutableId',
  'userPrincipalName',
  'userType',
];

export function patchUser(store: DirectoryStore, idOrUpn: string, patch: UserPatch): UserRecord {
  const user = store.activeUser(idOrUpn);
  if (!user) throw graphErrors.resourceNotFound(idOrUpn);
  const changing = WRITABLE_USER_PROPERTIES.filter((p) => patch[p] !== undefined);
  assertNotMastered(user, changing);
  if (patch.onPremisesObjectIdentifier === null) assertMayClearObjectIdentifier(store);
  checkPatch(store, user, patch);
  applyPatch(user, patch);
  return copyUser(user);
}

function checkPatch(store: DirectoryStore, user: UserRecord, patch: UserPatch): void {
  if (patch.displayName !== undefined && patch.displayName.trim() === '') throw graphErrors.invalidPropertyValue('displayName');
  const upnAfter = patch.userPrincipalName ?? user.userPrincipalName;
  if (patch.userPrincipalName !== undefined) assertUpnDomainVerified(store, patch.userPrincipalName);
  const anchor = patch.onPremisesImmutableId;
  if (anchor !== undefined && anchor !== user.onPremisesImmutableId) {
    assertImmutableIdFormat(anchor);
    assertAnchorChangeAllowed(store, user, upnAfter);
    if (anchor !== null) assertAnchorFree(store, anchor, user.id);
  }
  if (patch.userPrincipalName !== undefined) assertUpnFree(store, patch.userPrincipalName, user.id);
  if (patch.mail != null && !sameText(patch.mail, user.mail)) assertMailFree(store, patch.mail, user.id);
}

function applyPatch(user: UserRecord, patch: UserPatch): void {
  if (patch.accountEnabled !== undefined) user.accountEnabled = patch.accountEnabled;
  if (patch.displayName !== undefined) user.displayName = patch.displayName;
  if (patch.userType !== undefined) user.userType = patch.userType;
  if (patch.userPrincipalName !== undefined) user.userPrincipalName = patch.userPrincipalName;
  if (patch.onPremisesImmutableId !== undefined) user.onPremisesImmutableId = patch.onPremisesImmutableId;
  if (patch.onPremisesObjectIdentifier === null) user.onPremisesObjectIdentifier = null;
  if (patch.mail !== undefined) {
    user.mail = patch.mail;
    // Graph: "Changes to [mail] will also update the user's proxyAddresses collection to include
    // the value as a SMTP address."
    if (patch.mail !== null) user.proxyAddresses = withPrimarySmtp(user.proxyAddresses, patch.mail);
  }
}

/** Make `mail` the primary SMTP address; the previous primary becomes a secondary (smtp:). */
export function withPrimarySmtp(proxyAddresses: readonly string[], mail: string): string[] {
  const key = smtpProxyKey(mail);
  const rest = proxyAddresses.filter((p) => proxyKey(p) !== key).map((p) => (isPrimarySmtp(p) ? `smtp:${p.slice('SMTP:'.length)}` : p));
  return [`SMTP:${mail}`, ...rest];
}
