/**
 * Both anchors of an AD user as ImmutableIDs: the effective one, and the other attribute's when it
 * is set and differs (a ConsistencyGuid carried over from an old forest). The guid and match cards
 * show both, and the guid command asks the cloud who holds each.
 */
import { parseAnchor, toImmutableId } from '../domain/anchors.ts';
import type { AnchorAttribute, OnPremUser } from '../domain/onprem-user.ts';

export interface UserAnchor {
  attribute: AnchorAttribute;
  immutableId: string;
  /** The one Entra Connect joins on. */
  effective: boolean;
}

/** The effective anchor first, then the other one when it exists and differs. */
export function userAnchors(user: OnPremUser): UserAnchor[] {
  const out: UserAnchor[] = [{ attribute: user.anchor.attribute, immutableId: user.anchor.immutableId, effective: true }];
  const attribute: AnchorAttribute = user.anchor.attribute === 'objectGUID' ? 'mS-DS-ConsistencyGuid' : 'objectGUID';
  const guid = attribute === 'objectGUID' ? user.objectGuid : user.consistencyGuid;
  if (!guid || guid.toLowerCase() === user.anchor.guid.toLowerCase()) return out;
  const anchor = tryImmutableId(guid);
  if (anchor) out.push({ attribute, immutableId: anchor, effective: false });
  return out;
}

function tryImmutableId(guid: string): string | undefined {
  try {
    return toImmutableId(parseAnchor(guid));
  } catch {
    // The relay validates GUIDs; a malformed one is simply not shown rather than breaking the card.
    return undefined;
  }
}
