/**
 * The tenant and AD users the cloud-directory tests run against: one emulator seed where each
 * look-up kind has exactly one user to find (and decoys it must not find), and AD users built with
 * the domain's own anchor helpers so their ImmutableIDs are real.
 */
import { anchorFromBytes, toGuid, toImmutableId, parseAnchor } from '../../src/domain/anchors.ts';
import { effectiveAnchor } from '../../src/domain/effective-anchor.ts';
import type { OnPremUser } from '../../src/domain/onprem-user.ts';
import type { SeedInput } from '../../src/sandbox/emulator/seed.ts';
import { CONTOSO_DOMAINS, CONTOSO_TENANT, UNVERIFIED_CONTOSO_NET } from '../support/contoso-seed.ts';

export const C = {
  jane: '1f0e2d3c-4b5a-4968-8776-655443322110',
  janeSynced: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  alias: '3c2d4e5f-6071-4823-9a4b-5c6d7e8f9012',
  mailOnly: '4d3e5f60-7182-4934-8b5c-6d7e8f901223',
  hostile: '5e4f6071-8293-4a45-9c6d-7e8f90122334',
  decoy: '6f507182-93a4-4b56-8d7e-8f9012233445',
  smithDeleted: '70618293-a4b5-4c67-9e8f-901223344556',
  smithOld: '8172a3b4-b5c6-4d78-8f90-122334455667',
  zoe: '9283b4c5-c6d7-4e89-9001-233445566778',
  fed: 'a394c5d6-d7e8-4f9a-8112-344556677889',
  target: 'b4a5d6e7-e8f9-4a0b-9223-45566778899a',
  goneDeleted: 'c5b6e7f8-f90a-4b1c-8334-566778899aab',
  helpdesk: 'd6c7f809-0a1b-4c2d-9445-6778899aabbc',
  globalAdmin: 'e7d8091a-1b2c-4d3e-8556-778899aabbcc',
  userAdmin: 'f8e91a2b-2c3d-4e4f-9667-8899aabbccdd',
  sync: '5e8f3a21-6b7c-4d9e-8f01-2a3b4c5d6e7f',
} as const;

export const JDOE_GUID = '04e278dc-0512-4dc7-ab22-156d99c343ca';
export const ASMITH_OBJECT_GUID = 'b2b3fc4f-dfc7-4975-9039-2b9c42b2441f';
export const ASMITH_CONSISTENCY_GUID = '89246b27-4e85-426d-a685-b1421ff9c7df';
export const NOBODY_GUID = '5a814d91-b7d4-4f97-b831-8ddb286b7f8e';

/** An anchor whose ImmutableID is full of `+` and `/`: `++++////AQIDBAUGBwgJCg==`. */
export const HOSTILE_ANCHOR = anchorFromBytes(Uint8Array.from([0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
export const HOSTILE_IMMUTABLE_ID = toImmutableId(HOSTILE_ANCHOR);
/** What the server would read if the `+` were sent unencoded (a bare `+` is a space). */
export const DECOY_IMMUTABLE_ID = HOSTILE_IMMUTABLE_ID.replaceAll('+', ' ');
export const HOSTILE_MAIL = "o'brien&co#1%x+y/z@contoso.com";
export const DECOY_MAIL = "o'brien&co#1%x y/z@contoso.com";
export const ZOE_MAIL = 'zoë.ødegård@contoso.com';

export const immutableIdOf = (guid: string): string => toImmutableId(parseAnchor(guid));
/** Held by a deleted cloud-only user: setting it anywhere is an ObjectConflict until the purge. */
export const GONE_IMMUTABLE_ID = immutableIdOf('bc08b5f3-f4b7-46c9-9ce4-cbed6702fe36');

export function cloudSeed(): SeedInput {
  return {
    tenant: CONTOSO_TENANT,
    domains: [...CONTOSO_DOMAINS, UNVERIFIED_CONTOSO_NET],
    onPremisesSynchronization: {
      id: C.sync,
      features: { blockSoftMatchEnabled: true, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: false },
    },
    users: [
      {
        id: C.jane,
        userPrincipalName: 'jdoe@contoso.com',
        displayName: 'Jane Doe',
        mail: 'jdoe@contoso.com',
        proxyAddresses: ['SMTP:jdoe@contoso.com'],
      },
      {
        id: C.janeSynced,
        userPrincipalName: 'jdoe1234@contoso.onmicrosoft.com',
        displayName: 'Jane Doe',
        onPremisesImmutableId: immutableIdOf(JDOE_GUID),
        onPremisesSyncEnabled: true,
        onPremisesLastSyncDateTime: '2026-03-02T08:30:00Z',
        onPremisesDistinguishedName: 'CN=Jane Doe,OU=Staff,DC=contoso,DC=com',
        onPremisesSamAccountName: 'jdoe',
        onPremisesUserPrincipalName: 'jdoe@contoso.com',
        onPremisesProvisioningErrors: [
          {
            category: 'PropertyConflict',
            occurredDateTime: '2026-03-02T08:30:00Z',
            propertyCausingError: 'UserPrincipalName',
            value: 'jdoe@contoso.com',
          },
        ],
      },
      {
        id: C.alias,
        userPrincipalName: 'jalias@contoso.com',
        displayName: 'J Alias',
        proxyAddresses: ['SMTP:jalias@contoso.com', 'smtp:j.doe@contoso.com'],
      },
      { id: C.mailOnly, userPrincipalName: 'mailonly@contoso.com', displayName: 'Mail Only', mail: 'team-jdoe@contoso.com' },
      {
        id: C.hostile,
        userPrincipalName: "o'brien@contoso.com",
        displayName: "Pat O'Brien",
        mail: HOSTILE_MAIL,
        proxyAddresses: [`SMTP:${HOSTILE_MAIL}`],
        onPremisesImmutableId: HOSTILE_IMMUTABLE_ID,
      },
      {
        id: C.decoy,
        userPrincipalName: 'decoy@contoso.com',
        displayName: 'Decoy',
        proxyAddresses: [`SMTP:${DECOY_MAIL}`],
        onPremisesImmutableId: DECOY_IMMUTABLE_ID,
      },
      {
        id: C.smithDeleted,
        userPrincipalName: 'asmith@contoso.com',
        displayName: 'Adam Smith (old)',
        onPremisesImmutableId: immutableIdOf(ASMITH_CONSISTENCY_GUID),
        onPremisesSyncEnabled: true,
        deletedDateTime: '2026-02-21T09:15:00Z',
      },
      {
        id: C.smithOld,
        userPrincipalName: 'adam.smith@contoso.com',
        displayName: 'Adam Smith',
        onPremisesImmutableId: immutableIdOf(ASMITH_OBJECT_GUID),
      },
      { id: C.zoe, userPrincipalName: 'zoe@contoso.com', displayName: 'Zoë Ødegård', proxyAddresses: [`SMTP:${ZOE_MAIL}`] },
      { id: C.fed, userPrincipalName: 'fed@fabrikam.com', displayName: 'Federated User' },
      { id: C.target, userPrincipalName: 'target@contoso.com', displayName: 'Target User' },
      {
        id: C.goneDeleted,
        userPrincipalName: 'gone@contoso.com',
        displayName: 'Gone',
        onPremisesImmutableId: GONE_IMMUTABLE_ID,
        deletedDateTime: '2026-02-25T10:00:00Z',
      },
    ],
    groups: [
      {
        id: C.helpdesk,
        displayName: 'Helpdesk',
        mail: 'helpdesk@contoso.com',
        mailEnabled: true,
        securityEnabled: false,
        proxyAddresses: ['SMTP:helpdesk@contoso.com'],
      },
    ],
    directoryRoles: [
      { id: C.globalAdmin, displayName: 'Global Administrator', roleTemplateId: '62e90394-69f5-4237-9190-012177145e10', members: [C.jane] },
      {
        id: C.userAdmin,
        displayName: 'User Administrator',
        roleTemplateId: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
        members: [C.jane, C.smithOld],
      },
    ],
  };
}

export interface AdUserInput {
  sam: string;
  objectGuid: string;
  consistencyGuid?: string | null;
  upn?: string | null;
  mail?: string | null;
  proxyAddresses?: string[];
}

export function adUser(input: AdUserInput): OnPremUser {
  const consistencyGuid = input.consistencyGuid ?? null;
  return {
    dn: `CN=${input.sam},OU=Staff,DC=contoso,DC=com`,
    samAccountName: input.sam,
    userPrincipalName: input.upn ?? null,
    mail: input.mail ?? null,
    proxyAddresses: input.proxyAddresses ?? [],
    displayName: input.sam,
    enabled: true,
    objectGuid: input.objectGuid,
    consistencyGuid,
    whenChanged: '2026-03-01T00:00:00Z',
    anchor: effectiveAnchor('auto', input.objectGuid, consistencyGuid),
  };
}

export const AD = {
  jdoe: adUser({
    sam: 'jdoe',
    objectGuid: JDOE_GUID,
    upn: 'jdoe@contoso.com',
    mail: 'jdoe@contoso.com',
    proxyAddresses: [
      'SMTP:jdoe@contoso.com',
      'smtp:j.doe@contoso.com',
      'smtp:team-jdoe@contoso.com',
      'smtp:helpdesk@contoso.com',
      'X500:/o=Contoso/cn=jdoe',
    ],
  }),
  asmith: adUser({ sam: 'asmith', objectGuid: ASMITH_OBJECT_GUID, consistencyGuid: ASMITH_CONSISTENCY_GUID, upn: 'asmith@contoso.com' }),
  nobody: adUser({ sam: 'nobody', objectGuid: NOBODY_GUID, upn: 'nobody@contoso.com', proxyAddresses: ['SMTP:nobody@contoso.com'] }),
  hostile: adUser({
    sam: 'obrien',
    objectGuid: toGuid(HOSTILE_ANCHOR),
    upn: "o'brien@contoso.com",
    mail: HOSTILE_MAIL,
    proxyAddresses: [`SMTP:${HOSTILE_MAIL}`],
  }),
  zoe: adUser({
    sam: 'zoe.odegard',
    objectGuid: '6ae7df86-03d9-459a-8acf-0af05daa2212',
    upn: 'zoe.odegard@contoso.com',
    proxyAddresses: [`SMTP:${ZOE_MAIL}`],
  }),
  /** Eight unmatched addresses: 2 anchor look-ups + UPN + 8 × 3 = 27 look-ups, two `$batch` chunks. */
  bulk: adUser({
    sam: 'bulk',
    objectGuid: 'd1b718e3-957d-4c64-a0d7-a137bbb799b7',
    upn: 'bulk@contoso.com',
    proxyAddresses: Array.from({ length: 8 }, (_, i) => `${i === 0 ? 'SMTP' : 'smtp'}:bulk${i}@contoso.com`),
  }),
};
