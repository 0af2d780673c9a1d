/**
 * Failure scenarios 6 to 10 of docs/domain.md, each as the tenant Entra Connect left behind.
 */
import type { Scenario, ScenarioMatch } from './types.ts';
import { IDS, immutableIdOf } from './values.ts';

/**
 * `match elocal` when soft match is blocked (the soft-match-blocked variant): the plan must set the
 * anchor. With Entra's defaults the next sync soft-matches her by itself (NONROUTABLE_MATCH below).
 */
export const ELOCAL_MATCH: ScenarioMatch = {
  who: 'elocal',
  samAccountName: 'elocal',
  findings: ['UPN_SUFFIX_UNVERIFIED', 'UPN_WILL_CHANGE'],
  steps: ['MANUAL', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
  end: 'joined',
  targetUserId: IDS.elocal,
  manual: [
    {
      mentions: ['elocal@contoso.local', 'elocal@contoso.com'],
      actions: [{ kind: 'set-ad-upn', samAccountName: 'elocal', userPrincipalName: 'elocal@contoso.com' }],
    },
  ],
};

export const nonRoutableSuffix: Scenario = {
  id: 'non-routable-suffix',
  domainScenario: 6,
  title: 'The AD UPN suffix is non-routable (.local)',
  story:
    "Emma Lindqvist's cloud account was created with the vanity domain (elocal@contoso.com), but her AD account " +
    'still has the UPN elocal@contoso.local from the original domain set-up. contoso.local can never be verified, ' +
    'so the next sync soft-matches her on her primary SMTP address and renames her cloud account to ' +
    'elocal@contoso.onmicrosoft.com: she could no longer sign in with the name she knows.',
  adUsers: ['elocal'],
  cloud: () => ({
    users: [
      {
        id: IDS.elocal,
        userPrincipalName: 'elocal@contoso.com',
        displayName: 'Emma Lindqvist',
        mail: 'emma.lindqvist@contoso.com',
        proxyAddresses: ['SMTP:emma.lindqvist@contoso.com', 'smtp:elocal@contoso.com'],
      },
    ],
  }),
  syncNow: { elocal: 'SOFT_MATCH' },
  // The next sync soft-matches her on her primary SMTP address anyway: fix the AD UPN, sync, verify.
  matches: [{ ...ELOCAL_MATCH, steps: ['MANUAL', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'] }],
};

const FRANK_OLD_DN = 'CN=Frank Sutton,OU=Users,DC=northwind,DC=local';
const FRANK_OLD_GUID = '3f8a61d2-9c47-4e0b-b5d3-0a6e27c4f915';

export const targetAlreadySynced: Scenario = {
  id: 'target-already-synced',
  domainScenario: 7,
  title: 'The target cloud user is already synced (mastered on-premises)',
  story:
    'Frank Sutton moved from Northwind to Contoso and got a new AD account. His cloud account fsynced@contoso.com is ' +
    'still joined to his old Northwind AD account, which Entra Connect keeps syncing. Graph refuses to set an ' +
    'ImmutableID on a synced user, and soft match on his new account fails (InvalidSoftMatch). Only a person can free ' +
    'the cloud account: take the old AD object out of scope, let the sync soft-delete the cloud user, restore it ' +
    '(cloud-only), then match again.',
  adUsers: ['fsynced'],
  cloud: (t) => ({
    users: [
      {
        id: IDS.fsynced,
        userPrincipalName: 'fsynced@contoso.com',
        displayName: 'Frank Sutton',
        mail: 'frank.sutton@contoso.com',
        proxyAddresses: ['SMTP:frank.sutton@contoso.com', 'smtp:fsynced@contoso.com'],
        // His old Northwind AD object (src/sandbox/fixtures/other-forests), which the same Entra Connect syncs.
        onPremisesImmutableId: immutableIdOf(FRANK_OLD_GUID),
        onPremisesObjectIdentifier: FRANK_OLD_GUID,
        onPremisesSyncEnabled: true,
        onPremisesLastSyncDateTime: t.lastSync,
        onPremisesDistinguishedName: FRANK_OLD_DN,
        onPremisesSamAccountName: 'fsutton',
        onPremisesUserPrincipalName: 'fsynced@contoso.com',
      },
    ],
  }),
  // The old forest's export stamped his old object's identifier (2026 hardening): a soft match onto him is a remap.
  syncNow: { fsynced: 'REMAP_BLOCKED' },
  matches: [
    {
      who: 'fsynced',
      samAccountName: 'fsynced',
      findings: ['OBJECT_IDENTIFIER_MAPPED', 'TARGET_IS_SYNCED'],
      steps: ['MANUAL', 'MANUAL', 'TRIGGER_DELTA_SYNC', 'MANUAL', 'MANUAL', 'MANUAL'],
      end: 'manual',
      targetUserId: IDS.fsynced,
      manual: [
        { mentions: [FRANK_OLD_DN, 'out of'], actions: [] },
        { mentions: ['fsynced', 'out of', 'as well'], actions: [] },
        { mentions: ['fsynced@contoso.com', 'restore'], actions: [] },
        { mentions: ['fsynced', 'back into'], actions: [] },
        { mentions: ['match fsynced to fsynced@contoso.com'], actions: [] },
      ],
    },
  ],
};

export const federatedUpn: Scenario = {
  id: 'federated-upn',
  domainScenario: 8,
  title: 'The cloud user has a UPN in a federated domain',
  story:
    "Grace Fielding's cloud account gfed@fabrikam.com was created for federated sign-in with an ImmutableID from the " +
    'old Fabrikam forest. Entra Connect now syncs her Contoso AD account, whose anchor is different: soft match fails ' +
    '(InvalidSoftMatch), and Graph refuses to change the ImmutableID of a user in a federated domain. The known ' +
    'workaround: rename her to @contoso.onmicrosoft.com, set the anchor, and let the sync write gfed@fabrikam.com back.',
  adUsers: ['gfed'],
  cloud: () => ({
    users: [
      {
        id: IDS.gfed,
        userPrincipalName: 'gfed@fabrikam.com',
        displayName: 'Grace Fielding',
        mail: 'grace.fielding@fabrikam.com',
        proxyAddresses: ['SMTP:grace.fielding@fabrikam.com', 'smtp:gfed@fabrikam.com'],
        onPremisesImmutableId: immutableIdOf('c94e02b7-18d5-4a3f-9e6c-75b1d80f2a46'),
      },
    ],
  }),
  syncNow: { gfed: 'INVALID_SOFT_MATCH' },
  matches: [
    {
      who: 'gfed',
      samAccountName: 'gfed',
      findings: ['FEDERATED_DOMAIN', 'TARGET_HAS_OTHER_ANCHOR'],
      steps: ['RENAME_UPN_TEMPORARILY', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
      end: 'joined',
      targetUserId: IDS.gfed,
      manual: [],
    },
  ],
};

export const adminRoleHolder: Scenario = {
  id: 'admin-role-holder',
  domainScenario: 9,
  title: 'The target cloud user holds an Entra admin role',
  story:
    'Hannah Adler runs Exchange Online; her cloud-only account hadmin@contoso.com holds the Exchange Administrator ' +
    'role. Entra never soft-matches role holders, and since MC1262584 it refuses hard matches onto them too, so her ' +
    'AD account (OU=Admins) fails to export on every sync. The role must come off for the match and go back after.',
  adUsers: ['hadmin'],
  cloud: () => ({
    users: [
      {
        id: IDS.hadmin,
        userPrincipalName: 'hadmin@contoso.com',
        displayName: 'Hannah Adler',
        mail: 'hannah.adler@contoso.com',
        proxyAddresses: ['SMTP:hannah.adler@contoso.com', 'smtp:hadmin@contoso.com'],
      },
    ],
    roles: [{ role: 'Exchange Administrator', members: [IDS.hadmin] }],
  }),
  syncNow: { hadmin: 'SOFT_MATCH_BLOCKED' },
  matches: [
    {
      who: 'hadmin',
      samAccountName: 'hadmin',
      findings: ['TARGET_HAS_ADMIN_ROLE'],
      steps: ['MANUAL', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED', 'MANUAL'],
      end: 'joined',
      targetUserId: IDS.hadmin,
      manual: [
        {
          mentions: ['Exchange Administrator', 'hadmin@contoso.com'],
          actions: [{ kind: 'remove-directory-roles', userId: IDS.hadmin, roles: ['Exchange Administrator'] }],
        },
        {
          mentions: ['Exchange Administrator', IDS.hadmin],
          actions: [{ kind: 'assign-directory-roles', userId: IDS.hadmin, roles: ['Exchange Administrator'] }],
        },
      ],
    },
  ],
};

/** The three users of OU=Migrated: each cloud account holds its Northwind objectGUID. */
const BULK = [
  { sam: 'ibulk1', id: IDS.ibulk1, name: 'Isaac Bell', mail: 'isaac.bell@contoso.com', old: 'e1a3c5b7-0d2f-4416-8a9c-b3d5f7091a21' },
  { sam: 'ibulk2', id: IDS.ibulk2, name: 'Ines Baker', mail: 'ines.baker@contoso.com', old: '40b7d2e9-5c1a-4f83-9d06-e2a4c8b61f35' },
  { sam: 'ibulk3', id: IDS.ibulk3, name: 'Ivo Brandt', mail: 'ivo.brandt@contoso.com', old: '9c05f1a8-73e4-4b2d-a6f9-14d8e0b3c762' },
] as const;

function bulkMatch(user: (typeof BULK)[number]): ScenarioMatch {
  return {
    who: user.sam,
    samAccountName: user.sam,
    findings: ['TARGET_HAS_OTHER_ANCHOR'],
    steps: ['SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
    end: 'joined',
    targetUserId: user.id,
    manual: [],
  };
}

export const bulkRelink: Scenario = {
  id: 'bulk-relink',
  domainScenario: 10,
  title: 'Bulk: a whole OU needs re-linking after a domain migration',
  story:
    'Isaac, Ines and Ivo were migrated from the Northwind domain into OU=Migrated with new AD accounts (new ' +
    'objectGUIDs, no ConsistencyGuid). Their cloud accounts still hold their Northwind anchors, so every one of them ' +
    'fails with InvalidSoftMatch; each needs its new anchor set, then one sync joins them all.',
  adUsers: BULK.map((u) => u.sam),
  cloud: () => ({
    users: BULK.map((u) => ({
      id: u.id,
      userPrincipalName: `${u.sam}@contoso.com`,
      displayName: u.name,
      mail: u.mail,
      proxyAddresses: [`SMTP:${u.mail}`],
      onPremisesImmutableId: immutableIdOf(u.old),
    })),
  }),
  syncNow: Object.fromEntries(BULK.map((u) => [u.sam, 'INVALID_SOFT_MATCH'])),
  matches: BULK.map(bulkMatch),
};
