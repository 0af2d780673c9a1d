/**
 * What Entra Connect exports for an AD user, in the shape EmulatorState's sync writers take. The
 * values come from the same helpers the prediction uses (src/domain/sync/ad-values.ts); the
 * emulator then applies the service's adjustments (suffix, duplicates) itself.
 */
import type { OnPremUser } from '../../domain/onprem-user.ts';
import { exportedDisplayName, exportedProxyAddresses, exportedUserPrincipalName } from '../../domain/sync/ad-values.ts';
import type { SyncedUserAttributes } from '../emulator/index.ts';

export function syncedAttributesOf(onPrem: OnPremUser): SyncedUserAttributes {
  return {
    onPremisesImmutableId: onPrem.anchor.immutableId,
    userPrincipalName: exportedUserPrincipalName(onPrem),
    displayName: exportedDisplayName(onPrem),
    mail: onPrem.mail,
    proxyAddresses: exportedProxyAddresses(onPrem),
    accountEnabled: onPrem.enabled,
    onPremisesDistinguishedName: onPrem.dn,
    onPremisesSamAccountName: onPrem.samAccountName,
    // The identifier Entra stamps on the join (2026 hardening): the AD object's objectGUID.
    onPremisesObjectIdentifier: onPrem.objectGuid,
  };
}
