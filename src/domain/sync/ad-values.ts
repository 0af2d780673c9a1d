/**
 * The values Entra Connect exports for an AD user, before the service adjusts them: its inbound
 * sync rules fill what AD leaves empty. The prediction and the sandbox's sync runner both read
 * them from here, so what is predicted is exactly what gets written.
 */
import { primarySmtp } from '../cloud.ts';
import type { OnPremUser } from '../onprem-user.ts';

/**
 * The UPN exported: AD's, else `<sAMAccountName>@<domain FQDN>` (the "In from AD - User Common"
 * rule does the same when userPrincipalName is empty), the FQDN read from the DN's DC parts.
 */
export function exportedUserPrincipalName(onPrem: OnPremUser): string {
  if (onPrem.userPrincipalName) return onPrem.userPrincipalName;
  return `${onPrem.samAccountName}@${dnsDomainOfDn(onPrem.dn)}`;
}

/** AD's proxyAddresses; a user with only `mail` gets that as its primary SMTP address, as Entra gives it. */
export function exportedProxyAddresses(onPrem: OnPremUser): string[] {
  if (onPrem.proxyAddresses.length > 0 || !onPrem.mail) return [...onPrem.proxyAddresses];
  return [`SMTP:${onPrem.mail}`];
}

/** The address soft match looks for: the primary SMTP address exported, or null when there is none. */
export function exportedPrimarySmtp(onPrem: OnPremUser): string | null {
  return primarySmtp(exportedProxyAddresses(onPrem));
}

/** displayName, else the object's cn (the sync rule's fallback), else sAMAccountName. */
export function exportedDisplayName(onPrem: OnPremUser): string {
  return onPrem.displayName || firstRdnValue(onPrem.dn) || onPrem.samAccountName;
}

/** `CN=x,OU=y,DC=contoso,DC=com` → `contoso.com` ('' when the DN has no DC parts). */
export function dnsDomainOfDn(dn: string): string {
  return splitDn(dn)
    .filter((rdn) => /^dc=/i.test(rdn))
    .map((rdn) => rdn.slice(3).toLowerCase())
    .join('.');
}

/** The value of the first RDN, unescaped (`CN=Doe\, John,OU=x` → `Doe, John`); '' when malformed. */
export function firstRdnValue(dn: string): string {
  const first = splitDn(dn)[0] ?? '';
  const eq = first.indexOf('=');
  return eq < 0 ? '' : unescapeRdnValue(first.slice(eq + 1));
}

/** RDNs of a DN, split on commas that are not escaped; values stay escaped. */
function splitDn(dn: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const ch = dn.charAt(i);
    if (ch === '\\' && i + 1 < dn.length) {
      current += ch + dn.charAt(i + 1);
      i++;
    } else if (ch === ',') {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** RFC 4514 unescaping: `\,` → `,`, `\c3\a9` → `é` (hex pairs are UTF-8 bytes). */
function unescapeRdnValue(value: string): string {
  const chars = [...value];
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    const next = chars[i + 1];
    const hex = `${next ?? ''}${chars[i + 2] ?? ''}`;
    if (ch === '\\' && /^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (ch === '\\' && next !== undefined) {
      bytes.push(...encoder.encode(next));
      i++;
    } else {
      bytes.push(...encoder.encode(ch));
    }
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}
