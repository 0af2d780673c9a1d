/**
 * Every finding code `diagnose` produces: its severity, the values its evidence must name, and
 * the plan step (or action) its remedy must point at. ONPREM_NOT_FOUND / ONPREM_AMBIGUOUS are in
 * onprem.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, FINDING_CODES, type Diagnosis } from '../../../src/domain/diagnosis/index.ts';
import {
  adUser,
  cloudUser,
  codes,
  deleted,
  evidence,
  evidenceText,
  findingOf,
  IDS,
  JDOE_ANCHOR,
  OTHER_ANCHOR,
  syncedUser,
  tenant,
} from './builders.ts';
import {
  adminRoleHolder,
  duplicateAfterSync,
  federatedUpn,
  healthyMatch,
  noCloudUser,
  nonRoutableSuffix,
  oldImmutableId,
  original,
  outOfSyncScope,
  smtpOnGroup,
  targetAlreadySynced,
  anchorInRecycleBin,
} from './scenarios.ts';

const jdoe = adUser();
const second = cloudUser({ id: IDS.other, userPrincipalName: 'john.doe@contoso.com', proxyAddresses: ['SMTP:jdoe@contoso.com'] });

describe('anchor and target findings', () => {
  it('ALREADY_MATCHED: info, names the user, the anchor and the DN', () => {
    const f = findingOf(diagnose(healthyMatch()), 'ALREADY_MATCHED');
    expect(f.severity).toBe('info');
    expect(evidenceText(f)).toContain(
      `jdoe@contoso.com (id ${IDS.original}) is synced and holds ${JDOE_ANCHOR} (GUID 04e278dc-0512-4dc7-ab22-156d99c343ca)`,
    );
    expect(evidenceText(f)).toContain('CN=jdoe,OU=Staff,DC=contoso,DC=com');
    expect(f.remedy).toMatch(/^Nothing to do/);
    expect(f.userIds).toEqual([IDS.original]);
  });

  it('ANCHOR_SET_NOT_SYNCED: warning, remedy points at the scope step, the sync and the check', () => {
    const f = findingOf(diagnose(outOfSyncScope()), 'ANCHOR_SET_NOT_SYNCED');
    expect(f.severity).toBe('warning');
    expect(evidenceText(f)).toContain('last sync: never');
    expect(evidenceText(f)).toContain('outside the sync scope');
    expect(f.remedy).toBe(
      'Step 1: make sure CN=jdoe,OU=Not Synced,DC=contoso,DC=com is in sync scope; step 2 runs a delta sync and step 3 checks the join.',
    );
  });

  it('ANCHOR_HELD_BY_OTHER_USER (synced duplicate): blocker, placeholder UPN named, remedy walks steps 1 to 4', () => {
    const f = findingOf(diagnose(duplicateAfterSync()), 'ANCHOR_HELD_BY_OTHER_USER');
    expect(f.severity).toBe('blocker');
    expect(evidenceText(f)).toContain(`jdoe+4821@contoso.onmicrosoft.com (id ${IDS.duplicate}) holds ${JDOE_ANCHOR}`);
    expect(evidenceText(f)).toContain("Entra's placeholder for a duplicate of jdoe@contoso.com");
    expect(f.remedy).toContain('Steps 1 and 2 take CN=jdoe,OU=Staff,DC=contoso,DC=com out of sync scope and sync');
    expect(f.remedy).toContain('step 3 purges it (IRREVERSIBLE');
    expect(f.remedy).toContain('step 4 sets the anchor on jdoe@contoso.com');
  });

  it('ANCHOR_HELD_BY_OTHER_USER (cloud-only holder, explicit target): cleared before the anchor is set', () => {
    const holder = cloudUser({ id: IDS.other, userPrincipalName: 'old.jdoe@contoso.com', immutableId: JDOE_ANCHOR });
    const d = diagnose({
      who: 'jdoe',
      onPrem: jdoe,
      evidence: evidence({
        candidates: [
          [original(), 'upn'],
          [holder, 'anchor'],
        ],
        target: { requested: 'jdoe@contoso.com', user: original() },
      }),
    });
    expect(d.plan.steps.map((s) => s.kind)).toEqual(['CLEAR_ANCHOR', 'SET_ANCHOR', 'TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(d.plan.steps[0]).toMatchObject({ subject: { userId: IDS.other }, previous: JDOE_ANCHOR });
    const f = findingOf(d, 'ANCHOR_HELD_BY_OTHER_USER');
    expect(f.severity).toBe('blocker');
    expect(f.remedy).toMatch(/^Step 1 clears it .*step 2 sets it on jdoe@contoso.com\.$/);
  });

  it('ANCHOR_HELD_BY_DELETED_USER: blocker, remedy names the purge as IRREVERSIBLE', () => {
    const f = findingOf(diagnose(anchorInRecycleBin()), 'ANCHOR_HELD_BY_DELETED_USER');
    expect(f.severity).toBe('blocker');
    expect(evidenceText(f)).toContain(
      `john.doe.old@contoso.com (id ${IDS.deleted}, in the recycle bin since 2026-02-21T09:15:00Z) still holds ${JDOE_ANCHOR}`,
    );
    expect(f.remedy).toBe('Step 1 purges it from the recycle bin (IRREVERSIBLE); then step 2 sets the anchor on jdoe@contoso.com.');
  });

  it('ANCHOR_HELD_BY_DELETED_USER (synced holder): says the next sync would restore the old account instead', () => {
    const f = findingOf(diagnose(anchorInRecycleBin(true)), 'ANCHOR_HELD_BY_DELETED_USER');
    expect(evidenceText(f)).toContain('the next sync restores that old account instead of matching jdoe@contoso.com');
  });

  it('ANCHOR_HELD_BY_DELETED_USER with no active account: a synced holder is simply restored by the sync', () => {
    const old = deleted(syncedUser({ id: IDS.deleted, userPrincipalName: 'jdoe@contoso.com', immutableId: JDOE_ANCHOR, dn: jdoe.dn }));
    const d = diagnose({ who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[old, 'anchor']] }) });
    expect(d.plan.steps.map((s) => s.kind)).toEqual(['TRIGGER_DELTA_SYNC', 'VERIFY_JOINED']);
    expect(findingOf(d, 'ANCHOR_HELD_BY_DELETED_USER').severity).toBe('info');
    expect(d.prediction?.nowText).toBe(
      `The next sync restores jdoe@contoso.com (id ${IDS.deleted}, in the recycle bin since 2026-02-21T09:15:00Z) from the recycle bin and joins it.`,
    );
  });

  it('ANCHOR_HELD_BY_DELETED_USER with no active account: a cloud-only holder needs a decision (blocked)', () => {
    const old = deleted(cloudUser({ id: IDS.deleted, userPrincipalName: 'jdoe@contoso.com', immutableId: JDOE_ANCHOR }));
    const d = diagnose({ who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[old, 'anchor']] }) });
    expect(d.plan.steps).toEqual([]);
    expect(d.plan.blockedReason).toContain('restore it');
    expect(d.plan.blockedReason).toContain('delete it permanently');
    expect(findingOf(d, 'ANCHOR_HELD_BY_DELETED_USER')).toMatchObject({ severity: 'blocker', remedy: d.plan.blockedReason });
  });

  it('TARGET_HAS_OTHER_ANCHOR: warning, the old value decoded, InvalidSoftMatch explained, remedy names the SET step', () => {
    const f = findingOf(diagnose(oldImmutableId()), 'TARGET_HAS_OTHER_ANCHOR');
    expect(f.severity).toBe('warning');
    expect(evidenceText(f)).toContain('is ht/natkDmkWKzwrwXaoiEg== (GUID 6ae7df86-03d9-459a-8acf-0af05daa2212)');
    expect(evidenceText(f)).toContain("is cmigrated's own objectGUID");
    expect(evidenceText(f)).toContain('fails with InvalidSoftMatch');
    expect(f.remedy).toBe(
      'Step 1 overwrites it with J2skiYVObUKmhbFCH/nH3w==; the old value ht/natkDmkWKzwrwXaoiEg== is recorded so the step can be undone.',
    );
  });

  it('CONSISTENCY_GUID_DIFFERS: info, both values, which is effective, who holds the other', () => {
    const f = findingOf(diagnose(oldImmutableId()), 'CONSISTENCY_GUID_DIFFERS');
    expect(f.severity).toBe('info');
    expect(evidenceText(f)).toContain('objectGUID: 6ae7df86-03d9-459a-8acf-0af05daa2212 = ImmutableID ht/natkDmkWKzwrwXaoiEg==');
    expect(evidenceText(f)).toContain('mS-DS-ConsistencyGuid: 89246b27-4e85-426d-a685-b1421ff9c7df = ImmutableID J2skiYVObUKmhbFCH/nH3w==');
    expect(evidenceText(f)).toContain('The effective anchor is mS-DS-ConsistencyGuid');
    expect(evidenceText(f)).toContain(
      `cmigrated@contoso.com (id ${IDS.original}) holds ht/natkDmkWKzwrwXaoiEg==, the objectGUID of cmigrated`,
    );
    expect(f.remedy).toContain('set SOURCE_ANCHOR=objectGUID on the relay');
  });

  it('TARGET_IS_SYNCED: blocker naming the DN it is joined to; remedy lists what a person does', () => {
    const f = findingOf(diagnose(targetAlreadySynced()), 'TARGET_IS_SYNCED');
    expect(f.severity).toBe('blocker');
    expect(f.title).toBe('jdoe@contoso.com is already synced, joined to CN=John Doe,OU=Users,DC=fabrikam,DC=local');
    expect(evidenceText(f)).toContain(
      `It holds ${OTHER_ANCHOR} (GUID d1b718e3-957d-4c64-a0d7-a137bbb799b7), not jdoe's anchor ${JDOE_ANCHOR}`,
    );
    expect(evidenceText(f)).toContain(
      "If CN=John Doe,OU=Users,DC=fabrikam,DC=local is a different person, jdoe@contoso.com is not jdoe's account",
    );
    expect(f.remedy).toContain('steps 1, 2, 4, 5 and 6');
    expect(f.remedy).toContain('keep jdoe out of scope meanwhile');
    expect(f.remedy).toContain('restore jdoe@contoso.com from the recycle bin');
  });

  it('TARGET_IS_SYNCED through the other anchor attribute: blocked, pointing at SOURCE_ANCHOR', () => {
    const onPrem = adUser({ consistencyGuid: 'd1b718e3-957d-4c64-a0d7-a137bbb799b7' });
    const synced = syncedUser({ id: IDS.original, userPrincipalName: 'jdoe@contoso.com', immutableId: JDOE_ANCHOR, dn: onPrem.dn });
    const d = diagnose({ who: 'jdoe', onPrem, evidence: evidence({ candidates: [[synced, 'upn', 'otherAnchor']] }) });
    expect(codes(d)).toEqual(['TARGET_IS_SYNCED', 'CONSISTENCY_GUID_DIFFERS']);
    expect(d.plan.steps).toEqual([]);
    expect(d.plan.blockedReason).toContain('Set SOURCE_ANCHOR=objectGUID on the relay');
  });

  it('NO_CLOUD_CANDIDATE: info when nothing is tied to the person', () => {
    const f = findingOf(diagnose(noCloudUser()), 'NO_CLOUD_CANDIDATE');
    expect(f.severity).toBe('info');
    expect(evidenceText(f)).toContain('The next sync creates a new cloud user for CN=jdoe,OU=Staff,DC=contoso,DC=com');
    expect(f.remedy).toContain('`match jdoe to <its UPN>`');
  });

  it('NO_CLOUD_CANDIDATE: blocker when the named target does not exist', () => {
    const d = diagnose({ who: 'jdoe', onPrem: jdoe, evidence: evidence({ target: { requested: 'nobody@contoso.com', user: null } }) });
    const f = findingOf(d, 'NO_CLOUD_CANDIDATE');
    expect(f.severity).toBe('blocker');
    expect(f.title).toBe('There is no cloud user "nobody@contoso.com"');
    expect(d.plan.blockedReason).toContain('type `match jdoe to <UPN or object id>`');
  });

  it('NO_CLOUD_CANDIDATE: blocker when the named target is in the recycle bin', () => {
    const gone = deleted(original());
    const d = diagnose({ who: 'jdoe', onPrem: jdoe, evidence: evidence({ target: { requested: IDS.original, user: gone } }) });
    expect(findingOf(d, 'NO_CLOUD_CANDIDATE')).toMatchObject({
      severity: 'blocker',
      title: `The cloud user "${IDS.original}" is in the recycle bin`,
    });
    expect(d.plan.blockedReason).toContain('Restore it first');
    expect(d.plan.steps).toEqual([]);
  });

  it('MULTIPLE_CLOUD_CANDIDATES: blocker listing each candidate; the plan says what to type', () => {
    const d = diagnose({
      who: 'jdoe',
      onPrem: jdoe,
      evidence: evidence({
        candidates: [
          [original({ proxyAddresses: [], mail: null }), 'upn'],
          [second, 'primarySmtp'],
        ],
      }),
    });
    const f = findingOf(d, 'MULTIPLE_CLOUD_CANDIDATES');
    expect(f.severity).toBe('blocker');
    expect(evidenceText(f)).toContain(`jdoe@contoso.com (id ${IDS.original}): cloud-only, has the UPN jdoe@contoso.com`);
    expect(evidenceText(f)).toContain(
      `john.doe@contoso.com (id ${IDS.other}): cloud-only, holds the primary SMTP address jdoe@contoso.com`,
    );
    expect(d.plan.steps).toEqual([]);
    expect(d.plan.blockedReason).toContain('type `match jdoe to jdoe@contoso.com` or `match jdoe to john.doe@contoso.com`');
    expect(f.remedy).toBe(d.plan.blockedReason);
  });
});

describe('name findings', () => {
  it('SMTP_CONFLICT: info when a MANUAL step frees the address, naming the group and ObjectTypeMismatch', () => {
    const f = findingOf(diagnose(smtpOnGroup()), 'SMTP_CONFLICT');
    expect(f.severity).toBe('info');
    expect(evidenceText(f)).toContain(`the group "Doe fans" (id ${IDS.group}) holds jdoe@contoso.com`);
    expect(evidenceText(f)).toContain('ObjectTypeMismatch');
    expect(f.remedy).toBe(`Step 1 removes jdoe@contoso.com from the group "Doe fans" (id ${IDS.group}) before the sync.`);
    expect(f.userIds).toEqual([IDS.group]);
  });

  it('SMTP_CONFLICT (scenario 1): info, the duplicate could not get the address; resolved by the plan', () => {
    const f = findingOf(diagnose(duplicateAfterSync()), 'SMTP_CONFLICT');
    expect(f.severity).toBe('info');
    expect(evidenceText(f)).toContain(
      `could not get jdoe@contoso.com because the cloud user jdoe@contoso.com (id ${IDS.original}) holds it`,
    );
    expect(f.remedy).toMatch(/^Resolved by the plan/);
  });

  it('UPN_CONFLICT: warning when another active user holds the UPN; the sync gives a placeholder', () => {
    const holder = cloudUser({ id: IDS.third, userPrincipalName: 'jdoe@contoso.com' });
    const d = diagnose({
      who: 'jdoe',
      onPrem: jdoe,
      evidence: evidence({
        candidates: [
          [second, 'primarySmtp'],
          [holder, 'upn'],
        ],
        target: { requested: 'john.doe@contoso.com', user: second },
      }),
    });
    const f = findingOf(d, 'UPN_CONFLICT');
    expect(f.severity).toBe('warning');
    expect(evidenceText(f)).toContain(
      `jdoe@contoso.com (id ${IDS.third}) already holds jdoe@contoso.com: the sync gives john.doe@contoso.com a placeholder UPN jdoe+NNNN@contoso.onmicrosoft.com`,
    );
    expect(f.remedy).toContain('change the UPN of jdoe@contoso.com');
    expect(findingOf(d, 'UPN_WILL_CHANGE').title).toBe(
      'The UPN of john.doe@contoso.com changes to jdoe+NNNN@contoso.onmicrosoft.com at the match',
    );
  });

  it('UPN_CONFLICT (scenario 1): info, explains the placeholder of the duplicate', () => {
    const f = findingOf(diagnose(duplicateAfterSync()), 'UPN_CONFLICT');
    expect(f.severity).toBe('info');
    expect(f.remedy).toBe('Resolved by the plan: once the duplicate is purged and jdoe@contoso.com is joined, it keeps jdoe@contoso.com.');
  });

  it('UPN_SUFFIX_UNVERIFIED: info when step 1 fixes it, naming the suffix and the verified domains', () => {
    const f = findingOf(diagnose(nonRoutableSuffix()), 'UPN_SUFFIX_UNVERIFIED');
    expect(f.severity).toBe('info');
    expect(evidenceText(f)).toContain(
      'jdoe@contoso.local ends in contoso.local, which is not a verified domain of the tenant (verified: contoso.com, contoso.onmicrosoft.com and fabrikam.com)',
    );
    expect(evidenceText(f)).toContain('Entra turns it into jdoe@contoso.onmicrosoft.com');
    expect(f.remedy).toBe('Step 1 gives jdoe a UPN in a verified domain (e.g. jdoe@contoso.com) before the sync.');
  });

  it('UPN_WILL_CHANGE: info from → to when a MANUAL step gives the AD user a verified UPN first', () => {
    const f = findingOf(diagnose(nonRoutableSuffix()), 'UPN_WILL_CHANGE');
    expect(f.severity).toBe('info');
    expect(evidenceText(f)).toContain('jdoe@contoso.com → jdoe@contoso.onmicrosoft.com');
    expect(f.remedy).toBe('Step 1 avoids it: with jdoe@contoso.com as the AD UPN, the UPN stays as it is.');
  });

  it('UPN_WILL_CHANGE without a fix step: tells whom to tell or what to change', () => {
    const d = diagnose({ who: 'jdoe', onPrem: jdoe, evidence: evidence({ candidates: [[second, 'primarySmtp']] }) });
    const f = findingOf(d, 'UPN_WILL_CHANGE');
    expect(f.severity).toBe('warning');
    expect(evidenceText(f)).toContain('john.doe@contoso.com → jdoe@contoso.com');
    expect(f.remedy).toContain('Set-ADUser jdoe -UserPrincipalName john.doe@contoso.com');
  });

  it('PROVISIONING_ERRORS: info when the plan purges the user holding them, with each property and value, and who holds it', () => {
    const f = findingOf(diagnose(duplicateAfterSync()), 'PROVISIONING_ERRORS');
    expect(f.severity).toBe('info');
    expect(f.evidence).toEqual([
      `jdoe+4821@contoso.onmicrosoft.com (id ${IDS.duplicate}): PropertyConflict on UserPrincipalName jdoe@contoso.com since 2026-03-01T10:00:00Z, held by jdoe@contoso.com (id ${IDS.original})`,
      `jdoe+4821@contoso.onmicrosoft.com (id ${IDS.duplicate}): PropertyConflict on ProxyAddress SMTP:jdoe@contoso.com since 2026-03-01T10:00:00Z, held by jdoe@contoso.com (id ${IDS.original})`,
    ]);
    expect(f.remedy).toBe("jdoe+4821@contoso.onmicrosoft.com's errors go with it when step 3 purges it.");
  });
});

describe('tenant findings', () => {
  it('FEDERATED_DOMAIN: warning; remedy names the rename and the sync that writes the UPN back', () => {
    const f = findingOf(diagnose(federatedUpn()), 'FEDERATED_DOMAIN');
    expect(f.severity).toBe('warning');
    expect(evidenceText(f)).toContain('fabrikam.com is federated');
    expect(f.remedy).toBe(
      'Step 1 renames it to jdoe@contoso.onmicrosoft.com first; the sync in step 3 writes the AD UPN jdoe@fabrikam.com back.',
    );
    expect(findingOf(diagnose(federatedUpn()), 'TARGET_HAS_OTHER_ANCHOR').severity).toBe('warning');
  });

  it('TARGET_HAS_ADMIN_ROLE: blocker naming the roles and MC1262584', () => {
    const f = findingOf(diagnose(adminRoleHolder()), 'TARGET_HAS_ADMIN_ROLE');
    expect(f.severity).toBe('blocker');
    expect(f.title).toBe('jdoe@contoso.com holds Entra admin roles: Global Administrator and Exchange Administrator');
    expect(evidenceText(f)).toContain('MC1262584');
    expect(f.remedy).toBe(
      'Step 1 removes the roles (a person, in the Entra admin center); step 5 assigns them again once the match is verified.',
    );
  });

  it('HARD_MATCH_TAKEOVER_BLOCKED: blocker; MANUAL steps carry the Graph PATCH and the PowerShell', () => {
    const d = diagnose({
      ...anchorInRecycleBin(),
      evidence: {
        ...anchorInRecycleBin().evidence,
        tenant: tenant({ switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } }),
      },
    });
    const f = findingOf(d, 'HARD_MATCH_TAKEOVER_BLOCKED');
    expect(f.severity).toBe('blocker');
    expect(f.remedy).toMatch(/^Step 3: a Global Administrator turns it off just before the sync .* step 6 turns it back on/);
    const off = d.plan.steps[2];
    expect(off?.kind === 'MANUAL' && off.instruction).toContain('{"features":{"blockCloudObjectTakeoverThroughHardMatchEnabled":false}}');
    expect(off?.kind === 'MANUAL' && off.instruction).toContain(
      'Update-MgDirectoryOnPremiseSynchronization -OnPremisesDirectorySynchronizationId $s.Id',
    );
  });

  it('SOFT_MATCH_BLOCKED: warning when nothing sets the anchor (a person must pick the target first)', () => {
    const d = diagnose({
      who: 'jdoe',
      onPrem: jdoe,
      evidence: evidence({
        candidates: [
          [original({ proxyAddresses: [], mail: null }), 'upn'],
          [second, 'primarySmtp'],
        ],
        tenant: tenant({ switches: { blockSoftMatchEnabled: true } }),
      }),
    });
    const f = findingOf(d, 'SOFT_MATCH_BLOCKED');
    expect(f.severity).toBe('warning');
    expect(evidenceText(f)).toContain(
      `does not soft-match jdoe to john.doe@contoso.com (id ${IDS.other}) on its primary SMTP address jdoe@contoso.com`,
    );
    expect(f.remedy).toContain('type `match jdoe to <UPN>`');
  });

  it('SOFT_MATCH_BLOCKED: info when the plan sets the anchor', () => {
    const d = diagnose({
      ...smtpOnGroup(),
      evidence: { ...smtpOnGroup().evidence, tenant: tenant({ switches: { blockSoftMatchEnabled: true } }) },
    });
    expect(findingOf(d, 'SOFT_MATCH_BLOCKED')).toMatchObject({
      severity: 'info',
      remedy: 'Nothing to do: the plan sets the ImmutableID (step 2), so the sync hard-matches.',
    });
  });

  it('ONPREM_DISABLED: warning; the match still works', () => {
    const f = findingOf(diagnose(healthyMatch(false)), 'ONPREM_DISABLED');
    expect(f.severity).toBe('warning');
    expect(evidenceText(f)).toContain('CN=jdoe,OU=Staff,DC=contoso,DC=com is disabled in Active Directory');
    expect(f.remedy).toContain('Enable-ADAccount jdoe');
  });
});

describe('every finding', () => {
  const all: Diagnosis[] = [
    duplicateAfterSync(),
    anchorInRecycleBin(),
    smtpOnGroup(),
    oldImmutableId(),
    outOfSyncScope(),
    nonRoutableSuffix(),
    targetAlreadySynced(),
    federatedUpn(),
    adminRoleHolder({ switches: { blockCloudObjectTakeoverThroughHardMatchEnabled: true, blockSoftMatchEnabled: true } }),
    healthyMatch(false),
    noCloudUser(),
  ].map(diagnose);

  it('comes sorted: blockers, then warnings, then info', () => {
    const rank = { blocker: 0, warning: 1, info: 2 };
    for (const d of all) {
      const ranks = d.findings.map((f) => rank[f.severity]);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    expect(all[8]?.findings.map((f) => f.severity)).toEqual(['blocker', 'blocker', 'info']);
  });

  it('has a known code, a title, evidence and a remedy', () => {
    for (const f of all.flatMap((d) => d.findings)) {
      expect(FINDING_CODES).toContain(f.code);
      expect(f.title.length).toBeGreaterThan(10);
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.remedy.length).toBeGreaterThan(20);
      expect(`${f.remedy} ${f.evidence.join(' ')}`).not.toMatch(/undefined|\[object|step NaN|the plan the plan/);
    }
  });
});
