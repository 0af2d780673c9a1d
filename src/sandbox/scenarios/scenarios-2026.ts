/**
 * The 2026 rules as scenarios (docs/domain.md, "How Entra Connect matches"): a restored cloud user
 * still mapped to the AD object that was deleted, a forest migration whose cloud user carries the
 * old forest's mapping, a target only PIM-eligible for a privileged role, and a target whose source
 * of authority was moved to the cloud. Each as the tenant looks after the sync refused it.
 */
import type { Scenario } from './types.ts';
import { AD_ANCHOR, IDS, OU, immutableIdOf } from './values.ts';

/** Nora's AD account before it was deleted by mistake; her re-created account has a new objectGUID. */
const NORA_OLD_OBJECT = '1d9f6e3b-8a42-4c57-b0e1-6f2a9d84c317';
const NORA_DN = `CN=Nora Reyes,${OU.staff}`;

export const recreatedAdUser: Scenario = {
  id: 'recreated-ad-user',
  domainScenario: null,
  label: '2026',
  title: 'A user re-created in AD; the restored cloud user still maps to the old object',
  story:
    "Nora Reyes's AD account was deleted by mistake and re-created with the same name: a new objectGUID. The sync " +
    'soft-deleted her cloud account; the helpdesk restored it from the recycle bin, so it is cloud-only again but still ' +
    'holds her old ImmutableID and the onPremisesObjectIdentifier of the deleted object. Since July 2026 Entra refuses ' +
    'to map it to the new object ("Hard match operation blocked due to security hardening"): the mapping must be ' +
    'cleared and the new anchor set before the sync.',
  adUsers: ['nrecreated'],
  cloud: (t) => ({
    users: [
      {
        id: IDS.nrecreated,
        userPrincipalName: 'nrecreated@contoso.com',
        displayName: 'Nora Reyes',
        mail: 'nora.reyes@contoso.com',
        proxyAddresses: ['SMTP:nora.reyes@contoso.com', 'smtp:nrecreated@contoso.com'],
        onPremisesImmutableId: immutableIdOf(NORA_OLD_OBJECT),
        onPremisesObjectIdentifier: NORA_OLD_OBJECT,
        onPremisesLastSyncDateTime: t.daysAgo(6),
        onPremisesDistinguishedName: NORA_DN,
        onPremisesSamAccountName: 'nrecreated',
        onPremisesUserPrincipalName: 'nrecreated@contoso.com',
      },
    ],
  }),
  syncNow: { nrecreated: 'REMAP_BLOCKED' },
  matches: [
    {
      who: 'nrecreated',
      samAccountName: 'nrecreated',
      findings: ['TARGET_HAS_OTHER_ANCHOR', 'OBJECT_IDENTIFIER_MAPPED'],
      steps: ['SET_ANCHOR', 'CLEAR_OBJECT_IDENTIFIER', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
      end: 'joined',
      targetUserId: IDS.nrecreated,
      manual: [],
    },
  ],
};

/** Paul's objectGUID in the Northwind forest: his new account's mS-DS-ConsistencyGuid, and his cloud user's mapping. */
const PAUL_NORTHWIND_OBJECT = '5c0b93d6-2e7f-4a18-b9c4-07d6e1f82a35';
const PAUL_DN = `CN=Paul Martin,${OU.migrated}`;

export const forestMigrationMapping: Scenario = {
  id: 'forest-migration-mapping',
  domainScenario: null,
  label: '2026',
  title: "A domain-migration user whose cloud user carries the old forest's mapping",
  story:
    'Paul Martin was migrated from the Northwind forest with ADMT: a new account in OU=Migrated (new objectGUID) whose ' +
    'mS-DS-ConsistencyGuid keeps his Northwind objectGUID, so its anchor is the one his cloud account already holds. ' +
    'When the Northwind connector was removed his cloud account was restored cloud-only, still mapped ' +
    '(onPremisesObjectIdentifier) to the Northwind object. The anchors agree, but Entra refuses the re-map until the ' +
    'mapping is cleared.',
  adUsers: ['pmigrated'],
  cloud: (t) => ({
    users: [
      {
        id: IDS.pmigrated,
        userPrincipalName: 'pmigrated@contoso.com',
        displayName: 'Paul Martin',
        mail: 'paul.martin@contoso.com',
        proxyAddresses: ['SMTP:paul.martin@contoso.com', 'smtp:pmigrated@contoso.com'],
        onPremisesImmutableId: AD_ANCHOR.pmigrated,
        onPremisesObjectIdentifier: PAUL_NORTHWIND_OBJECT,
        onPremisesLastSyncDateTime: t.daysAgo(95),
        onPremisesDistinguishedName: 'CN=Paul Martin,OU=Users,DC=northwind,DC=local',
        onPremisesSamAccountName: 'pmartin',
        onPremisesUserPrincipalName: 'pmartin@northwind.local',
      },
    ],
  }),
  syncNow: { pmigrated: 'REMAP_BLOCKED' },
  matches: [
    {
      who: 'pmigrated',
      samAccountName: 'pmigrated',
      findings: ['ANCHOR_SET_NOT_SYNCED', 'CONSISTENCY_GUID_DIFFERS', 'OBJECT_IDENTIFIER_MAPPED'],
      steps: ['MANUAL', 'CLEAR_OBJECT_IDENTIFIER', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED'],
      end: 'joined',
      targetUserId: IDS.pmigrated,
      manual: [{ mentions: [PAUL_DN, 'in sync scope'], actions: [] }],
    },
  ],
};

export const pimEligibleTarget: Scenario = {
  id: 'pim-eligible-target',
  domainScenario: null,
  label: '2026',
  title: 'The target cloud user is only eligible (PIM) for a privileged role',
  story:
    "Quinn Ellis's cloud-only account qeligible@contoso.com holds no active role, but is eligible for User " +
    'Administrator through Privileged Identity Management. Since MC1262584 Entra treats an eligible user as a role ' +
    'holder: no soft match, no hard match (InvalidHardMatch). The eligibility must come off for the match and go back after.',
  adUsers: ['qeligible'],
  cloud: () => ({
    users: [
      {
        id: IDS.qeligible,
        userPrincipalName: 'qeligible@contoso.com',
        displayName: 'Quinn Ellis',
        mail: 'quinn.ellis@contoso.com',
        proxyAddresses: ['SMTP:quinn.ellis@contoso.com', 'smtp:qeligible@contoso.com'],
      },
    ],
    eligibilities: [{ role: 'User Administrator', principalId: IDS.qeligible }],
  }),
  syncNow: { qeligible: 'SOFT_MATCH_BLOCKED' },
  matches: [
    {
      who: 'qeligible',
      samAccountName: 'qeligible',
      findings: ['TARGET_ELIGIBLE_FOR_ADMIN_ROLE'],
      steps: ['MANUAL', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED', 'MANUAL'],
      end: 'joined',
      targetUserId: IDS.qeligible,
      manual: [
        {
          mentions: ['User Administrator', 'qeligible@contoso.com'],
          actions: [{ kind: 'remove-role-eligibilities', userId: IDS.qeligible, roles: ['User Administrator'] }],
        },
        {
          mentions: ['User Administrator', IDS.qeligible],
          actions: [{ kind: 'assign-role-eligibilities', userId: IDS.qeligible, roles: ['User Administrator'] }],
        },
      ],
    },
  ],
};

export const cloudManagedTarget: Scenario = {
  id: 'cloud-managed-target',
  domainScenario: null,
  label: '2026',
  title: 'The target cloud user is managed in the cloud (source of authority)',
  story:
    "Rita Cole's account was synced from AD until an admin moved its source of authority to the cloud " +
    '(onPremisesSyncBehavior isCloudManaged) to manage it in Entra only. Her AD account is still in scope, but the sync ' +
    "skips her cloud account: whether it should follow AD again is an admin's decision, not the bot's.",
  adUsers: ['rcloud'],
  cloud: (t) => ({
    users: [
      {
        id: IDS.rcloud,
        userPrincipalName: 'rcloud@contoso.com',
        displayName: 'Rita Cole',
        mail: 'rita.cole@contoso.com',
        proxyAddresses: ['SMTP:rita.cole@contoso.com', 'smtp:rcloud@contoso.com'],
        onPremisesImmutableId: AD_ANCHOR.rcloud,
        onPremisesObjectIdentifier: 'a4d1e7b9-3f28-4c65-8e0a-d95b2c6f1384',
        onPremisesSyncEnabled: false,
        isCloudManaged: true,
        onPremisesLastSyncDateTime: t.daysAgo(14),
        onPremisesDistinguishedName: `CN=Rita Cole,${OU.staff}`,
        onPremisesSamAccountName: 'rcloud',
        onPremisesUserPrincipalName: 'rcloud@contoso.com',
      },
    ],
  }),
  syncNow: { rcloud: 'CLOUD_MANAGED' },
  matches: [
    {
      who: 'rcloud',
      samAccountName: 'rcloud',
      findings: ['ANCHOR_SET_NOT_SYNCED', 'TARGET_CLOUD_MANAGED'],
      steps: [],
      end: 'manual',
      targetUserId: IDS.rcloud,
      manual: [],
      blockedMentions: ['isCloudManaged', 'match rcloud'],
    },
  ],
};
