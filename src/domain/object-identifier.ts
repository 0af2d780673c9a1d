/**
 * `onPremisesObjectIdentifier` (beta), the on-premises object a cloud user is mapped to since the
 * July 2026 hard-match hardening (docs/domain.md): set by the sync on join or create, cleared only
 * through `PATCH /beta/users/{id}` with null. The value is the AD object's objectGUID; compared here
 * in any of the anchor forms Graph or an admin might show (GUID text, braces, base64, hex), so a
 * difference in spelling is never mistaken for another object.
 */
import { anchorsEqual, tryParseAnchor } from './anchors.ts';
import type { CloudUser } from './cloud.ts';
import type { OnPremUser } from './onprem-user.ts';

/** Microsoft's words for the refused export (Entra Connect sync error reference). */
export const REMAP_BLOCKED_TEXT = 'Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.';

/** The user's mapping, or null when it has none. */
export function objectIdentifierOf(user: CloudUser): string | null {
  const value = user.onPremisesObjectIdentifier ?? null;
  return value === null || value.trim() === '' ? null : value.trim();
}

/** True when the value names this AD object (its objectGUID). */
export function namesObject(identifier: string, onPrem: OnPremUser): boolean {
  const mapped = tryParseAnchor(identifier);
  const own = tryParseAnchor(onPrem.objectGuid);
  if (mapped && own) return anchorsEqual(mapped, own);
  return identifier.toLowerCase() === onPrem.objectGuid.toLowerCase();
}

/** True when the user is mapped to an on-premises object other than this AD user: the next sync onto it is refused. */
export function mappedToOtherObject(user: CloudUser, onPrem: OnPremUser): boolean {
  const identifier = objectIdentifierOf(user);
  return identifier !== null && !namesObject(identifier, onPrem);
}
