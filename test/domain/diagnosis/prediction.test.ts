/**
 * The predicted next sync, now and after the plan, and its plain-word texts for the card
 * (every outcome kind of the simulator's core that a diagnosis can meet).
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/domain/diagnosis/index.ts';
import { outcomeText } from '../../../src/domain/diagnosis/prediction.ts';
import { adUser, cloudUser, evidence, IDS, JDOE_ANCHOR, syncedUser } from './builders.ts';
import {
  adminRoleHolder,
  anchorInRecycleBin,
  duplicateAfterSync,
  federatedUpn,
  healthyMatch,
  noCloudUser,
  nonRoutableSuffix,
  oldImmutableId,
  outOfSyncScope,
  smtpOnGroup,
  targetAlreadySynced,
} from './scenarios.ts';

describe('prediction now and after the plan', () => {
  it('scenario 1: now the duplicate is refreshed; after the plan the original is hard-matched', () => {
    const p = diagnose(duplicateAfterSync()).prediction;
    expect(p?.now).toMatchObject({ kind: 'UPDATE', userId: IDS.duplicate });
    expect(p?.nowText).toBe(
      `The next sync updates jdoe+4821@contoso.onmicrosoft.com (id ${IDS.duplicate}), already joined to CN=jdoe,OU=Staff,DC=contoso,DC=com ` +
        'instead of matching jdoe@contoso.com; jdoe@contoso.com is quarantined (held by another object).',
    );
    expect(p?.afterPlan).toMatchObject({ kind: 'HARD_MATCH', userId: IDS.original });
    expect(p?.afterPlanText).toBe(`The plan's sync joins the cloud user jdoe@contoso.com (hard match on ImmutableID ${JDOE_ANCHOR}).`);
  });

  it('a cloud-only target the sync cannot find: the next sync creates a second user instead', () => {
    const lone = cloudUser({ id: IDS.original, userPrincipalName: 'john.doe@contoso.com' });
    const onPrem = adUser({ proxyAddresses: [], mail: null });
    const d = diagnose({
      who: 'jdoe',
      onPrem,
      evidence: evidence({ candidates: [[lone]], target: { requested: 'john.doe@contoso.com', user: lone } }),
    });
    expect(d.prediction?.nowText).toBe('The next sync creates a second user jdoe@contoso.com instead of matching john.doe@contoso.com.');
  });

  it('the UPN on a synced user of another AD object: InvalidSoftMatch on the UPN', () => {
    const other = syncedUser({
      id: IDS.other,
      userPrincipalName: 'jdoe@contoso.com',
      immutableId: 'AAAAAAAAAAAAAAAAAAAAAA==',
      dn: 'CN=x,DC=contoso,DC=com',
    });
    const d = diagnose({
      who: 'jdoe',
      onPrem: adUser({ proxyAddresses: [], mail: null }),
      evidence: evidence({ candidates: [[other, 'upn']] }),
    });
    expect(d.prediction?.nowText).toBe(
      `The next sync fails with InvalidSoftMatch: jdoe@contoso.com (id ${IDS.other}) holds the UPN of jdoe but already has ImmutableID AAAAAAAAAAAAAAAAAAAAAA== (GUID 00000000-0000-0000-0000-000000000000); nothing is joined.`,
    );
  });

  it('nothing in the cloud: creates a new user, and no afterPlan', () => {
    const p = diagnose(noCloudUser()).prediction;
    expect(p?.nowText).toBe('The next sync creates a new user jdoe@contoso.com.');
    expect(p?.afterPlan).toBeUndefined();
    expect(p?.afterPlanText).toBeUndefined();
  });

  it('scenario 2: ObjectConflict now, hard match after', () => {
    const p = diagnose(anchorInRecycleBin()).prediction;
    expect(p?.nowText).toBe(
      `The next sync fails with ObjectConflict: john.doe.old@contoso.com (id ${IDS.deleted}, in the recycle bin since 2026-02-21T09:15:00Z) ` +
        `still holds ImmutableID ${JDOE_ANCHOR}; nothing is joined until it is purged.`,
    );
    expect(p?.afterPlan?.kind).toBe('HARD_MATCH');
  });

  it('scenario 2 with a synced holder: the next sync restores the old account instead of matching', () => {
    const p = diagnose(anchorInRecycleBin(true)).prediction;
    expect(p?.now).toMatchObject({ kind: 'RESTORE', userId: IDS.deleted });
    expect(p?.nowText).toContain('restores john.doe.old@contoso.com');
    expect(p?.nowText).toContain('instead of matching jdoe@contoso.com');
  });

  it('scenario 3: ObjectTypeMismatch on the group', () => {
    expect(diagnose(smtpOnGroup()).prediction?.nowText).toBe(
      `The next sync fails with ObjectTypeMismatch: the group "Doe fans" (id ${IDS.group}) (not a user) holds the primary SMTP address of jdoe; nothing is joined.`,
    );
  });

  it('scenario 4 and 7: InvalidSoftMatch, naming the old value', () => {
    expect(diagnose(oldImmutableId()).prediction?.nowText).toContain(
      'fails with InvalidSoftMatch: cmigrated@contoso.com (id 11111111-1111-4111-8111-111111111111) holds the primary SMTP address of cmigrated but already has ImmutableID ht/natkDmkWKzwrwXaoiEg== (GUID 6ae7df86-03d9-459a-8acf-0af05daa2212)',
    );
    const synced = diagnose(targetAlreadySynced()).prediction;
    expect(synced?.now.kind).toBe('INVALID_SOFT_MATCH');
    expect(synced?.afterPlan).toBeUndefined();
  });

  it('scenario 5: the hard match happens as soon as the object is in scope', () => {
    const p = diagnose(outOfSyncScope()).prediction;
    expect(p?.now).toMatchObject({ kind: 'HARD_MATCH', userId: IDS.original });
    expect(p?.afterPlanText).toBe(`The plan's sync joins the cloud user jdoe@contoso.com (hard match on ImmutableID ${JDOE_ANCHOR}).`);
  });

  it('scenario 6: now the UPN would move to onmicrosoft; after the AD UPN fix it stays', () => {
    const p = diagnose(nonRoutableSuffix()).prediction;
    expect(p?.nowText).toContain(
      'its UPN becomes jdoe@contoso.onmicrosoft.com (the AD UPN jdoe@contoso.local is not in a verified domain)',
    );
    expect(p?.afterPlanText).toBe(
      `The plan's sync joins the cloud user jdoe@contoso.com (soft match on the primary SMTP address) and stamps ImmutableID ${JDOE_ANCHOR} on it.`,
    );
  });

  it('scenario 8: after the plan the temporary UPN is replaced by the AD UPN', () => {
    expect(diagnose(federatedUpn()).prediction?.afterPlanText).toBe(
      `The plan's sync joins the cloud user jdoe@contoso.onmicrosoft.com (hard match on ImmutableID ${JDOE_ANCHOR}); its UPN becomes jdoe@fabrikam.com.`,
    );
  });

  it('scenario 9: roles block the soft match now; removed by the plan, the hard match goes through', () => {
    const p = diagnose(adminRoleHolder()).prediction;
    expect(p?.nowText).toBe(
      `The next sync does not soft-match jdoe@contoso.com (id ${IDS.original}) on the primary SMTP address: it holds admin roles; nothing is joined.`,
    );
    expect(p?.afterPlan?.kind).toBe('HARD_MATCH');
  });

  it('healthy: the next sync only refreshes the joined user', () => {
    expect(diagnose(healthyMatch()).prediction?.nowText).toBe(
      `The next sync updates jdoe@contoso.com (id ${IDS.original}), already joined to CN=jdoe,OU=Staff,DC=contoso,DC=com: the match stays as it is.`,
    );
  });
});

describe('outcomeText', () => {
  const onPrem = adUser();
  const admin = cloudUser({
    id: IDS.original,
    userPrincipalName: 'jdoe@contoso.com',
    immutableId: JDOE_ANCHOR,
    adminRoles: ['Global Administrator'],
  });
  const joined = syncedUser({ id: IDS.duplicate, userPrincipalName: 'jdoe@contoso.com', immutableId: JDOE_ANCHOR, dn: onPrem.dn });
  const ctx = {
    tenant: { users: [admin, joined], otherObjects: [], facts: evidence().tenant },
    onPrem,
    target: admin,
    lead: 'The next sync',
  };

  it('blocked hard matches, out-of-scope outcomes and soft matches', () => {
    expect(outcomeText({ kind: 'HARD_MATCH_BLOCKED', userId: IDS.original, reason: 'ADMIN_ROLE' }, ctx)).toBe(
      `The next sync fails with InvalidHardMatch: jdoe@contoso.com (id ${IDS.original}) holds Global Administrator, and Entra refuses hard matches onto role holders (MC1262584); nothing is joined.`,
    );
    expect(outcomeText({ kind: 'HARD_MATCH_BLOCKED', userId: IDS.original, reason: 'TAKEOVER_BLOCKED' }, ctx)).toContain(
      'blockCloudObjectTakeoverThroughHardMatchEnabled is on',
    );
    expect(outcomeText({ kind: 'NOTHING' }, ctx)).toBe(
      "The next sync does nothing: CN=jdoe,OU=Staff,DC=contoso,DC=com is outside Entra Connect's sync scope and joined to no cloud user.",
    );
    expect(outcomeText({ kind: 'DELETE', userId: IDS.duplicate }, ctx)).toBe(
      `The next sync soft-deletes jdoe@contoso.com (id ${IDS.duplicate}), because CN=jdoe,OU=Staff,DC=contoso,DC=com is out of sync scope.`,
    );
    const values = { immutableId: JDOE_ANCHOR, userPrincipalName: 'jdoe@contoso.com', quarantinedAddresses: [], conflicts: [] };
    expect(outcomeText({ kind: 'SOFT_MATCH', userId: IDS.original, via: 'UPN', values }, ctx)).toBe(
      `The next sync joins the cloud user jdoe@contoso.com (soft match on the UPN) and stamps ImmutableID ${JDOE_ANCHOR} on it.`,
    );
    expect(outcomeText({ kind: 'SOFT_MATCH_BLOCKED', userId: IDS.original, via: 'SMTP', reason: 'TENANT_SWITCH' }, ctx)).toContain(
      'blockSoftMatchEnabled is on',
    );
    expect(outcomeText({ kind: 'ANCHOR_CONFLICT', userId: IDS.duplicate, deleted: false }, ctx)).toContain(
      'nothing is joined until it is cleared',
    );
  });
});
