/**
 * Each failure scenario of docs/domain.md: the finding codes, the plan's step kinds in order,
 * numbering, IRREVERSIBLE flags and the values the step descriptions must name.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, type PlanStep } from '../../../src/domain/diagnosis/index.ts';
import { codes, IDS, JDOE_ANCHOR, kinds, OTHER_ANCHOR, CMIGRATED_CG_ANCHOR } from './builders.ts';
import {
  adminRoleHolder,
  anchorInRecycleBin,
  bulkUser,
  duplicateAfterSync,
  federatedUpn,
  healthyMatch,
  noCloudUser,
  nonRoutableSuffix,
  oldImmutableId,
  outOfSyncScope,
  smtpOnGroup,
  smtpOnSyncedUser,
  targetAlreadySynced,
} from './scenarios.ts';

function step<K extends PlanStep['kind']>(steps: PlanStep[], kind: K, nth = 0): Extract<PlanStep, { kind: K }> {
  const found = steps.filter((s): s is Extract<PlanStep, { kind: K }> => s.kind === kind)[nth];
  if (!found) throw new Error(`no ${kind} #${nth}`);
  return found;
}

describe('scenario 1: synced duplicate created instead of a match', () => {
  const d = diagnose(duplicateAfterSync());

  it('finds the duplicate holding the anchor, its provisioning errors and the resolved conflicts', () => {
    expect(codes(d)).toEqual(['ANCHOR_HELD_BY_OTHER_USER', 'SMTP_CONFLICT', 'UPN_CONFLICT', 'PROVISIONING_ERRORS']);
    expect(d.plan.target?.id).toBe(IDS.original);
  });

  it("plans seed 000's manual fix, numbered from 1, only the purge irreversible", () => {
    expect(kinds(d)).toEqual([
      'MANUAL',
      'TRIGGER_DELTA_SYNC',
      'PURGE_DELETED_USER',
      'SET_ANCHOR',
      'MANUAL',
      'TRIGGER_DELTA_SYNC',
      'VERIFY_JOINED',
    ]);
    expect(d.plan.steps.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(d.plan.steps.map((s) => s.irreversible)).toEqual([false, false, true, false, false, false, false]);
    expect(d.plan.nothingToDo).toBe(false);
  });

  it('names the DN, the duplicate and the values in the steps', () => {
    const [out, , purge, set, back] = d.plan.steps;
    expect(out?.kind === 'MANUAL' && out.action).toEqual({ kind: 'SCOPE_OUT', dn: 'CN=jdoe,OU=Staff,DC=contoso,DC=com' });
    expect(out?.kind === 'MANUAL' && out.instruction).toContain(
      'jdoe+4821@contoso.onmicrosoft.com (id 22222222-2222-4222-8222-222222222222)',
    );
    expect(purge).toMatchObject({ subject: { userId: IDS.duplicate }, immutableId: JDOE_ANCHOR });
    expect(purge?.description).toContain('cannot be undone');
    expect(set).toMatchObject({ subject: { userId: IDS.original }, immutableId: JDOE_ANCHOR, previous: null });
    expect(set?.description).toBe(`Set onPremisesImmutableId of jdoe@contoso.com (id ${IDS.original}) to ${JDOE_ANCHOR} (now: null)`);
    expect(back?.kind === 'MANUAL' && back.action).toEqual({ kind: 'SCOPE_IN', dn: 'CN=jdoe,OU=Staff,DC=contoso,DC=com' });
    expect(back?.kind === 'MANUAL' && back.instruction).toContain('its OU OU=Staff,DC=contoso,DC=com');
  });

  it('verifies the original, with the default time limit of 600 s', () => {
    expect(step(d.plan.steps, 'VERIFY_JOINED')).toMatchObject({
      subject: { userId: IDS.original },
      immutableId: JDOE_ANCHOR,
      timeoutSeconds: 600,
    });
    const custom = diagnose({ ...duplicateAfterSync(), verifyTimeoutSeconds: 90 });
    expect(step(custom.plan.steps, 'VERIFY_JOINED').timeoutSeconds).toBe(90);
    expect(step(custom.plan.steps, 'VERIFY_JOINED').description).toContain('give up after 90 seconds');
  });
});

describe('scenario 2: anchor held by a soft-deleted user', () => {
  it('purges the holder before setting the anchor', () => {
    const d = diagnose(anchorInRecycleBin());
    expect(codes(d)).toEqual(['ANCHOR_HELD_BY_DELETED_USER']);
    expect(kinds(d)).toEqual(['PURGE_DELETED_USER', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(step(d.plan.steps, 'PURGE_DELETED_USER')).toMatchObject({
      irreversible: true,
      subject: { userId: IDS.deleted },
      immutableId: JDOE_ANCHOR,
    });
    expect(d.plan.steps.filter((s) => s.irreversible).map((s) => s.kind)).toEqual(['PURGE_DELETED_USER']);
  });

  it('the same plan when the deleted holder was synced', () => {
    const d = diagnose(anchorInRecycleBin(true));
    expect(codes(d)).toEqual(['ANCHOR_HELD_BY_DELETED_USER']);
    expect(kinds(d)).toEqual(['PURGE_DELETED_USER', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
  });
});

describe('scenario 3: SMTP address on another cloud object', () => {
  it('a group: a person removes the address from it, then the plan continues', () => {
    const d = diagnose(smtpOnGroup());
    expect(codes(d)).toEqual(['SMTP_CONFLICT']);
    expect(kinds(d)).toEqual(['MANUAL', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    const remove = step(d.plan.steps, 'MANUAL');
    expect(remove.action).toEqual({
      kind: 'REMOVE_ADDRESSES',
      objectId: IDS.group,
      objectKind: 'group',
      addresses: ['jdoe@contoso.com'],
      dn: null,
    });
    expect(remove.instruction).toContain('the group "Doe fans"');
  });

  it('another synced user: the address is removed on its AD object', () => {
    const d = diagnose(smtpOnSyncedUser());
    expect(codes(d)).toEqual(['SMTP_CONFLICT']);
    const remove = step(d.plan.steps, 'MANUAL');
    expect(remove.action).toMatchObject({ objectId: IDS.other, objectKind: 'user', dn: 'CN=Jane Doe,OU=Staff,DC=contoso,DC=com' });
    expect(remove.instruction).toContain('AD object CN=Jane Doe,OU=Staff,DC=contoso,DC=com');
  });

  it("the conflicting user is the person's own account: it is the target, its old anchor overwritten", () => {
    const d = diagnose(bulkUser('jdoe', '04e278dc-0512-4dc7-ab22-156d99c343ca', IDS.original));
    expect(codes(d)).toEqual(['TARGET_HAS_OTHER_ANCHOR']);
    expect(kinds(d)).toEqual(['SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(step(d.plan.steps, 'SET_ANCHOR')).toMatchObject({ previous: OTHER_ANCHOR, immutableId: JDOE_ANCHOR });
  });
});

describe('scenario 4: old ImmutableID on the target', () => {
  it('overwrites it (previous recorded) and explains the two anchor attributes', () => {
    const d = diagnose(oldImmutableId());
    expect(codes(d)).toEqual(['TARGET_HAS_OTHER_ANCHOR', 'CONSISTENCY_GUID_DIFFERS']);
    expect(kinds(d)).toEqual(['SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(step(d.plan.steps, 'SET_ANCHOR')).toMatchObject({ immutableId: CMIGRATED_CG_ANCHOR, previous: 'ht/natkDmkWKzwrwXaoiEg==' });
    expect(step(d.plan.steps, 'SET_ANCHOR').description).toContain('(now: ht/natkDmkWKzwrwXaoiEg==)');
  });
});

describe('scenario 5: anchor set, AD object never exported', () => {
  it('asks a person to check the scope, then syncs and verifies', () => {
    const d = diagnose(outOfSyncScope());
    expect(codes(d)).toEqual(['ANCHOR_SET_NOT_SYNCED']);
    expect(kinds(d)).toEqual(['MANUAL', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    const scope = step(d.plan.steps, 'MANUAL');
    expect(scope.instruction).toMatch(
      /^Make sure CN=jdoe,OU=Not Synced,DC=contoso,DC=com is in Entra Connect's sync scope \(OU filtering \/ attribute filter\)/,
    );
    expect(scope.action).toEqual({ kind: 'SCOPE_IN', dn: 'CN=jdoe,OU=Not Synced,DC=contoso,DC=com' });
  });
});

describe('scenario 6: non-routable UPN suffix', () => {
  it('starts with a MANUAL step giving the AD user a verified UPN; the sync then soft-matches by itself', () => {
    const d = diagnose(nonRoutableSuffix());
    expect(codes(d)).toEqual(['UPN_SUFFIX_UNVERIFIED', 'UPN_WILL_CHANGE']);
    expect(kinds(d)).toEqual(['MANUAL', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    const fix = step(d.plan.steps, 'MANUAL');
    expect(fix.action).toEqual({
      kind: 'SET_ONPREM_UPN',
      dn: 'CN=jdoe,OU=Staff,DC=contoso,DC=com',
      from: 'jdoe@contoso.local',
      to: 'jdoe@contoso.com',
    });
    expect(fix.instruction).toContain('a verified domain of the tenant (contoso.com and fabrikam.com)');
    expect(fix.instruction).toContain('Set-ADUser jdoe -UserPrincipalName jdoe@contoso.com');
  });
});

describe('scenario 7: target already synced with another anchor', () => {
  const d = diagnose(targetAlreadySynced());
  it('is a blocker only a person can fix: no automated write', () => {
    expect(codes(d)).toEqual(['TARGET_IS_SYNCED']);
    expect(kinds(d)).toEqual(['MANUAL', 'MANUAL', 'TRIGGER_DELTA_SYNC', 'MANUAL', 'MANUAL', 'MANUAL']);
    expect(d.plan.steps.some((s) => ['SET_ANCHOR', 'CLEAR_ANCHOR', 'RENAME_UPN_TEMPORARILY', 'PURGE_DELETED_USER'].includes(s.kind))).toBe(
      false,
    );
  });

  it('says exactly what to do: unjoin, keep the AD user out meanwhile, restore, back in scope, match again', () => {
    const [unjoin, keepOut, , restore, backIn, again] = d.plan.steps;
    // Without this, the sync that soft-deletes the target would create a new user with the freed UPN.
    expect(keepOut?.kind === 'MANUAL' && keepOut.action).toEqual({ kind: 'SCOPE_OUT', dn: 'CN=jdoe,OU=Staff,DC=contoso,DC=com' });
    expect(backIn?.kind === 'MANUAL' && backIn.action).toEqual({ kind: 'SCOPE_IN', dn: 'CN=jdoe,OU=Staff,DC=contoso,DC=com' });
    expect(unjoin?.kind === 'MANUAL' && unjoin.instruction).toContain('Take CN=John Doe,OU=Users,DC=fabrikam,DC=local out of');
    expect(restore?.kind === 'MANUAL' && restore.instruction).toContain('Deleted users');
    expect(restore?.kind === 'MANUAL' && restore.action).toEqual({
      kind: 'RESTORE_DELETED_USER',
      subject: { userId: IDS.original, userPrincipalName: 'jdoe@contoso.com' },
    });
    expect(again?.kind === 'MANUAL' && again.action).toEqual({ kind: 'RUN_MATCH_AGAIN', command: 'match jdoe to jdoe@contoso.com' });
  });
});

describe('scenario 8: federated-domain UPN', () => {
  it('renames to the initial domain before setting the anchor; the sync writes the UPN back', () => {
    const d = diagnose(federatedUpn());
    expect(codes(d)).toEqual(['TARGET_HAS_OTHER_ANCHOR', 'FEDERATED_DOMAIN']);
    expect(kinds(d)).toEqual(['RENAME_UPN_TEMPORARILY', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(step(d.plan.steps, 'RENAME_UPN_TEMPORARILY')).toMatchObject({
      from: 'jdoe@fabrikam.com',
      to: 'jdoe@contoso.onmicrosoft.com',
      irreversible: false,
    });
    expect(step(d.plan.steps, 'RENAME_UPN_TEMPORARILY').description).toContain('the sync writes the AD UPN jdoe@fabrikam.com back');
  });
});

describe('scenario 9: admin roles and tenant switches', () => {
  it('roles: removed by a person before, assigned again after the verified match', () => {
    const d = diagnose(adminRoleHolder());
    expect(codes(d)).toEqual(['TARGET_HAS_ADMIN_ROLE']);
    expect(kinds(d)).toEqual(['MANUAL', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED', 'MANUAL']);
    expect(step(d.plan.steps, 'MANUAL', 0).action).toMatchObject({
      kind: 'REMOVE_ADMIN_ROLES',
      roles: ['Global Administrator', 'Exchange Administrator'],
    });
    expect(step(d.plan.steps, 'MANUAL', 1).action).toMatchObject({
      kind: 'ASSIGN_ADMIN_ROLES',
      roles: ['Global Administrator', 'Exchange Administrator'],
    });
  });

  it('takeover switch: turned off around the joining sync', () => {
    const d = diagnose(adminRoleHolder({ switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } }));
    expect(codes(d)).toEqual(['TARGET_HAS_ADMIN_ROLE', 'HARD_MATCH_TAKEOVER_BLOCKED']);
    expect(kinds(d)).toEqual(['MANUAL', 'SET_ANCHOR', 'MANUAL', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED', 'MANUAL', 'MANUAL']);
    expect(step(d.plan.steps, 'MANUAL', 1).action).toEqual({
      kind: 'SET_SYNC_SWITCH',
      feature: 'blockCloudObjectTakeoverThroughHardMatchEnabled',
      enabled: false,
    });
    expect(step(d.plan.steps, 'MANUAL', 2).action).toEqual({
      kind: 'SET_SYNC_SWITCH',
      feature: 'blockCloudObjectTakeoverThroughHardMatchEnabled',
      enabled: true,
    });
  });

  it('soft-match switch: info, since the plan sets the anchor', () => {
    const d = diagnose(adminRoleHolder({ switches: { blockSoftMatchEnabled: true } }));
    expect(d.findings.map((f) => [f.code, f.severity])).toEqual([
      ['TARGET_HAS_ADMIN_ROLE', 'blocker'],
      ['SOFT_MATCH_BLOCKED', 'info'],
    ]);
  });
});

describe('scenario 10: bulk re-link of a migrated OU', () => {
  it('each user diagnoses like scenario 4', () => {
    const users = [
      bulkUser('ibulk1', 'a169d65f-6c12-4642-8db3-2be9535b188f', IDS.original),
      bulkUser('ibulk2', 'f5fabd11-6acd-4607-86de-a179a0ae91c8', IDS.other),
      bulkUser('ibulk3', '23fc0bf7-12d5-474c-8ecf-66774c970084', IDS.third),
    ].map(diagnose);
    expect(users.map(codes)).toEqual([['TARGET_HAS_OTHER_ANCHOR'], ['TARGET_HAS_OTHER_ANCHOR'], ['TARGET_HAS_OTHER_ANCHOR']]);
    expect(users.map((d) => step(d.plan.steps, 'SET_ANCHOR').immutableId)).toEqual([
      'X9ZpoRJsQkaNsyvpU1sYjw==',
      'Eb369c1qB0aG3qF5oK6RyA==',
      '9wv8I9USTEeOz2Z3TJcAhA==',
    ]);
  });
});

describe('controls', () => {
  it('healthy joined user: ALREADY_MATCHED, nothing to do', () => {
    const d = diagnose(healthyMatch());
    expect(codes(d)).toEqual(['ALREADY_MATCHED']);
    expect(d.plan).toMatchObject({ nothingToDo: true, steps: [] });
    expect(d.plan.target?.id).toBe(IDS.original);
  });

  it('disabled AD account: still diagnosable, with a warning', () => {
    const d = diagnose(healthyMatch(false));
    expect(d.findings.map((f) => [f.code, f.severity])).toEqual([
      ['ONPREM_DISABLED', 'warning'],
      ['ALREADY_MATCHED', 'info'],
    ]);
  });

  it('nothing in the cloud: the next sync creates the user, nothing to do', () => {
    const d = diagnose(noCloudUser());
    expect(codes(d)).toEqual(['NO_CLOUD_CANDIDATE']);
    expect(d.plan).toEqual({ target: null, steps: [], nothingToDo: true });
  });

  it('candidates are listed active first, then deleted', () => {
    const d = diagnose(anchorInRecycleBin());
    expect(d.candidates.map((c) => c.user.id)).toEqual([IDS.original, IDS.deleted]);
    expect(d.who).toBe('jdoe');
  });
});
