/**
 * How Entra compares and derives the values the emulator's rules care about, in one place so the
 * seed checks, the Graph rules and the $filter evaluation all agree.
 */

/** UPNs, mail and proxy addresses compare case-insensitively in Entra. */
export function foldCase(value: string): string {
  return value.toLowerCase();
}

export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return a != null && b != null && foldCase(a) === foldCase(b);
}

/** The domain part of a UPN or address, lower-cased; '' when there is no '@'. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? '' : foldCase(address.slice(at + 1));
}

/** The part before the last '@'. */
export function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? address : address.slice(0, at);
}

/**
 * Uniqueness key of a proxy address: `SMTP:` (primary) and `smtp:` (secondary) of the same address
 * collide, as do different cases of the address.
 */
export function proxyKey(proxyAddress: string): string {
  return foldCase(proxyAddress);
}

/** The SMTP proxy form of a mail address, for checking `mail` against proxy addresses. */
export function smtpProxyKey(mail: string): string {
  return `smtp:${foldCase(mail)}`;
}

export function isPrimarySmtp(proxyAddress: string): boolean {
  return proxyAddress.startsWith('SMTP:');
}

/**
 * Graph's update-user reference: "The $ and _ characters cannot be used when specifying this
 * property" (onPremisesImmutableId).
 */
export function isValidImmutableId(value: string): boolean {
  return value.length > 0 && !/[$_]/.test(value);
}

/**
 * Entra renames a soft-deleted user to `<object id without dashes><UPN>` so the UPN is free for
 * a new user while the deleted one waits in the recycle bin; restore puts the original back.
 */
export function recycleBinUpn(objectId: string, upn: string): string {
  return `${objectId.replaceAll('-', '')}${upn}`;
}

/** Graph's date-time form: second precision, UTC, `Z` (e.g. 2021-10-26T16:56:36Z). */
export function graphDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
