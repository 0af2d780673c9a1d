/**
 * The scenario catalog: every failure scenario of docs/domain.md plus controls, in domain order,
 * and the tenant-switch variants tests run on their own seeds. The sandbox tenant is built from
 * SCENARIOS; the scenario tests run each one against a fresh emulator; README.md tables it.
 */
import { ambiguousMail, disabledAccount, healthyMatch, hostileName } from './controls.ts';
import { MNEW_MATCH, softMatchPending } from './corrections.ts';
import { anchorInRecycleBin, duplicateAfterSync, oldImmutableId, outOfSyncScope, smtpOnOtherObject } from './scenarios-1-to-5.ts';
import { cloudManagedTarget, forestMigrationMapping, pimEligibleTarget, recreatedAdUser } from './scenarios-2026.ts';
import { ELOCAL_MATCH, adminRoleHolder, bulkRelink, federatedUpn, nonRoutableSuffix, targetAlreadySynced } from './scenarios-6-to-10.ts';
import type { EngineVariant, Scenario, SwitchVariant } from './types.ts';
import { IDS, OU } from './values.ts';

export const SCENARIOS: readonly Scenario[] = Object.freeze([
  duplicateAfterSync,
  anchorInRecycleBin,
  smtpOnOtherObject,
  oldImmutableId,
  outOfSyncScope,
  nonRoutableSuffix,
  targetAlreadySynced,
  federatedUpn,
  adminRoleHolder,
  bulkRelink,
  disabledAccount,
  healthyMatch,
  ambiguousMail,
  hostileName,
  softMatchPending,
  recreatedAdUser,
  forestMigrationMapping,
  pimEligibleTarget,
  cloudManagedTarget,
]);

/** Scenario 9's tenant switches, each on its own seed (the sandbox tenant keeps Entra's defaults). */
const variants: SwitchVariant[] = [
  {
    id: 'takeover-blocked',
    title: 'blockCloudObjectTakeoverThroughHardMatchEnabled is on: hard match onto cloud-only users is refused',
    switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true },
    scenario: outOfSyncScope.id,
    syncNow: { dscope: 'NOTHING' },
    match: {
      who: 'dscope',
      samAccountName: 'dscope',
      findings: ['ANCHOR_SET_NOT_SYNCED', 'HARD_MATCH_TAKEOVER_BLOCKED'],
      steps: ['MANUAL', 'MANUAL', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED', 'MANUAL'],
      end: 'joined',
      targetUserId: IDS.dscope,
      manual: [
        {
          mentions: ['CN=Diego Scott,OU=Not Synced,DC=contoso,DC=com'],
          actions: [{ kind: 'move-ad-object', samAccountName: 'dscope', toOu: OU.staff }],
        },
        {
          mentions: ['blockCloudObjectTakeoverThroughHardMatchEnabled', 'off'],
          actions: [{ kind: 'set-sync-switch', feature: 'blockCloudObjectTakeoverThroughHardMatchEnabled', enabled: false }],
        },
        {
          mentions: ['blockCloudObjectTakeoverThroughHardMatchEnabled', 'on'],
          actions: [{ kind: 'set-sync-switch', feature: 'blockCloudObjectTakeoverThroughHardMatchEnabled', enabled: true }],
        },
      ],
    },
  },
  {
    id: 'soft-match-blocked',
    title: 'blockSoftMatchEnabled is on: no soft match, so the plan must set the anchor',
    switches: { blockSoftMatchEnabled: true },
    scenario: nonRoutableSuffix.id,
    syncNow: { elocal: 'SOFT_MATCH_BLOCKED' },
    match: {
      ...ELOCAL_MATCH,
      findings: ['UPN_SUFFIX_UNVERIFIED', 'UPN_WILL_CHANGE', 'SOFT_MATCH_BLOCKED'],
    },
  },
  {
    id: 'soft-match-takeover-blocked',
    title: 'blockCloudObjectTakeoverThroughHardMatchEnabled is on, but the next sync soft-matches: the switch stays on',
    switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true },
    scenario: softMatchPending.id,
    syncNow: { mnew: 'SOFT_MATCH' },
    match: MNEW_MATCH,
  },
];
export const SWITCH_VARIANTS: readonly SwitchVariant[] = Object.freeze(variants);

export function scenarioById(id: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario "${id}" in the catalog (${SCENARIOS.map((s) => s.id).join(', ')})`);
  return scenario;
}

/**
 * Scenarios in a tenant another engine syncs, each on its own seed: in an Entra Cloud Sync tenant
 * there is no Start-ADSyncSyncCycle, so the plan syncs the one AD user through provisionOnDemand.
 */
const engineVariants: EngineVariant[] = [
  {
    id: 'cloud-sync-tenant',
    title: 'The tenant runs Entra Cloud Sync: the plan syncs the one user now through provisionOnDemand',
    syncEngine: 'cloud-sync',
    scenario: anchorInRecycleBin.id,
    match: {
      who: 'asmith',
      samAccountName: 'asmith',
      findings: ['ANCHOR_HELD_BY_DELETED_USER'],
      steps: ['PURGE_DELETED_USER', 'SET_ANCHOR', 'PROVISION_ON_DEMAND', 'VERIFY_JOINED'],
      end: 'joined',
      targetUserId: IDS.asmith,
      manual: [],
    },
  },
];
export const ENGINE_VARIANTS: readonly EngineVariant[] = Object.freeze(engineVariants);

export function engineVariantById(id: string): EngineVariant {
  const variant = ENGINE_VARIANTS.find((v) => v.id === id);
  if (!variant) throw new Error(`no engine variant "${id}" in the catalog (${ENGINE_VARIANTS.map((v) => v.id).join(', ')})`);
  return variant;
}
