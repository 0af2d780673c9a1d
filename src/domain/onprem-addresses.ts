/**
 * The AD user's values the cloud look-ups are keyed on: its SMTP addresses (primary first) and its
 * anchors. Shared by `match`'s Graph look-ups and a scan's in-memory index, so both ask the same.
 */
import { immutableIdOfGuidText, toImmutableId, tryParseAnchor } from './anchors.ts';
import { primarySmtp, smtpAddresses } from './cloud.ts';
import type { OnPremUser } from './onprem-user.ts';

/**
 * The AD user's SMTP addresses, primary first, without duplicates (case-insensitive), each also
 * lower-cased (`lower[i]` is `all[i]`'s), as the look-ups key them.
 */
export function adAddresses(onPrem: OnPremUser): { primary: string | null; all: string[]; lower: string[] } {
  const primary = primarySmtp(onPrem.proxyAddresses) ?? onPrem.mail ?? null;
  const all: string[] = [];
  const lower: string[] = [];
  const add = (address: string | null): void => {
    if (!address) return;
    const key = address.toLowerCase();
    if (lower.includes(key)) return;
    all.push(address);
    lower.push(key);
  };
  add(primary);
  for (const address of smtpAddresses(onPrem.proxyAddresses)) add(address);
  add(onPrem.mail);
  return { primary, all, lower };
}

/** The ImmutableID of an anchor attribute's value (GUID text, or any form parseAnchor reads), or undefined. */
export function immutableIdOfValue(value: string | null): string | undefined {
  if (!value) return undefined;
  const fast = immutableIdOfGuidText(value);
  if (fast !== undefined) return fast;
  const parsed = tryParseAnchor(value);
  return parsed ? toImmutableId(parsed) : undefined;
}

/** The effective anchor's ImmutableID, and the other attribute's when it is set and differs. */
export function adAnchors(onPrem: OnPremUser): { anchor: string; other: string | null } {
  const anchor = onPrem.anchor.immutableId;
  for (const guid of [onPrem.objectGuid, onPrem.consistencyGuid]) {
    const id = immutableIdOfValue(guid);
    if (id !== undefined && id !== anchor) return { anchor, other: id };
  }
  return { anchor, other: null };
}
