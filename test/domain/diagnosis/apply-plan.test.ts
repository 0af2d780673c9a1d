/**
 * `tenantFromEvidence` and `applyPlanToTenant`: where the plan stops, what each step and MANUAL
 * action does to the modelled tenant, and (fast-check, over random small but valid tenants) the
 * safety rules of every plan: never write a synced user, never set an anchor another object
 * still holds, purge only what is in the recycle bin, and end with the target joined.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CloudUser } from '../../../src/domain/cloud.ts';
import { applyStep, stepsBeforeJoiningSync, type PlanState } from '../../../src/domain/diagnosis/apply-plan.ts';
import { applyPlanToTenant, diagnose, tenantFromEvidence, type DiagnoseInput, type PlanStep } from '../../../src/domain/diagnosis/index.ts';
import type { SyncTenant } from '../../../src/domain/sync/types.ts';
import { adUser, cloudUser, deleted, evidence, group, IDS, JDOE_ANCHOR, OTHER_ANCHOR, tenant, THIRD_ANCHOR } from './builders.ts';
import { adminRoleHolder, duplicateAfterSync, nonRoutableSuffix, original, smtpOnGroup } from './scenarios.ts';

function applied(input: DiagnoseInput): { tenant: SyncTenant; subject: { inScope: boolean; onPrem: DiagnoseInput['onPrem'] } } {
  const d = diagnose(input);
  return applyPlanToTenant(d.plan, tenantFromEvidence(input.evidence), { onPrem: input.onPrem, inScope: true });
}

const userById = (t: SyncTenant, id: string): CloudUser | undefined => t.users.find((u) => u.id === id);

describe('tenantFromEvidence', () => {
  it('takes every candidate once, plus the named target, groups and tenant facts', () => {
    const target = cloudUser({ id: IDS.third, userPrincipalName: 'named@contoso.com' });
    const ev = evidence({
      candidates: [
        [original(), 'upn'],
        [original(), 'primarySmtp'],
      ],
      otherObjects: [group({ id: IDS.group, displayName: 'G' })],
      target: { requested: 'named@contoso.com', user: target },
    });
    const t = tenantFromEvidence(ev);
    expect(t.users.map((u) => u.id)).toEqual([IDS.original, IDS.third]);
    expect(t.otherObjects.map((g) => g.id)).toEqual([IDS.group]);
    expect(t.facts.initialDomain).toBe('contoso.onmicrosoft.com');
    t.users[0]?.proxyAddresses.push('smtp:changed@contoso.com');
    expect(ev.candidates[0]?.user.proxyAddresses).toEqual(['SMTP:jdoe@contoso.com']);
  });
});

describe('applyPlanToTenant', () => {
  it('scenario 1: stops before the joining sync, with the duplicate purged, the anchor on the original, the AD object back in scope', () => {
    const input = duplicateAfterSync();
    const after = applied(input);
    expect(userById(after.tenant, IDS.duplicate)).toBeUndefined();
    expect(userById(after.tenant, IDS.original)?.immutableId).toBe(JDOE_ANCHOR);
    expect(after.subject.inScope).toBe(true);
    expect(input.evidence.candidates.find((c) => c.user.id === IDS.original)?.user.immutableId).toBeNull();
  });

  it('scenario 1: the sync in the middle soft-deletes the duplicate (modelled), so the purge finds it in the recycle bin', () => {
    const d = diagnose(duplicateAfterSync());
    let state: PlanState = {
      tenant: tenantFromEvidence(duplicateAfterSync().evidence),
      subject: { onPrem: adUser(), inScope: true },
      outOfScope: [],
    };
    state = applyStep(state, d.plan.steps[0] as PlanStep);
    expect(state.subject.inScope).toBe(false);
    state = applyStep(state, d.plan.steps[1] as PlanStep);
    const dup = userById(state.tenant, IDS.duplicate);
    expect(dup?.deletedDateTime).not.toBeNull();
    expect(dup?.userPrincipalName).toBe('22222222222242228222222222222222jdoe+4821@contoso.onmicrosoft.com');
  });

  it('stops at the first sync after the last write; a plan without writes stops at its first sync', () => {
    const d = diagnose(duplicateAfterSync());
    expect(stepsBeforeJoiningSync(d.plan.steps).map((s) => s.number)).toEqual([1, 2, 3, 4, 5]);
    const manualOnly = diagnose(adminRoleHolder()).plan.steps.filter((s) => s.kind !== 'SET_ANCHOR');
    expect(stepsBeforeJoiningSync(manualOnly).map((s) => s.kind)).toEqual(['MANUAL']);
  });

  it('models MANUAL actions: AD UPN, roles, addresses, tenant switch', () => {
    expect(applied(nonRoutableSuffix()).subject.onPrem.userPrincipalName).toBe('jdoe@contoso.com');
    expect(userById(applied(adminRoleHolder()).tenant, IDS.original)?.adminRoles).toEqual([]);
    const group = applied(smtpOnGroup()).tenant.otherObjects[0];
    expect(group).toMatchObject({ mail: null, proxyAddresses: [] });
    const blocked = adminRoleHolder({ switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } });
    expect(applied(blocked).tenant.facts.switches.blockCloudObjectTakeoverThroughHardMatchEnabled).toBe(false);
  });

  it('a blocked plan changes nothing', () => {
    const input: DiagnoseInput = {
      who: 'jdoe',
      onPrem: adUser(),
      evidence: evidence({ target: { requested: 'x@contoso.com', user: null } }),
    };
    const before = tenantFromEvidence(input.evidence);
    expect(applied(input).tenant).toEqual(before);
  });
});

// ---- property: every plan is safe and ends joined, over random small valid tenants ----

const UPNS = ['jdoe@contoso.com', 'john.doe@contoso.com', 'jdoe+1234@contoso.onmicrosoft.com', 'jdoe@fabrikam.com', 'other@contoso.com'];
const ADDRESSES = ['jdoe@contoso.com', 'jdoe@contoso.mail.onmicrosoft.com'];
const USER_IDS = [IDS.original, IDS.duplicate, IDS.deleted, IDS.other];

const userSpec = fc.record({
  synced: fc.boolean(),
  deleted: fc.boolean(),
  anchor: fc.constantFrom<string | null>(null, JDOE_ANCHOR, OTHER_ANCHOR, THIRD_ANCHOR),
  upn: fc.constantFrom(...UPNS),
  addresses: fc.subarray(ADDRESSES),
  admin: fc.boolean(),
});

const scenario = fc.record({
  users: fc.array(userSpec, { maxLength: 4 }),
  groupAddresses: fc.subarray(ADDRESSES),
  adUpn: fc.constantFrom('jdoe@contoso.com', 'jdoe@contoso.local', 'jdoe@fabrikam.com'),
  consistencyGuid: fc.constantFrom<string | null>(null, 'd1b718e3-957d-4c64-a0d7-a137bbb799b7'),
  target: fc.oneof(fc.constant<'auto' | 'missing' | number>('auto'), fc.constant<'missing'>('missing'), fc.nat(3)),
  takeover: fc.boolean(),
  blockSoft: fc.boolean(),
  enabled: fc.boolean(),
});

type Spec = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Builds evidence Entra could hold: anchors unique, UPNs and addresses unique among active objects. */
function build(spec: Spec): DiagnoseInput {
  const anchors = new Set<string>();
  const upns = new Set<string>();
  const addresses = new Set<string>();
  const users = spec.users.map((u, i) => {
    const id = USER_IDS[i] ?? IDS.third;
    let anchor = u.anchor !== null && !anchors.has(u.anchor) ? u.anchor : null;
    if (u.synced && anchor === null) anchor = `AAAAAAAAAAAAAAAAAAAAA${'ABCD'[i] ?? 'E'}==`;
    if (anchor) anchors.add(anchor);
    const upn = !u.deleted && upns.has(u.upn) ? `user${i}@contoso.com` : u.upn;
    if (!u.deleted) upns.add(upn);
    const own = u.deleted ? u.addresses : u.addresses.filter((a) => !addresses.has(a));
    if (!u.deleted) own.forEach((a) => addresses.add(a));
    const user = cloudUser({
      id,
      userPrincipalName: upn,
      immutableId: anchor,
      synced: u.synced,
      proxyAddresses: own.map((a, k) => `${k === 0 ? 'SMTP' : 'smtp'}:${a}`),
      adminRoles: u.admin ? ['Global Administrator'] : [],
      onPremisesDistinguishedName: u.synced ? `CN=u${i},OU=Staff,DC=contoso,DC=com` : null,
    });
    return u.deleted ? deleted(user) : user;
  });
  const groupAddresses = spec.groupAddresses.filter((a) => !addresses.has(a));
  const onPrem = adUser({ userPrincipalName: spec.adUpn, consistencyGuid: spec.consistencyGuid, enabled: spec.enabled });
  const named = typeof spec.target === 'number' ? users[spec.target] : undefined;
  return {
    who: 'jdoe',
    onPrem,
    evidence: evidence({
      candidates: users.map((u) => [u]),
      otherObjects: groupAddresses.length
        ? [group({ id: IDS.group, displayName: 'G', proxyAddresses: groupAddresses.map((a) => `smtp:${a}`) })]
        : [],
      ...(spec.target === 'missing'
        ? { target: { requested: 'gone@contoso.com', user: null } }
        : named
          ? { target: { requested: named.id, user: named } }
          : {}),
      tenant: tenant({
        switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: spec.takeover, blockSoftMatchEnabled: spec.blockSoft },
      }),
    }),
  };
}

/** Checks the rules Graph enforces just before each automated write. */
function checkStep(state: PlanState, step: PlanStep): void {
  if (!('subject' in step) || step.kind === 'VERIFY_JOINED') return;
  const user = state.tenant.users.find((u) => u.id === step.subject.userId);
  expect(user, `${step.kind} on a user that is gone`).toBeDefined();
  if (step.kind === 'PURGE_DELETED_USER') {
    expect(user?.deletedDateTime, 'purge of an active user').not.toBeNull();
    return;
  }
  expect(user?.deletedDateTime, `${step.kind} on a deleted user`).toBeNull();
  expect(user?.synced, `${step.kind} on a synced user`).toBe(false);
  if (step.kind === 'SET_ANCHOR') {
    const holders = state.tenant.users.filter((u) => u.id !== step.subject.userId && u.immutableId === step.immutableId);
    expect(
      holders.map((u) => u.id),
      'anchor still held by another object',
    ).toEqual([]);
  }
}

describe('every plan (property)', () => {
  it('never writes a synced or deleted user, never sets a held anchor, and leaves the anchor with one user', () => {
    fc.assert(
      fc.property(scenario, (spec) => {
        const input = build(spec);
        const d = diagnose(input);
        const anchor = input.onPrem.anchor.immutableId;
        expect(d.plan.steps.map((s) => s.number)).toEqual(d.plan.steps.map((_, i) => i + 1));
        expect(d.plan.steps.every((s) => s.irreversible === (s.kind === 'PURGE_DELETED_USER'))).toBe(true);
        if (d.plan.blockedReason !== undefined) expect(d.plan.steps).toEqual([]);
        let state: PlanState = {
          tenant: tenantFromEvidence(input.evidence),
          subject: { onPrem: input.onPrem, inScope: true },
          outOfScope: [],
        };
        for (const step of d.plan.steps) {
          checkStep(state, step);
          state = applyStep(state, step);
        }
        const after = applyPlanToTenant(d.plan, tenantFromEvidence(input.evidence), { onPrem: input.onPrem, inScope: true });
        const holders = after.tenant.users.filter((u) => u.immutableId === anchor);
        expect(holders.length).toBeLessThanOrEqual(1);
        if (d.plan.steps.some((s) => s.kind === 'SET_ANCHOR')) expect(holders.map((u) => u.id)).toEqual([d.plan.target?.id]);
      }),
      { numRuns: 400 },
    );
  });

  it('a plan that ends in VERIFY_JOINED makes the modelled sync join its target', () => {
    fc.assert(
      fc.property(scenario, (spec) => {
        const d = diagnose(build(spec));
        if (!d.plan.steps.some((s) => s.kind === 'VERIFY_JOINED')) return;
        const after = d.prediction?.afterPlan;
        // SOFT_MATCH: the next sync joins the target by itself, and the plan is that sync and its check.
        expect(['HARD_MATCH', 'SOFT_MATCH', 'RESTORE', 'UPDATE']).toContain(after?.kind);
        if (after?.kind === 'SOFT_MATCH')
          expect(d.plan.steps.map((s) => s.kind).filter((k) => k !== 'MANUAL')).toEqual(['TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
        expect(after && 'userId' in after ? after.userId : null).toBe(d.plan.target?.id);
      }),
      { numRuns: 400 },
    );
  });
});
