/**
 * A scan diagnoses each user from the in-memory index; `match` from Graph look-ups. For every
 * failure scenario the two must give the same findings, plan and prediction: the snapshot holds
 * the scenario's cloud users (active, deleted) and groups, plus unrelated users the index must
 * leave out.
 */
import { describe, expect, it } from 'vitest';
import { evidenceFromIndex, indexCloud } from '../../../src/domain/bulk/cloud-index.ts';
import { outcomeOf } from '../../../src/domain/bulk/outcome.ts';
import { diagnose, type DiagnoseInput } from '../../../src/domain/diagnosis/index.ts';
import { cloudUser } from '../diagnosis/builders.ts';
import * as scenarios from '../diagnosis/scenarios.ts';

const cases: [string, () => DiagnoseInput][] = [
  ['duplicate after sync', scenarios.duplicateAfterSync],
  ['anchor in the recycle bin', () => scenarios.anchorInRecycleBin()],
  ['anchor in the recycle bin, synced holder', () => scenarios.anchorInRecycleBin(true)],
  ['SMTP on a group', scenarios.smtpOnGroup],
  ['SMTP on a synced user', scenarios.smtpOnSyncedUser],
  ['old ImmutableID', scenarios.oldImmutableId],
  ['out of sync scope', scenarios.outOfSyncScope],
  ['non-routable suffix', scenarios.nonRoutableSuffix],
  ['target already synced', scenarios.targetAlreadySynced],
  ['federated UPN', scenarios.federatedUpn],
  ['admin role holder', () => scenarios.adminRoleHolder()],
  ['healthy match', () => scenarios.healthyMatch()],
  ['no cloud user', scenarios.noCloudUser],
];

const strangers = [
  cloudUser({
    id: 'aaaaaaaa-0000-4000-8000-000000000001',
    userPrincipalName: 'someone.else@contoso.com',
    mail: 'someone.else@contoso.com',
    proxyAddresses: ['SMTP:someone.else@contoso.com'],
  }),
  cloudUser({
    id: 'aaaaaaaa-0000-4000-8000-000000000002',
    userPrincipalName: 'other@fabrikam.com',
    immutableId: 'AAAAAAAAAAAAAAAAAAAAAA==',
  }),
];

function viaIndex(input: DiagnoseInput): DiagnoseInput {
  const users = input.evidence.candidates.map((c) => c.user);
  const index = indexCloud({
    users: [...strangers, ...users.filter((u) => u.deletedDateTime === null)],
    deleted: users.filter((u) => u.deletedDateTime !== null),
    groups: input.evidence.otherObjects,
  });
  const roleHolders = Object.fromEntries(users.filter((u) => u.adminRoles.length > 0).map((u) => [u.id, u.adminRoles]));
  const tenant = { ...input.evidence.tenant, roleHolders: { ...roleHolders, ...input.evidence.tenant.roleHolders } };
  if (!input.onPrem) throw new Error('scenario without an AD user');
  return { ...input, evidence: evidenceFromIndex(index, input.onPrem, tenant) };
}

describe('evidence from the index', () => {
  it.each(cases)('%s: the same diagnosis as match', (_name, make) => {
    const input = make();
    const fromGraph = diagnose(input);
    const fromIndex = diagnose(viaIndex(input));
    expect(fromIndex.findings.map((f) => f.code)).toEqual(fromGraph.findings.map((f) => f.code));
    expect(fromIndex.plan).toEqual(fromGraph.plan);
    expect(fromIndex.prediction).toEqual(fromGraph.prediction);
    expect(fromIndex.candidates.map((c) => c.user.id).sort()).toEqual(fromGraph.candidates.map((c) => c.user.id).sort());
    expect(outcomeOf(fromIndex)).toBe(outcomeOf(fromGraph));
  });

  it("finds users by address case-insensitively and never by a deleted user's UPN", () => {
    const input = scenarios.healthyMatch();
    const onPrem = input.onPrem;
    if (!onPrem) throw new Error('no AD user');
    const shouting = cloudUser({
      id: 'bbbbbbbb-0000-4000-8000-000000000001',
      userPrincipalName: 'X@contoso.com',
      mail: null,
      proxyAddresses: [`smtp:${onPrem.mail?.toUpperCase() ?? ''}`],
    });
    const gone = {
      ...cloudUser({ id: 'bbbbbbbb-0000-4000-8000-000000000002', userPrincipalName: onPrem.userPrincipalName ?? '' }),
      deletedDateTime: '2026-01-01T00:00:00Z',
    };
    const evidence = evidenceFromIndex(indexCloud({ users: [shouting], deleted: [gone], groups: [] }), onPrem, input.evidence.tenant);
    expect(evidence.candidates.map((c) => [c.user.id, c.reasons])).toEqual([[shouting.id, ['primarySmtp']]]);
  });
});
