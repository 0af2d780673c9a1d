/**
 * The failure scenarios of docs/domain.md as diagnosis inputs, built like the sandbox users
 * (src/sandbox/fixtures/directory/README.md) with a small tenant around each. Shared by the
 * scenario, finding and prediction tests.
 */
import type { CloudUser } from '../../../src/domain/cloud.ts';
import type { DiagnoseInput } from '../../../src/domain/diagnosis/index.ts';
import {
  adUser,
  CMIGRATED_CG,
  CMIGRATED_GUID,
  CMIGRATED_GUID_ANCHOR,
  cloudUser,
  deleted,
  evidence,
  group,
  IDS,
  JDOE_ANCHOR,
  OTHER_ANCHOR,
  THIRD_ANCHOR,
  syncedUser,
  tenant,
} from './builders.ts';

const jdoe = adUser();

/** The person's cloud-only account: jdoe@contoso.com with jdoe's addresses. */
export function original(over: Partial<CloudUser> = {}): CloudUser {
  return cloudUser({
    id: IDS.original,
    userPrincipalName: 'jdoe@contoso.com',
    mail: 'jdoe@contoso.com',
    proxyAddresses: ['SMTP:jdoe@contoso.com'],
    ...over,
  });
}

/** 1: sync created a synced duplicate with a placeholder UPN instead of matching. */
export function duplicateAfterSync(): DiagnoseInput {
  const duplicate = syncedUser({
    id: IDS.duplicate,
    userPrincipalName: 'jdoe+4821@contoso.onmicrosoft.com',
    immutableId: JDOE_ANCHOR,
    dn: jdoe.dn,
    // Created by the first sync, which recorded its conflicts in the same export.
    createdDateTime: '2026-03-01T10:00:00Z',
    provisioningErrors: [
      { category: 'PropertyConflict', property: 'UserPrincipalName', value: 'jdoe@contoso.com', occurredDateTime: '2026-03-01T10:00:00Z' },
      { category: 'PropertyConflict', property: 'ProxyAddress', value: 'SMTP:jdoe@contoso.com', occurredDateTime: '2026-03-01T10:00:00Z' },
    ],
  });
  const older = original({ createdDateTime: '2024-05-14T09:00:00Z' });
  return {
    who: 'jdoe',
    onPrem: jdoe,
    evidence: evidence({
      candidates: [
        [older, 'upn', 'primarySmtp'],
        [duplicate, 'anchor'],
      ],
    }),
  };
}

/** 2: the anchor is held by a soft-deleted user (cloud-only by default). */
export function anchorInRecycleBin(holderSynced = false): DiagnoseInput {
  const old = deleted(
    holderSynced
      ? syncedUser({
          id: IDS.deleted,
          userPrincipalName: 'john.doe.old@contoso.com',
          immutableId: JDOE_ANCHOR,
          dn: 'CN=jdoe,OU=Old,DC=contoso,DC=com',
        })
      : cloudUser({ id: IDS.deleted, userPrincipalName: 'john.doe.old@contoso.com', immutableId: JDOE_ANCHOR }),
  );
  return {
    who: 'jdoe',
    onPrem: jdoe,
    evidence: evidence({
      candidates: [
        [original(), 'upn', 'primarySmtp'],
        [old, 'anchor'],
      ],
    }),
  };
}

/** 3: the primary SMTP address is on a mail-enabled group; the person's account holds only the UPN. */
export function smtpOnGroup(): DiagnoseInput {
  const person = cloudUser({ id: IDS.original, userPrincipalName: 'jdoe@contoso.com' });
  const fans = group({ id: IDS.group, displayName: 'Doe fans', mail: 'jdoe@contoso.com', proxyAddresses: ['SMTP:jdoe@contoso.com'] });
  return { who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[person, 'upn']], otherObjects: [fans] }) };
}

/** 3: the primary SMTP address is on another synced user (joined to another AD object). */
export function smtpOnSyncedUser(): DiagnoseInput {
  const person = cloudUser({ id: IDS.original, userPrincipalName: 'jdoe@contoso.com' });
  const other = syncedUser({
    id: IDS.other,
    userPrincipalName: 'jane.doe@contoso.com',
    immutableId: OTHER_ANCHOR,
    dn: 'CN=Jane Doe,OU=Staff,DC=contoso,DC=com',
    proxyAddresses: ['SMTP:jane.doe@contoso.com', 'smtp:jdoe@contoso.com'],
  });
  return {
    who: 'jdoe',
    onPrem: jdoe,
    evidence: evidence({
      candidates: [
        [person, 'upn'],
        [other, 'primarySmtp'],
      ],
    }),
  };
}

/** 4: the cloud user carries an old ImmutableID (here: cmigrated's objectGUID, while ConsistencyGuid is effective). */
export function oldImmutableId(): DiagnoseInput {
  const onPrem = adUser({ samAccountName: 'cmigrated', objectGuid: CMIGRATED_GUID, consistencyGuid: CMIGRATED_CG });
  const carla = cloudUser({
    id: IDS.original,
    userPrincipalName: 'cmigrated@contoso.com',
    mail: 'cmigrated@contoso.com',
    proxyAddresses: ['SMTP:cmigrated@contoso.com'],
    immutableId: CMIGRATED_GUID_ANCHOR,
  });
  return { who: 'cmigrated', onPrem, evidence: evidence({ candidates: [[carla, 'upn', 'primarySmtp', 'otherAnchor']] }) };
}

/** 5: the anchor is already on the cloud-only user, but the AD object was never exported. */
export function outOfSyncScope(): DiagnoseInput {
  const onPrem = adUser({ dn: 'CN=jdoe,OU=Not Synced,DC=contoso,DC=com' });
  return {
    who: 'jdoe',
    onPrem,
    evidence: evidence({ candidates: [[original({ immutableId: JDOE_ANCHOR }), 'anchor', 'upn', 'primarySmtp']] }),
  };
}

/** 6: the AD UPN has a non-routable suffix. */
export function nonRoutableSuffix(): DiagnoseInput {
  const onPrem = adUser({ userPrincipalName: 'jdoe@contoso.local' });
  return { who: 'jdoe', onPrem, evidence: evidence({ candidates: [[original(), 'primarySmtp']] }) };
}

/** 7: the person's cloud user is already synced, joined to another AD object. */
export function targetAlreadySynced(): DiagnoseInput {
  const synced = syncedUser({
    id: IDS.original,
    userPrincipalName: 'jdoe@contoso.com',
    immutableId: OTHER_ANCHOR,
    dn: 'CN=John Doe,OU=Users,DC=fabrikam,DC=local',
    mail: 'jdoe@contoso.com',
    proxyAddresses: ['SMTP:jdoe@contoso.com'],
  });
  return { who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[synced, 'upn', 'primarySmtp']] }) };
}

/** 8: the cloud user's UPN is in a federated domain. */
export function federatedUpn(): DiagnoseInput {
  const onPrem = adUser({ userPrincipalName: 'jdoe@fabrikam.com' });
  // It carries the old Fabrikam forest's anchor (as in the catalog), so the sync cannot soft-match it.
  const user = original({ userPrincipalName: 'jdoe@fabrikam.com', immutableId: THIRD_ANCHOR });
  return { who: 'jdoe', onPrem, evidence: evidence({ candidates: [[user, 'upn', 'primarySmtp']] }) };
}

/** 9: the cloud user holds admin roles; the tenant switches as given. */
export function adminRoleHolder(switches: Parameters<typeof tenant>[0] = {}): DiagnoseInput {
  const admin = original({ adminRoles: ['Global Administrator', 'Exchange Administrator'] });
  return { who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[admin, 'upn', 'primarySmtp']], tenant: tenant(switches) }) };
}

/** 10: one user of a migrated OU; the cloud user holds the old forest's anchor. */
export function bulkUser(sam: string, objectGuid: string, id: string): DiagnoseInput {
  const onPrem = adUser({ samAccountName: sam, objectGuid, dn: `CN=${sam},OU=Migrated,DC=contoso,DC=com` });
  const user = cloudUser({
    id,
    userPrincipalName: `${sam}@contoso.com`,
    proxyAddresses: [`SMTP:${sam}@contoso.com`],
    immutableId: OTHER_ANCHOR,
  });
  return { who: sam, onPrem, evidence: evidence({ candidates: [[user, 'upn', 'primarySmtp']] }) };
}

/** Control: joined and healthy. */
export function healthyMatch(enabled = true): DiagnoseInput {
  const joined = syncedUser({
    id: IDS.original,
    userPrincipalName: 'jdoe@contoso.com',
    immutableId: JDOE_ANCHOR,
    dn: jdoe.dn,
    proxyAddresses: ['SMTP:jdoe@contoso.com'],
  });
  return { who: 'jdoe', onPrem: adUser({ enabled }), evidence: evidence({ candidates: [[joined, 'anchor', 'upn', 'primarySmtp']] }) };
}

/** Control: nothing in the cloud. */
export function noCloudUser(): DiagnoseInput {
  return { who: 'jdoe', onPrem: jdoe, evidence: evidence() };
}
