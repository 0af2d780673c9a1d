/**
 * The 2026 reads and writes against the Entra emulator, through the real Graph client: PIM
 * eligibility and the sync engine with the tenant facts, onPremisesObjectIdentifier and the source
 * of authority on every candidate in the evidence's one `/beta/$batch`, the null-only clear, and
 * provisionOnDemand's answer read into each step's result.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseProvisionAnswer } from '../../src/cloud-directory/cloud-sync.ts';
import { CLOUD_SYNC_JOB_TEMPLATE } from '../../src/domain/cloud.ts';
import { AD, C, cloudSeed } from './fixtures.ts';
import { countRequests, rejectionOf, startCloud, type CloudHarness } from './harness.ts';

let h: CloudHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const OLD_OBJECT = '0b7a3c9e-1d2f-4e5a-8b6c-7d8e9f0a1b2c';

function seed2026(
  syncEngine: 'connect-sync' | 'cloud-sync' | 'both' = 'connect-sync',
  appRoles: string[] = ['Hybrid Identity Administrator'],
) {
  const base = cloudSeed();
  return {
    ...base,
    users: (base.users ?? []).map((u) => (u.id === C.jane ? { ...u, onPremisesObjectIdentifier: OLD_OBJECT, isCloudManaged: true } : u)),
    roleEligibilities: [{ principalId: C.jane, role: 'User Administrator' }],
    syncEngine,
    app: { directoryRoles: appRoles },
  };
}

describe('tenant facts of 2026', () => {
  it('name who is eligible for which role, and a Connect Sync tenant, in one round trip', async () => {
    h = await startCloud({ emulator: { seed: seed2026() } });
    const { result, requests } = await countRequests(h.emulator, () => h!.directory.tenantFacts());
    expect(result.eligibleRoleHolders).toEqual({ [C.jane]: ['User Administrator'] });
    expect(result.syncEngine).toEqual({ connectSync: true, connectVersion: null, cloudSync: [] });
    expect(requests).toBe(1);
  });

  it('find the Cloud Sync job, its rule and scope with the tenant facts (jobs and schema follow the service principal)', async () => {
    h = await startCloud({ emulator: { seed: seed2026('cloud-sync') } });
    const facts = await h.directory.tenantFacts();
    const [job] = facts.syncEngine?.cloudSync ?? [];
    expect(job?.jobId.startsWith(CLOUD_SYNC_JOB_TEMPLATE)).toBe(true);
    expect(job?.ruleId).toBe('6c409270-f78a-4bc6-af23-7cf3ab6482fe');
    expect(job?.includedContainers).toBeNull();
    expect(facts.syncEngine?.connectSync).toBe(false);
  });
});

describe('evidence of 2026', () => {
  it('carries each candidate’s onPremisesObjectIdentifier, source of authority and PIM eligibility, still in 1 round trip', async () => {
    h = await startCloud({ emulator: { seed: seed2026() } });
    const tenant = await h.directory.tenantFacts();
    const { result, requests } = await countRequests(h.emulator, () => h!.directory.evidenceFor(AD.jdoe, { tenant }));
    const jane = result.candidates.find((c) => c.user.id === C.jane)?.user;
    expect(jane).toMatchObject({ onPremisesObjectIdentifier: OLD_OBJECT, cloudManaged: true, eligibleRoles: ['User Administrator'] });
    const synced = result.candidates.find((c) => c.user.id === C.janeSynced)?.user;
    expect(synced).toMatchObject({ onPremisesObjectIdentifier: null, cloudManaged: false });
    expect(requests).toBe(1);
  });
});

describe('clearObjectIdentifier', () => {
  it('clears the mapping on beta, read back as null', async () => {
    h = await startCloud({ emulator: { seed: seed2026() } });
    expect(await h.directory.objectIdentifierOf(C.jane)).toEqual({ exists: true, onPremisesObjectIdentifier: OLD_OBJECT });
    await h.directory.clearObjectIdentifier(C.jane);
    expect(await h.directory.objectIdentifierOf(C.jane)).toEqual({ exists: true, onPremisesObjectIdentifier: null });
    expect(await h.directory.objectIdentifierOf('00000000-0000-4000-8000-000000000001')).toEqual({
      exists: false,
      onPremisesObjectIdentifier: null,
    });
  });

  it('is refused with Graph’s 403 when the app holds neither Hybrid Identity Administrator nor Global Administrator', async () => {
    h = await startCloud({ emulator: { seed: seed2026('connect-sync', []) } });
    const err = await rejectionOf(h.directory.clearObjectIdentifier(C.jane));
    expect(err).toMatchObject({ code: 'CLOUD_AUTH_FAILED', status: 403 });
    expect(err.message).toContain('User-OnPremisesSyncBehavior.ReadWrite.All');
  });
});

describe('provisionOnDemand', () => {
  it('reads Graph’s documented answer: result, each step, the cloud user it exported to', () => {
    // Shortened from synchronization-synchronizationjob-provisionondemand.md, example 2 (AD to Entra, Cloud Sync).
    const answer = parseProvisionAnswer({
      key: '{"result":"Success","details":{}}',
      value: JSON.stringify({
        provisioningSteps: [
          {
            name: 'EntryImportAdd',
            type: 'Import',
            status: 'Success',
            description: "Received user 'adelev@chicago.com' change of type (Add) from Active Directory",
            details: { distinguishedName: 'CN=AdeleV,CN=Users,DC=corp,DC=chicago,DC=com' },
          },
          {
            name: 'EntrySynchronizationScoping',
            type: 'Scoping',
            status: 'Success',
            description: 'Determine if user in scope by evaluating against each scoping filter',
            details: {},
          },
          {
            name: 'EntryExportUpdate',
            type: 'Export',
            status: 'Success',
            description: "User 'adelev@chicago.com' was updated in Azure Active Directory",
            details: {},
          },
        ],
        statusInfo: { status: 'Success' },
        targetIdentity: { id: '87CB2512-8E7F-4543-A9C9-E7CF8756A3AD', type: 'User' },
      }),
    });
    expect(answer).toMatchObject({ result: 'Success', targetId: '87cb2512-8e7f-4543-a9c9-e7cf8756a3ad', errorCode: null });
    expect(answer.steps.map((s) => `${s.type}:${s.status}`)).toEqual(['Import:Success', 'Scoping:Success', 'Export:Success']);
  });

  it('tolerates an answer with text that is no JSON', () => {
    expect(parseProvisionAnswer({ key: 'not json', value: 7 })).toEqual({
      result: 'Unknown',
      steps: [],
      targetId: null,
      errorCode: null,
      errorMessage: null,
    });
  });

  it('sends the DN through the job and reports the failed import of a tenant whose agent is offline', async () => {
    h = await startCloud({ emulator: { seed: seed2026('cloud-sync') } });
    const [job] = (await h.directory.tenantFacts()).syncEngine?.cloudSync ?? [];
    if (!job) throw new Error('no Cloud Sync job');
    const answer = await h.directory.provisionOnDemand({ ...job, ruleId: null }, AD.jdoe.dn);
    expect(answer).toMatchObject({ result: 'Failure', errorCode: 'AgentUnavailable' });
    expect(answer.steps[0]).toMatchObject({ type: 'Import', status: 'Failure' });
    // The run is in the provisioning logs, with Entra's error.
    expect(await h.directory.provisioningLogOf(job.jobId)).toMatchObject({
      errorCode: 'AgentUnavailable',
      reason: expect.stringContaining('provisioning agent') as unknown,
    });
  });
});
