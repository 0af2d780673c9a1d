import { parseAnchor, toGuid, toImmutableId } from './anchors.ts';
import type { AnchorAttribute, OnPremUser, SourceAnchorSetting } from './onprem-user.ts';

/**
 * Which attribute Entra Connect joins on. `auto` follows the default of current installs:
 * ConsistencyGuid when it is set, else objectGUID. A fixed setting is obeyed even when the
 * attribute it names is empty (then objectGUID is what a new ConsistencyGuid would be copied from).
 */
export function effectiveAnchor(setting: SourceAnchorSetting, objectGuid: string, consistencyGuid: string | null): OnPremUser['anchor'] {
  const attribute: AnchorAttribute = setting === 'objectGUID' ? 'objectGUID' : consistencyGuid ? 'mS-DS-ConsistencyGuid' : 'objectGUID';
  const anchor = parseAnchor(attribute === 'objectGUID' ? objectGuid : (consistencyGuid ?? objectGuid));
  return { attribute, guid: toGuid(anchor), immutableId: toImmutableId(anchor) };
}
