/**
 * Failure scenarios 1 to 5 of docs/domain.md, each as the tenant Entra Connect left behind (so a
 * delta sync with nothing fixed changes nothing but export errors and refresh times).
 */
import type { Scenario } from './types.ts';
import { AD_ANCHOR, IDS, OU, immutableIdOf } from './values.ts';

const JOHN_DN = `CN=John Doe,${OU.staff}`;

export const duplicateAfterSync: Scenario = {
  id: 'duplicate-after-sync',
  domainScenario: 1,
  title: 'Cloud user created before sync; sync made a second, synced user',
  story:
    "John Doe's mailbox was created in the cloud (jdoe@contoso.com) before Entra Connect was installed. The first " +
    'sync of OU=Staff ran while soft match was blocked in the tenant, so instead of matching it created a second, ' +
    'synced user: his UPN and addresses were taken, so Entra gave it jdoe+4821@contoso.onmicrosoft.com and ' +
    'quarantined the addresses (onPremisesProvisioningErrors). John now has two accounts; the synced one holds his anchor.',
  adUsers: ['jdoe'],
  cloud: (t) => ({
    users: [
      {
        id: IDS.jdoe,
        userPrincipalName: 'jdoe@contoso.com',
        displayName: 'John Doe',
        mail: 'john.doe@contoso.com',
        proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'],
        createdDateTime: t.daysAgo(730),
      },
      {
        id: IDS.jdoeDuplicate,
        userPrincipalName: 'jdoe+4821@contoso.onmicrosoft.com',
        displayName: 'John Doe',
        mail: null,
        proxyAddresses: ['smtp:jdoe@contoso.mail.onmicrosoft.com'],
        onPremisesImmutableId: AD_ANCHOR.jdoe,
        // Created by that first sync, which recorded its conflicts at the same moment.
        createdDateTime: t.daysAgo(41),
        onPremisesSyncEnabled: true,
        onPremisesLastSyncDateTime: t.lastSync,
        onPremisesDistinguishedName: JOHN_DN,
        onPremisesSamAccountName: 'jdoe',
        onPremisesUserPrincipalName: 'jdoe@contoso.com',
        onPremisesProvisioningErrors: [
          {
            category: 'PropertyConflict',
            occurredDateTime: t.daysAgo(41),
            propertyCausingError: 'UserPrincipalName',
            value: 'jdoe@contoso.com',
          },
          {
            category: 'PropertyConflict',
            occurredDateTime: t.daysAgo(41),
            propertyCausingError: 'ProxyAddress',
            value: 'SMTP:john.doe@contoso.com',
          },
          {
            category: 'PropertyConflict',
            occurredDateTime: t.daysAgo(41),
            propertyCausingError: 'ProxyAddress',
            value: 'smtp:jdoe@contoso.com',
          },
        ],
      },
    ],
  }),
  syncNow: { jdoe: 'UPDATE' },
  matches: [
    {
      who: 'jdoe',
      samAccountName: 'jdoe',
      findings: ['ANCHOR_HELD_BY_OTHER_USER', 'PROVISIONING_ERRORS', 'SMTP_CONFLICT', 'UPN_CONFLICT'],
      steps: ['MANUAL', 'TRIGGER_DELTA_SYNC', 'PURGE_DELETED_USER', 'SET_ANCHOR', 'MANUAL', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
      end: 'joined',
      targetUserId: IDS.jdoe,
      manual: [
        { mentions: [JOHN_DN, 'out of'], actions: [{ kind: 'move-ad-object', samAccountName: 'jdoe', toOu: OU.notSynced }] },
        { mentions: [JOHN_DN, 'back'], actions: [{ kind: 'move-ad-object', samAccountName: 'jdoe', toOu: OU.staff }] },
      ],
    },
  ],
};

export const anchorInRecycleBin: Scenario = {
  id: 'anchor-in-recycle-bin',
  domainScenario: 2,
  title: 'The anchor is held by a soft-deleted user',
  story:
    "A helpdesk technician tried to fix Alice Smith's match last month: they created a second cloud account for her " +
    '(asmith2@contoso.com), set her ImmutableID on it, noticed the mistake and deleted it. The deleted account sits ' +
    "in the recycle bin for 30 days still holding her anchor, so Entra Connect's export fails with ObjectConflict " +
    'and setting the anchor on her real account (asmith@contoso.com) fails the same way until it is purged.',
  adUsers: ['asmith'],
  cloud: (t) => ({
    users: [
      {
        id: IDS.asmith,
        userPrincipalName: 'asmith@contoso.com',
        displayName: 'Alice Smith',
        mail: 'alice.smith@contoso.com',
        proxyAddresses: ['SMTP:alice.smith@contoso.com', 'smtp:asmith@contoso.com'],
      },
      {
        id: IDS.asmithDeleted,
        userPrincipalName: 'asmith2@contoso.com',
        displayName: 'Alice Smith',
        onPremisesImmutableId: AD_ANCHOR.asmith,
        deletedDateTime: t.daysAgo(9),
      },
    ],
  }),
  syncNow: { asmith: 'ANCHOR_CONFLICT' },
  matches: [
    {
      who: 'asmith',
      samAccountName: 'asmith',
      findings: ['ANCHOR_HELD_BY_DELETED_USER'],
      steps: ['PURGE_DELETED_USER', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
      end: 'joined',
      targetUserId: IDS.asmith,
      manual: [],
    },
  ],
};

const FRONT_DESK_DN = 'CN=Front Desk,OU=Resources,DC=northwind,DC=local';

export const smtpOnOtherObject: Scenario = {
  id: 'smtp-on-other-object',
  domainScenario: 3,
  title: 'The primary SMTP address is already on another cloud object',
  story:
    'While Bruce Wayne was on leave, his address bruce.wayne@contoso.com was added as an alias to the Northwind front ' +
    'desk account, which Entra Connect syncs from the second forest (northwind.local). Soft match on his primary SMTP ' +
    'address now finds that object, which holds another anchor: InvalidSoftMatch on every sync, and his own cloud ' +
    'account bwayne@contoso.com is never matched.',
  adUsers: ['bwayne'],
  cloud: (t) => ({
    users: [
      {
        id: IDS.bwayne,
        userPrincipalName: 'bwayne@contoso.com',
        displayName: 'Bruce Wayne',
        mail: 'bwayne@contoso.com',
        proxyAddresses: ['SMTP:bwayne@contoso.com'],
      },
      {
        id: IDS.frontDesk,
        userPrincipalName: 'frontdesk@contoso.com',
        displayName: 'Front Desk (Northwind)',
        mail: 'frontdesk@contoso.com',
        proxyAddresses: ['SMTP:frontdesk@contoso.com', 'smtp:bruce.wayne@contoso.com'],
        onPremisesImmutableId: immutableIdOf('7d2c5e11-3b9a-4f60-8e21-5c4b3a291807'),
        onPremisesSyncEnabled: true,
        onPremisesLastSyncDateTime: t.lastSync,
        onPremisesDistinguishedName: FRONT_DESK_DN,
        onPremisesSamAccountName: 'frontdesk',
        onPremisesUserPrincipalName: 'frontdesk@contoso.com',
      },
    ],
  }),
  syncNow: { bwayne: 'INVALID_SOFT_MATCH' },
  matches: [
    {
      who: 'bwayne',
      samAccountName: 'bwayne',
      findings: ['SMTP_CONFLICT'],
      steps: ['MANUAL', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
      end: 'joined',
      targetUserId: IDS.bwayne,
      manual: [
        {
          mentions: ['bruce.wayne@contoso.com', 'frontdesk@contoso.com', FRONT_DESK_DN],
          actions: [{ kind: 'remove-address-from-other-forest-object', userId: IDS.frontDesk, address: 'smtp:bruce.wayne@contoso.com' }],
        },
      ],
    },
  ],
};

export const oldImmutableId: Scenario = {
  id: 'old-immutable-id',
  domainScenario: 4,
  title: 'The cloud user already carries an old ImmutableID',
  story:
    'Carla Mendes was migrated from the Northwind forest with ADMT, which kept her Northwind objectGUID in ' +
    'mS-DS-ConsistencyGuid: that is the anchor Entra Connect uses. Before the migration was finished, a technician ' +
    'hard-matched her cloud account by hand with her new objectGUID (from ldifde), so the cloud holds the wrong one ' +
    'of her two anchors and every sync ends in InvalidSoftMatch.',
  adUsers: ['cmigrated'],
  cloud: () => ({
    users: [
      {
        id: IDS.cmigrated,
        userPrincipalName: 'cmigrated@contoso.com',
        displayName: 'Carla Mendes',
        mail: 'carla.mendes@contoso.com',
        proxyAddresses: ['SMTP:carla.mendes@contoso.com', 'smtp:cmigrated@contoso.com'],
        // Her objectGUID 6ae7df86-03d9-459a-8acf-0af05daa2212, not the effective anchor.
        onPremisesImmutableId: immutableIdOf('6ae7df86-03d9-459a-8acf-0af05daa2212'),
      },
    ],
  }),
  syncNow: { cmigrated: 'INVALID_SOFT_MATCH' },
  matches: [
    {
      who: 'cmigrated',
      samAccountName: 'cmigrated',
      findings: ['TARGET_HAS_OTHER_ANCHOR', 'CONSISTENCY_GUID_DIFFERS'],
      steps: ['SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
      end: 'joined',
      targetUserId: IDS.cmigrated,
      manual: [],
    },
  ],
};

const DIEGO_DN = `CN=Diego Scott,${OU.notSynced}`;

export const outOfSyncScope: Scenario = {
  id: 'out-of-sync-scope',
  domainScenario: 5,
  title: 'The anchor is set, but the user still shows "In cloud"',
  story:
    "An admin followed a blog post and set Diego Scott's ImmutableID on his cloud account correctly, then waited. " +
    'Nothing happens because his AD account sits in OU=Not Synced, which Entra Connect does not synchronise: the ' +
    'cloud user stays cloud-only until the AD object is in scope and a sync runs.',
  adUsers: ['dscope'],
  cloud: () => ({
    users: [
      {
        id: IDS.dscope,
        userPrincipalName: 'dscope@contoso.com',
        displayName: 'Diego Scott',
        mail: 'diego.scott@contoso.com',
        proxyAddresses: ['SMTP:diego.scott@contoso.com', 'smtp:dscope@contoso.com'],
        onPremisesImmutableId: AD_ANCHOR.dscope,
      },
    ],
  }),
  syncNow: { dscope: 'NOTHING' },
  matches: [
    {
      who: 'dscope',
      samAccountName: 'dscope',
      findings: ['ANCHOR_SET_NOT_SYNCED'],
      steps: ['MANUAL', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
      end: 'joined',
      targetUserId: IDS.dscope,
      manual: [{ mentions: [DIEGO_DN, 'sync scope'], actions: [{ kind: 'move-ad-object', samAccountName: 'dscope', toOu: OU.staff }] }],
    },
  ],
};
