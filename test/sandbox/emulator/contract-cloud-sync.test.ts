/**
 * Contract: a Cloud Sync tenant through the real Graph client: the service principal found by its
 * application template, its AD2AADProvisioning job, provisionOnDemand (the documented
 * stringKeyStringValuePair answer, the simulator run for that one AD object, 5 requests per 10 s
 * then 429 + Retry-After) and the provisioning logs; a Connect Sync-only tenant has none of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CLOUD_SYNC_APPLICATION_TEMPLATE_ID, CLOUD_SYNC_USER_RULE_ID } from '../../../src/sandbox/emulator/index.ts';
import { createProvisioningAgent } from '../../../src/sandbox/sync-simulator/index.ts';
import { onPremUser } from '../../support/users.ts';
import { graphFailure, ID, startGraph, testSeed, type Harness } from './graph-harness.ts';

/** The AD user Jane's synced cloud user (ID.janeSynced, anchor g8Pc...) belongs to; and one for Jane's cloud-only user. */
const JANE_DN = 'CN=Jane Doe,OU=Staff,DC=contoso,DC=com';
const jane = onPremUser({
  dn: JANE_DN,
  samAccountName: 'jdoe',
  userPrincipalName: 'jdoe@contoso.com',
  displayName: 'Jane Doe',
  mail: 'jdoe@contoso.com',
  proxyAddresses: [],
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function cloudSyncTenant(options: { permissions?: string[]; now?: () => Date } = {}): Promise<Harness> {
  const harness = await startGraph({ seed: { ...testSeed(), syncEngine: 'cloud-sync' }, ...options });
  harness.emulator.state.cloudSync?.connectAgent(
    createProvisioningAgent({ state: harness.emulator.state, listUsers: () => Promise.resolve([jane]) }),
  );
  return harness;
}

interface Ids {
  spId: string;
  jobId: string;
}

async function findJob(harness: Harness): Promise<Ids> {
  const sps = (await harness.client
    .api('/servicePrincipals')
    .filter(`applicationTemplateId eq '${CLOUD_SYNC_APPLICATION_TEMPLATE_ID}'`)
    .get()) as {
    value: { id: string; applicationTemplateId: string }[];
  };
  const sp = sps.value[0];
  const jobs = (await harness.client.api(`/servicePrincipals/${sp?.id ?? ''}/synchronization/jobs`).get()) as {
    value: { id: string; templateId: string }[];
  };
  return { spId: sp?.id ?? '', jobId: jobs.value[0]?.id ?? '' };
}

function onDemand(harness: Harness, ids: Ids, dn: string, ruleId = CLOUD_SYNC_USER_RULE_ID): Promise<{ key: string; value: string }> {
  return harness.client
    .api(`/servicePrincipals/${ids.spId}/synchronization/jobs/${ids.jobId}/provisionOnDemand`)
    .post({ parameters: [{ ruleId, subjects: [{ objectId: dn, objectTypeName: 'user' }] }] }) as Promise<{ key: string; value: string }>;
}

describe('the Cloud Sync service principal and job', () => {
  it('is found by application template, with one AD2AADProvisioning job', async () => {
    h = await cloudSyncTenant();
    const ids = await findJob(h);
    expect(ids.spId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids.jobId).toMatch(/^AD2AADProvisioning\./);
    const job = (await h.client.api(`/servicePrincipals/${ids.spId}/synchronization/jobs/${ids.jobId}`).get()) as Record<string, unknown>;
    expect(job).toMatchObject({ templateId: 'AD2AADProvisioning', schedule: { interval: 'PT2M', state: 'Active' } });
    const schema = (await h.client.api(`/servicePrincipals/${ids.spId}/synchronization/jobs/${ids.jobId}/schema`).get()) as {
      synchronizationRules: { id: string }[];
    };
    expect(schema.synchronizationRules.map((r) => r.id)).toEqual([CLOUD_SYNC_USER_RULE_ID]);
  });

  it('does not exist in a Connect Sync-only tenant', async () => {
    h = await startGraph();
    const sps = (await h.client
      .api('/servicePrincipals')
      .filter(`applicationTemplateId eq '${CLOUD_SYNC_APPLICATION_TEMPLATE_ID}'`)
      .get()) as { value: unknown[] };
    expect(sps.value).toEqual([]);
  });

  it('needs Application.Read.All to list service principals and Synchronization.Read.All for jobs', async () => {
    h = await cloudSyncTenant({ permissions: ['Synchronization.ReadWrite.All'] });
    expect(await graphFailure(h.client.api('/servicePrincipals').get())).toMatchObject({
      status: 403,
      code: 'Authorization_RequestDenied',
    });
    const sp = h.emulator.state.cloudSync?.servicePrincipal.id ?? '';
    await expect(h.client.api(`/servicePrincipals/${sp}/synchronization/jobs`).get()).resolves.toBeTruthy();
  });
});

describe('provisionOnDemand', () => {
  it('runs the sync for that one AD object and answers each step, with the joined object', async () => {
    h = await cloudSyncTenant();
    const ids = await findJob(h);
    const answer = await onDemand(h, ids, JANE_DN);
    expect(JSON.parse(answer.key)).toEqual({ result: 'Success', details: {} });
    const value = JSON.parse(answer.value) as {
      provisioningSteps: { type: string; status: string; details: Record<string, string> }[];
      targetIdentity: { id: string };
      action: string;
    };
    expect(value.provisioningSteps.map((s) => `${s.type}:${s.status}`)).toEqual([
      'Import:Success',
      'Scoping:Success',
      'Matching:Success',
      'Export:Success',
    ]);
    expect(value.provisioningSteps[2]?.details).toMatchObject({ matchedObjectId: ID.janeSynced, outcome: 'UPDATE' });
    expect(value).toMatchObject({ action: 'Update', targetIdentity: { id: ID.janeSynced } });
    expect(h.emulator.state.activeUser(ID.janeSynced)?.onPremisesObjectIdentifier).toBe(jane.objectGuid);
  });

  it('reports a failed export in Microsoft’s words and logs it in /auditLogs/provisioning', async () => {
    h = await cloudSyncTenant();
    h.emulator.state.updateSyncedUser(ID.janeSynced, { onPremisesObjectIdentifier: '3f8a61d2-9c47-4e0b-b5d3-0a6e27c4f915' });
    const ids = await findJob(h);
    const answer = await onDemand(h, ids, JANE_DN);
    const text = 'Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.';
    expect(JSON.parse(answer.key)).toEqual({ result: 'Failure', details: { errorCode: 'InvalidHardMatch', errorMessage: text } });
    const logs = (await h.client.api('/auditLogs/provisioning').get()) as { value: Record<string, unknown>[] };
    expect(logs.value[0]).toMatchObject({
      jobId: ids.jobId,
      provisioningAction: 'update',
      provisioningStatusInfo: { status: 'failure', errorInformation: { errorCode: 'InvalidHardMatch', reason: text } },
      servicePrincipal: { id: ids.spId },
      sourceIdentity: { id: jane.objectGuid, identityType: 'user' },
    });
    expect((logs.value[0]?.['provisioningSteps'] as { provisioningStepType: string }[]).map((s) => s.provisioningStepType)).toEqual([
      'import',
      'scoping',
      'matching',
      'export',
    ]);
  });

  it('fails at import for a DN the agent cannot find', async () => {
    h = await cloudSyncTenant();
    const answer = await onDemand(h, await findJob(h), 'CN=Nobody,OU=Staff,DC=contoso,DC=com');
    expect(JSON.parse(answer.key)).toMatchObject({ result: 'Failure', details: { errorCode: 'ObjectNotFound' } });
  });

  it('is rate-limited at 5 requests per 10 s: the 6th gets 429 with Retry-After, and passes once the window moves', async () => {
    let now = Date.parse('2026-03-05T12:00:00Z');
    h = await cloudSyncTenant({ now: () => new Date(now) });
    const ids = await findJob(h);
    for (let i = 0; i < 5; i++) {
      await onDemand(h, ids, JANE_DN);
      now += 1000;
    }
    const response = await h.raw(`/v1.0/servicePrincipals/${ids.spId}/synchronization/jobs/${ids.jobId}/provisionOnDemand`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        parameters: [{ ruleId: CLOUD_SYNC_USER_RULE_ID, subjects: [{ objectId: JANE_DN, objectTypeName: 'user' }] }],
      }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('5');
    now += 5000;
    await expect(onDemand(h, ids, JANE_DN)).resolves.toBeTruthy();
  });

  it('refuses a bad body, an unknown rule and an unknown job with Graph’s errors', async () => {
    h = await cloudSyncTenant();
    const ids = await findJob(h);
    expect(await graphFailure(onDemand(h, ids, JANE_DN, 'not-a-rule'))).toMatchObject({ status: 400, code: 'BadRequest' });
    const empty = h.client
      .api(`/servicePrincipals/${ids.spId}/synchronization/jobs/${ids.jobId}/provisionOnDemand`)
      .post({ parameters: [] });
    expect(await graphFailure(empty)).toMatchObject({ status: 400, code: 'BadRequest' });
    expect(await graphFailure(onDemand(h, { ...ids, jobId: 'nope' }, JANE_DN))).toMatchObject({
      status: 404,
      code: 'Request_ResourceNotFound',
    });
  });

  it('needs Synchronization.ReadWrite.All; the logs need AuditLog.Read.All', async () => {
    h = await cloudSyncTenant({ permissions: ['Application.Read.All', 'Synchronization.Read.All'] });
    const ids = await findJob(h);
    expect(await graphFailure(onDemand(h, ids, JANE_DN))).toMatchObject({ status: 403, code: 'Authorization_RequestDenied' });
    expect(await graphFailure(h.client.api('/auditLogs/provisioning').get())).toMatchObject({
      status: 403,
      code: 'Authorization_RequestDenied',
    });
  });
});
