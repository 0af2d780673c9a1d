/** CLEAR_OBJECT_IDENTIFIER and PROVISION_ON_DEMAND through runStep and undoStep, over the hand fake. */
import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import { runStep, type StepDeps } from '../../src/execution/index.ts';
import { undoStep } from '../../src/execution/undo-step.ts';
import type { ProvisionOnDemandResult } from '../../src/ports/cloud-directory.ts';
import { fakeCloud, graphError, type FakeCloud } from './fake-cloud.ts';
import { ID, target } from './steps.ts';

const OLD_OBJECT = '0b7a3c9e-1d2f-4e5a-8b6c-7d8e9f0a1b2c';
const DN = 'CN=jdoe,OU=Staff,DC=contoso,DC=com';
const subject = { userId: ID.target, userPrincipalName: 'jdoe@contoso.com' };
const clearStep: Extract<PlanStep, { kind: 'CLEAR_OBJECT_IDENTIFIER' }> = {
  number: 2,
  irreversible: true,
  kind: 'CLEAR_OBJECT_IDENTIFIER',
  subject,
  previous: OLD_OBJECT,
  dn: DN,
  description: 'Clear onPremisesObjectIdentifier of jdoe@contoso.com',
};
const provisionStep: Extract<PlanStep, { kind: 'PROVISION_ON_DEMAND' }> = {
  number: 3,
  irreversible: false,
  kind: 'PROVISION_ON_DEMAND',
  dn: DN,
  job: { servicePrincipalId: '3e916d82-dd59-4944-824d-93092908fd8d', jobId: 'AD2AADProvisioning.x', ruleId: 'r1' },
  description: 'Sync the AD user now through Cloud Sync',
};

function deps(cloud: FakeCloud): StepDeps {
  return { cloud, sync: { triggerSync: () => Promise.reject(new Error('no delta sync in a Cloud Sync tenant')) } };
}

describe('CLEAR_OBJECT_IDENTIFIER', () => {
  it('clears the mapping the plan saw and records the old value (for the audit: it cannot be written back)', async () => {
    const cloud = fakeCloud([target({ onPremisesObjectIdentifier: OLD_OBJECT })]);
    const result = await runStep(clearStep, deps(cloud));
    expect(result).toMatchObject({
      status: 'done',
      before: { userId: ID.target, onPremisesObjectIdentifier: OLD_OBJECT },
      after: { userId: ID.target, onPremisesObjectIdentifier: null },
    });
    expect(result.status === 'done' && result.detail).toContain(`it named "${OLD_OBJECT}", another on-premises object`);
    expect(cloud.writes()).toEqual([{ op: 'clearObjectIdentifier', userId: ID.target }]);
  });

  it('writes nothing when already clear (a resumed run), and refuses with PLAN_DRIFT when it names yet another object', async () => {
    const clear = fakeCloud([target({ onPremisesObjectIdentifier: null })]);
    const again = await runStep(clearStep, deps(clear));
    expect(again.status === 'done' && again.detail).toContain('already empty');
    expect(clear.writes()).toEqual([]);
    const other = fakeCloud([target({ onPremisesObjectIdentifier: '11111111-2222-4333-8444-555555555555' })]);
    expect(await runStep(clearStep, deps(other))).toMatchObject({ status: 'failed', code: 'PLAN_DRIFT' });
    expect(other.writes()).toEqual([]);
    expect(await runStep(clearStep, deps(fakeCloud([])))).toMatchObject({ status: 'failed', code: 'PLAN_DRIFT' });
  });

  it('waits for a person (never fails the run) when Graph refuses the bot the clear, saying how to do it', async () => {
    const cloud = fakeCloud([target({ onPremisesObjectIdentifier: OLD_OBJECT })]);
    cloud.failNext(
      'clearObjectIdentifier',
      graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
    );
    const result = await runStep(clearStep, deps(cloud));
    expect(result.status).toBe('waiting-for-person');
    expect(result.status === 'waiting-for-person' && result.detail).toContain(
      `Invoke-MgGraphRequest -Method PATCH -Uri https://graph.microsoft.com/beta/users/${ID.target}`,
    );
  });

  it('fails with Graph’s own code on any other refusal, keeping what it saw', async () => {
    const cloud = fakeCloud([target({ onPremisesObjectIdentifier: OLD_OBJECT })]);
    cloud.failNext(
      'clearObjectIdentifier',
      graphError(400, 'Request_BadRequest', 'Invalid value specified for property onPremisesObjectIdentifier.'),
    );
    expect(await runStep(clearStep, deps(cloud))).toMatchObject({
      status: 'failed',
      code: 'Request_BadRequest',
      before: { onPremisesObjectIdentifier: OLD_OBJECT },
    });
  });

  it('has nothing to undo, and says why', async () => {
    const undone = await undoStep(clearStep, { status: 'done', before: null, after: null, detail: '' }, deps(fakeCloud([])));
    expect(undone.status === 'done' && undone.detail).toContain('Graph accepts only null');
  });
});

describe('PROVISION_ON_DEMAND', () => {
  const success: ProvisionOnDemandResult = {
    result: 'Success',
    steps: [
      {
        name: 'EntryImport',
        type: 'Import',
        status: 'Success',
        description: "Retrieved user 'jdoe@contoso.com' from Active Directory",
        details: {},
      },
      {
        name: 'EntryMatching',
        type: 'Matching',
        status: 'Success',
        description: 'Matched',
        details: { matchingAttribute: 'mS-DS-ConsistencyGuid' },
      },
      { name: 'EntryExportUpdate', type: 'Export', status: 'Success', description: 'updated', details: {} },
    ],
    targetId: ID.target,
    errorCode: null,
    errorMessage: null,
  };

  it('sends the DN through the job and records each step and the joined cloud user', async () => {
    const cloud = fakeCloud([]);
    cloud.provisionAnswers.push(success);
    const result = await runStep(provisionStep, deps(cloud));
    expect(result).toMatchObject({ status: 'done', before: null, after: success });
    expect(result.status === 'done' && result.detail).toBe(
      `Cloud Sync synced ${DN} on demand (Success). It exported to the cloud user ${ID.target}. Steps: Import: Success; Matching: Success (matchingAttribute mS-DS-ConsistencyGuid); Export: Success.`,
    );
    expect(cloud.calls).toContainEqual({ op: 'provisionOnDemand', jobId: 'AD2AADProvisioning.x', dn: DN });
  });

  it('fails with the run’s own error code and words when Cloud Sync refused the export', async () => {
    const cloud = fakeCloud([]);
    const refused = 'Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.';
    cloud.provisionAnswers.push({
      result: 'Failure',
      steps: [{ name: 'EntryExportUpdate', type: 'Export', status: 'Failure', description: refused, details: {} }],
      targetId: null,
      errorCode: 'InvalidHardMatch',
      errorMessage: refused,
    });
    cloud.provisioningLog = {
      errorCode: 'InvalidHardMatch',
      reason: refused,
      recommendedAction: 'Clear onPremisesObjectIdentifier, then sync again.',
    };
    const result = await runStep(provisionStep, deps(cloud));
    expect(result).toMatchObject({ status: 'failed', code: 'InvalidHardMatch' });
    expect(result.status === 'failed' && result.detail).toContain(refused);
    expect(result.status === 'failed' && result.detail).toContain(
      'Provisioning log: Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.; recommended: Clear onPremisesObjectIdentifier, then sync again.',
    );
  });

  it('waits for a person to provision on demand when Graph refuses the bot the permission', async () => {
    const cloud = fakeCloud([]);
    cloud.failNext(
      'provisionOnDemand',
      graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
    );
    const result = await runStep(provisionStep, deps(cloud));
    expect(result.status === 'waiting-for-person' && result.detail).toContain(`Provision on demand, enter ${DN}`);
  });

  it('fails with Graph’s code when the call itself fails otherwise', async () => {
    const cloud = fakeCloud([]);
    cloud.failNext('provisionOnDemand', graphError(404, 'Request_ResourceNotFound', "Resource 'x' does not exist."));
    expect(await runStep(provisionStep, deps(cloud))).toMatchObject({ status: 'failed', code: 'Request_ResourceNotFound' });
  });
});
