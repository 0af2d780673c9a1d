/**
 * The AD user's values the cloud look-ups are keyed on: its SMTP addresses (primary first) and its
 * anchors. Shared by `match`'s Graph look-ups and a scan's in-memory index, so both ask the same.
 */
import { toImmutableId, tryParseAnchor } from './anchors.ts';
import { primarySmtp, smtpAddresses } from './cloud.ts';
import type { OnPremUser } from './onprem-user.ts';

/** The AD user's SMTP addresses, primary first, without duplicates (case-insensitive). */
export function adAddresses(onPrem: OnPremUser): { primary: string | null; all: string[] } {
  const primary = primarySmtp(onPrem.proxyAddresses) ?? onPrem.mail ?? null;
  const seen = new Set<string>();
  const all: string[] = [];
  for (const address of [primary, ...smtpAddresses(onPrem.proxyAddresses), onPrem.mail]) {
    if (!address || seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    all.push(address);
  }
  return { primary, all };
}

/** The effective anchor's ImmutableID, and the other attribute's when it is set and differs. */
export function adAnchors(onPrem: OnPremUser): { anchor: string; other: string | null } {
  const anchor = onPrem.anchor.immutableId;
  for (const guid of [onPrem.objectGuid, onPrem.consistencyGuid]) {
    const parsed = guid ? tryParseAnchor(guid) : undefined;
    const id = parsed ? toImmutableId(parsed) : undefined;
    if (id !== undefined && id !== anchor) return { anchor, other: id };
  }
  return { anchor, other: null };
}
