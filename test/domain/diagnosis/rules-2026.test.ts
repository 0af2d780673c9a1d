/**
 * The diagnosis under Entra's 2026 rules: a target mapped to another on-premises object gets
 * OBJECT_IDENTIFIER_MAPPED and a CLEAR_OBJECT_IDENTIFIER before the sync (only for the account
 * the admin means); a PIM-eligible target is treated as a role holder; a cloud-managed target
 * blocks the plan; a Cloud Sync user is synced by PROVISION_ON_DEMAND; two engines on one user
 * block; a step the identity may not run becomes a person's step naming what is missing.
 */
import { describe, expect, it } from 'vitest';
import type { CloudSyncJob, TenantFacts } from '../../../src/domain/cloud.ts';
import { diagnose, type DiagnoseInput, type PlanStep } from '../../../src/domain/diagnosis/index.ts';
import { REMAP_BLOCKED_TEXT } from '../../../src/domain/object-identifier.ts';
import {
  adUser,
  cloudUser,
  codes,
  evidence,
  findingOf,
  IDS,
  JDOE_ANCHOR,
  JDOE_GUID,
  kinds,
  OTHER_ANCHOR,
  OTHER_ANCHOR_GUID,
  tenant,
} from './builders.ts';
import { original } from './scenarios.ts';

const jdoe = adUser();
const OLD_OBJECT = OTHER_ANCHOR_GUID;
const JOB: CloudSyncJob = {
  servicePrincipalId: '3e916d82-dd59-4944-824d-93092908fd8d',
  jobId: 'AD2AADProvisioning.1a47',
  ruleId: '6c409270-f78a-4bc6-af23-7cf3ab6482fe',
  includedContainers: null,
};

/** jdoe re-created in AD: the restored cloud user keeps the old object's anchor and mapping. */
function recreated(over: { tenant?: TenantFacts; target?: boolean; reasons?: ('upn' | 'primarySmtp' | 'address')[] } = {}): DiagnoseInput {
  const weak = over.reasons?.includes('address') ?? false;
  // Tied only by a secondary address: another UPN and primary address, jdoe's onmicrosoft alias.
  const names = weak
    ? {
        userPrincipalName: 'john.d@contoso.com',
        mail: 'john.d@contoso.com',
        proxyAddresses: ['SMTP:john.d@contoso.com', 'smtp:jdoe@contoso.mail.onmicrosoft.com'],
      }
    : {};
  const user = original({ immutableId: OTHER_ANCHOR, onPremisesObjectIdentifier: OLD_OBJECT, ...names });
  return {
    who: 'jdoe',
    onPrem: jdoe,
    evidence: evidence({
      candidates: [[user, ...(over.reasons ?? ['upn', 'primarySmtp'])]],
      ...(over.target ? { target: { requested: user.userPrincipalName, user } } : {}),
      tenant: over.tenant ?? tenant(),
    }),
  };
}

function stepOf<K extends PlanStep['kind']>(steps: readonly PlanStep[], kind: K): Extract<PlanStep, { kind: K }> {
  const step = steps.find((s) => s.kind === kind);
  if (!step) throw new Error(`no ${kind} step`);
  return step as Extract<PlanStep, { kind: K }>;
}

describe('OBJECT_IDENTIFIER_MAPPED', () => {
  it('clears the mapping just before the sync, irreversibly, naming whose and what it pointed to', () => {
    const d = diagnose(recreated());
    expect(codes(d)).toContain('OBJECT_IDENTIFIER_MAPPED');
    expect(kinds(d)).toEqual(['SET_ANCHOR', 'CLEAR_OBJECT_IDENTIFIER', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    const clear = stepOf(d.plan.steps, 'CLEAR_OBJECT_IDENTIFIER');
    expect(clear).toMatchObject({ irreversible: true, previous: OLD_OBJECT, dn: jdoe.dn, subject: { userId: IDS.original } });
    expect(clear.description).toContain(`Clear onPremisesObjectIdentifier of jdoe@contoso.com (id ${IDS.original}) (now: ${OLD_OBJECT}`);
    const f = findingOf(d, 'OBJECT_IDENTIFIER_MAPPED');
    expect(f.severity).toBe('blocker');
    expect(f.evidence.join('\n')).toContain(REMAP_BLOCKED_TEXT);
    expect(f.remedy).toMatch(/^Step 2 clears the mapping/);
  });

  it('predicts the refusal now in Microsoft’s words, and the join after the plan', () => {
    const d = diagnose(recreated());
    expect(d.prediction?.now).toEqual({ kind: 'REMAP_BLOCKED', userId: IDS.original, mappedTo: OLD_OBJECT });
    // Before the plan the old anchor means a new user would be created... unless the UPN soft-matches: either way the mapping refuses.
    expect(d.prediction?.nowText).toContain(`"${REMAP_BLOCKED_TEXT}"`);
    expect(d.prediction?.afterPlan?.kind).toBe('HARD_MATCH');
  });

  it('never clears the mapping of a user tied only by a secondary address, unless the admin names it', () => {
    const weak = diagnose(recreated({ reasons: ['address'] }));
    expect(weak.plan.steps).toEqual([]);
    expect(weak.plan.blockedReason).toContain('type `match jdoe to john.d@contoso.com`');
    const named = diagnose(recreated({ reasons: ['address'], target: true }));
    expect(kinds(named)).toContain('CLEAR_OBJECT_IDENTIFIER');
  });

  it('says nothing of a mapping that names this very AD object', () => {
    const user = original({ immutableId: JDOE_ANCHOR, onPremisesObjectIdentifier: JDOE_GUID.toUpperCase() });
    const d = diagnose({ who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[user, 'anchor', 'upn']] }) });
    expect(codes(d)).not.toContain('OBJECT_IDENTIFIER_MAPPED');
    expect(kinds(d)).not.toContain('CLEAR_OBJECT_IDENTIFIER');
  });

  it('becomes a person’s step naming the permission or the role when the identity lacks it', () => {
    const noPermission = diagnose(recreated({ tenant: tenant({ missingPermissions: ['User-OnPremisesSyncBehavior.ReadWrite.All'] }) }));
    const manual = noPermission.plan.steps[1];
    expect(manual).toMatchObject({ kind: 'MANUAL', irreversible: true });
    expect(manual?.kind === 'MANUAL' && manual.instruction).toContain(
      'lacks the Graph permission User-OnPremisesSyncBehavior.ReadWrite.All',
    );
    const noRole = diagnose(recreated({ tenant: tenant({ canClearObjectIdentifier: false }) }));
    expect(noRole.plan.steps[1]?.kind === 'MANUAL' && noRole.plan.steps[1].instruction).toContain(
      'Hybrid Identity Administrator and Global Administrator directory role',
    );
    expect(findingOf(noRole, 'OBJECT_IDENTIFIER_MAPPED').remedy).toMatch(/^Step 2: a Hybrid Identity Administrator/);
  });
});

describe('TARGET_ELIGIBLE_FOR_ADMIN_ROLE', () => {
  it('treats a PIM-eligible target like a role holder: removed before, given back after, the refusal predicted', () => {
    const user = original({ eligibleRoles: ['User Administrator'] });
    const d = diagnose({
      who: 'jdoe',
      onPrem: jdoe,
      evidence: evidence({ candidates: [[user, 'upn', 'primarySmtp']], tenant: tenant({ switches: { blockSoftMatchEnabled: true } }) }),
    });
    expect(codes(d)).toContain('TARGET_ELIGIBLE_FOR_ADMIN_ROLE');
    expect(codes(d)).not.toContain('TARGET_HAS_ADMIN_ROLE');
    expect(findingOf(d, 'TARGET_ELIGIBLE_FOR_ADMIN_ROLE').title).toBe(
      'jdoe@contoso.com is eligible for Entra admin roles: User Administrator',
    );
    const first = d.plan.steps[0];
    expect(first?.kind === 'MANUAL' && first.action).toEqual({
      kind: 'REMOVE_ADMIN_ROLES',
      subject: { userId: IDS.original, userPrincipalName: 'jdoe@contoso.com' },
      roles: ['User Administrator'],
    });
    expect(first?.description).toContain('the PIM eligibility for User Administrator');
    expect(d.plan.steps.at(-1)?.kind === 'MANUAL' && d.plan.steps.at(-1)?.description).toContain(
      'assign the PIM eligibility for User Administrator',
    );
    expect(d.prediction?.afterPlan?.kind).toBe('HARD_MATCH');
  });

  it('predicts InvalidHardMatch onto an eligible anchor holder', () => {
    const user = original({ immutableId: JDOE_ANCHOR, eligibleRoles: ['Global Administrator'] });
    const d = diagnose({ who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[user, 'anchor', 'upn']] }) });
    expect(d.prediction?.now).toEqual({ kind: 'HARD_MATCH_BLOCKED', userId: IDS.original, reason: 'ADMIN_ROLE' });
    expect(d.prediction?.nowText).toContain(
      'is eligible for Global Administrator (PIM), and Entra refuses hard matches onto users assigned or eligible for privileged roles',
    );
  });
});

describe('TARGET_CLOUD_MANAGED', () => {
  it('blocks the plan and says the sync skips the user', () => {
    const user = original({ cloudManaged: true, immutableId: OTHER_ANCHOR });
    const d = diagnose({ who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[user, 'upn', 'primarySmtp']] }) });
    expect(codes(d)).toContain('TARGET_CLOUD_MANAGED');
    expect(d.plan.steps).toEqual([]);
    expect(d.plan.blockedReason).toContain('isCloudManaged is true');
    expect(findingOf(d, 'TARGET_CLOUD_MANAGED').remedy).toContain(`PATCH /beta/users/${IDS.original}/onPremisesSyncBehavior`);
    const holder = original({ cloudManaged: true, immutableId: JDOE_ANCHOR });
    const now = diagnose({ who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[holder, 'anchor']] }) }).prediction;
    expect(now?.now).toEqual({ kind: 'CLOUD_MANAGED', userId: IDS.original });
    expect(now?.nowText).toContain('skips jdoe@contoso.com');
  });
});

describe('Cloud Sync', () => {
  const cloudOnly = (job: CloudSyncJob = JOB, extra: Partial<TenantFacts> = {}): TenantFacts =>
    tenant({ syncEngine: { connectSync: false, connectVersion: null, cloudSync: [job] }, ...extra });
  const plain = (t: TenantFacts): DiagnoseInput => ({
    who: 'jdoe',
    onPrem: jdoe,
    evidence: evidence({ candidates: [[original(), 'upn', 'primarySmtp']], tenant: t }),
  });

  it('syncs through PROVISION_ON_DEMAND of the DN instead of a delta sync', () => {
    const d = diagnose(plain(cloudOnly()));
    expect(kinds(d)).not.toContain('TRIGGER_DELTA_SYNC');
    const step = stepOf(d.plan.steps, 'PROVISION_ON_DEMAND');
    expect(step).toMatchObject({
      dn: jdoe.dn,
      job: { servicePrincipalId: JOB.servicePrincipalId, jobId: JOB.jobId, ruleId: JOB.ruleId },
      irreversible: false,
    });
    expect(step.description).toMatch(
      /^Sync CN=jdoe,OU=Staff,DC=contoso,DC=com now through Cloud Sync \(provisionOnDemand on job AD2AADProvisioning.1a47\): Cloud Sync /,
    );
  });

  it('leaves a user outside every Cloud Sync job to Connect Sync', () => {
    const d = diagnose(plain(cloudOnly({ ...JOB, includedContainers: ['OU=Branch,DC=contoso,DC=com'] }, {})));
    expect(kinds(d)).not.toContain('PROVISION_ON_DEMAND');
  });

  it('asks a person to provision on demand when the identity lacks Synchronization.ReadWrite.All', () => {
    const d = diagnose(plain(cloudOnly(JOB, { missingPermissions: ['Synchronization.ReadWrite.All'] })));
    const step = d.plan.steps.find((s) => s.kind === 'MANUAL' && s.description.includes('provision'));
    expect(step?.kind === 'MANUAL' && step.instruction).toContain(`lacks Synchronization.ReadWrite.All`);
    expect(step?.kind === 'MANUAL' && step.instruction).toContain('Provision on demand, enter CN=jdoe,OU=Staff,DC=contoso,DC=com');
  });

  it('blocks when Connect Sync and a Cloud Sync job both sync the user', () => {
    const d = diagnose(
      plain(
        tenant({
          syncEngine: {
            connectSync: true,
            connectVersion: '2.5.190.0',
            cloudSync: [{ ...JOB, includedContainers: ['OU=Staff,DC=contoso,DC=com'] }],
          },
        }),
      ),
    );
    expect(codes(d)[0]).toBe('SYNC_ENGINES_OVERLAP');
    expect(d.plan.steps).toEqual([]);
    expect(d.plan.blockedReason).toContain('Both Entra Connect Sync (version 2.5.190.0) and Entra Cloud Sync');
    expect(findingOf(d, 'SYNC_ENGINES_OVERLAP').evidence.join('\n')).toContain('OU=Staff,DC=contoso,DC=com, which holds CN=jdoe');
  });
});

it('a plain cloud-only target keeps its Connect plan, untouched by the 2026 pass', () => {
  const d = diagnose({
    who: 'jdoe',
    onPrem: jdoe,
    evidence: evidence({
      candidates: [[cloudUser({ id: IDS.original, userPrincipalName: 'jdoe@contoso.com', immutableId: OTHER_ANCHOR }), 'upn']],
    }),
  });
  expect(kinds(d)).toEqual(['SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
  expect(codes(d)).not.toContain('OBJECT_IDENTIFIER_MAPPED');
});
