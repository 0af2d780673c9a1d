/**
 * Entra's rules for writing users, each as a check that throws the GraphServiceError Graph would
 * answer. Graph writes (`user-writes.ts`) and Entra Connect writes (`sync-writes.ts`) both call
 * these, so the two paths cannot drift apart.
 */
import { domainOf, isValidImmutableId, sameText, smtpProxyKey } from './directory-values.ts';
import { graphErrors } from './graph-errors.ts';
import type { UserRecord } from './model.ts';
import type { DirectoryStore } from './store.ts';

/** Properties Entra Connect owns on a synced user; Graph may not change them. */
export const ON_PREMISES_MASTERED = [
  'onPremisesImmutableId',
  'userPrincipalName',
  'mail',
  'displayName',
  'proxyAddresses',
  'accountEnabled',
] as const;

export function assertNotMastered(user: UserRecord, changing: readonly string[]): void {
  if (user.onPremisesSyncEnabled !== true) return;
  if (changing.some((p) => (ON_PREMISES_MASTERED as readonly string[]).includes(p))) throw graphErrors.onPremisesMastered();
}

export function assertImmutableIdFormat(value: string | null): void {
  if (value !== null && !isValidImmutableId(value)) throw graphErrors.invalidPropertyValue('onPremisesImmutableId');
}

/** A UPN is name@domain where the domain is a verified domain of the tenant. */
export function assertUpnDomainVerified(store: DirectoryStore, upn: string): void {
  const at = upn.lastIndexOf('@');
  if (at <= 0 || upn.indexOf('@') !== at || /\s/.test(upn)) throw graphErrors.invalidPropertyValue('userPrincipalName');
  if (store.domain(domainOf(upn))?.isVerified !== true) throw graphErrors.unverifiedUpnDomain();
}

export function isFederatedUpn(store: DirectoryStore, upn: string): boolean {
  return store.domain(domainOf(upn))?.authenticationType === 'Federated';
}

/**
 * A user in a federated domain cannot be given a new ImmutableID (its sign-in depends on it); the
 * documented workaround is to move its UPN to the initial onmicrosoft.com domain first. The
 * current UPN is checked, not the one in the same request: the workaround is two steps.
 */
export function assertAnchorChangeAllowed(store: DirectoryStore, user: UserRecord, upnAfter: string): void {
  for (const upn of [user.userPrincipalName, upnAfter]) {
    if (isFederatedUpn(store, upn)) throw graphErrors.federatedImmutableId(domainOf(upn), store.tenant.initialDomain);
  }
}

/** ImmutableIDs are unique across active AND soft-deleted users. */
export function assertAnchorFree(store: DirectoryStore, immutableId: string, selfId: string): void {
  const holder = store.anchorHolder(immutableId, selfId);
  if (holder) throw graphErrors.objectConflict('onPremisesImmutableId', { kind: 'User', id: holder.id });
}

/** UPNs are unique among active users. */
export function assertUpnFree(store: DirectoryStore, upn: string, selfId: string): void {
  const holder = store.upnHolder(upn, selfId);
  if (holder) throw graphErrors.objectConflict('userPrincipalName', { kind: 'User', id: holder.id });
}

/** Proxy addresses (and a mail, which becomes an SMTP proxy) are unique among active users and groups. */
export function assertProxiesFree(store: DirectoryStore, proxyAddresses: readonly string[], selfId: string): void {
  for (const address of proxyAddresses) {
    const holder = store.proxyHolder(address, selfId);
    if (holder) throw graphErrors.objectConflict('proxyAddresses', holder);
  }
}

/** A mail collides with another object's SMTP proxy address, or with another user's mail. */
export function assertMailFree(store: DirectoryStore, mail: string, selfId: string): void {
  assertProxiesFree(store, [smtpProxyKey(mail)], selfId);
  const holder = store.activeUsers().find((u) => u.id !== selfId && sameText(u.mail, mail));
  if (holder) throw graphErrors.objectConflict('proxyAddresses', { kind: 'User', id: holder.id });
}
