/** A wave's sync by the tenant's engine: one delta sync (Connect Sync), or each user's own paced on-demand run (Cloud Sync). */
import { describe, expect, it } from 'vitest';
import { createWaveSync, type WaveSyncDeps } from '../../src/bulk/wave-sync.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { PlanStep } from '../../src/domain/diagnosis/types.ts';
import type { AuditEntry } from '../../src/domain/audit/types.ts';
import type { StepResult } from '../../src/execution/types.ts';

const JOB = { servicePrincipalId: 'sp-1', jobId: 'AD2AADProvisioning.1', ruleId: null };
const verify: PlanStep = { number: 3, kind: 'VERIFY_JOINED', irreversible: false, description: 'verify' } as PlanStep;

function child(id: string, engine: 'connect' | 'cloud'): ApprovalRequest {
  const sync: PlanStep =
    engine === 'connect'
      ? { number: 2, kind: 'TRIGGER_DELTA_SYNC', irreversible: false, description: 'sync' }
      : {
          number: 2,
          kind: 'PROVISION_ON_DEMAND',
          irreversible: false,
          description: 'sync',
          dn: `CN=${id},DC=contoso,DC=com`,
          job: JOB,
        };
  return { id, diagnosis: { plan: { steps: [sync, verify] } } } as unknown as ApprovalRequest;
}

const ok = (detail = 'ok'): StepResult => ({ status: 'done', before: null, after: { detail }, detail });

function world(answers: { delta?: StepResult; provision?: (dn: string) => StepResult } = {}) {
  const calls: string[] = [];
  const entries: AuditEntry[] = [];
  const deps: WaveSyncDeps = {
    deltaSync: () => {
      calls.push('delta');
      return Promise.resolve(answers.delta ?? ok());
    },
    provision: (step) => {
      if (step.kind !== 'PROVISION_ON_DEMAND') throw new Error('not a provisioning step');
      calls.push(`provision ${step.dn}`);
      return Promise.resolve(answers.provision?.(step.dn) ?? ok(`joined ${step.dn}`));
    },
    takeProvisionToken: () => {
      calls.push('token');
      return Promise.resolve();
    },
    audit: {
      append: (entry) => {
        entries.push(entry as AuditEntry);
        return Promise.resolve(entry as AuditEntry);
      },
    },
    now: () => 1_000,
  };
  return { deps, calls, entries };
}

describe('wave sync', () => {
  it('Connect Sync: one delta sync for the whole wave, no on-demand run', async () => {
    const { deps, calls, entries } = world();
    const wave = await createWaveSync(deps)([child('a', 'connect'), child('b', 'connect'), child('c', 'connect')]);
    expect(calls).toEqual(['delta']);
    expect(wave).toMatchObject({ result: { status: 'done' }, what: 'one delta sync', kind: 'TRIGGER_DELTA_SYNC' });
    expect(wave.failed.size).toBe(0);
    expect(entries).toEqual([]);
  });

  it("Cloud Sync: each user's own run, each after a token of the shared budget, each on its own trail; no delta sync", async () => {
    const { deps, calls, entries } = world();
    const wave = await createWaveSync(deps)([child('a', 'cloud'), child('b', 'cloud')]);
    expect(calls).toEqual(['token', 'provision CN=a,DC=contoso,DC=com', 'token', 'provision CN=b,DC=contoso,DC=com']);
    expect(wave).toMatchObject({ result: { status: 'done' }, what: '2 on-demand provisioning runs', kind: 'PROVISION_ON_DEMAND' });
    expect(entries.map((e) => [e.requestId, e.action, e.step?.kind])).toEqual([
      ['a', 'step-done', 'PROVISION_ON_DEMAND'],
      ['b', 'step-done', 'PROVISION_ON_DEMAND'],
    ]);
    expect(entries[0]?.summary).toContain('joined CN=a,DC=contoso,DC=com');
  });

  it("Cloud Sync: a user's failed run is that user's alone (reported, not verified); the wave and the others go on", async () => {
    const refused: StepResult = {
      status: 'failed',
      code: 'HardMatchBlocked',
      detail: 'Hard match operation blocked due to security hardening.',
    };
    const { deps, entries } = world({ provision: (dn) => (dn.startsWith('CN=b,') ? refused : ok()) });
    const wave = await createWaveSync(deps)([child('a', 'cloud'), child('b', 'cloud'), child('c', 'cloud')]);
    expect(wave.result.status).toBe('done');
    expect(wave.what).toBe('3 on-demand provisioning runs (1 failed)');
    expect([...wave.failed.keys()]).toEqual(['b']);
    expect(entries.find((e) => e.requestId === 'b')).toMatchObject({ action: 'step-failed' });
    expect(entries.find((e) => e.requestId === 'b')?.summary).toContain('HardMatchBlocked');
  });

  it('a failed delta sync fails the wave (nobody is verified against a sync that did not run)', async () => {
    const busy: StepResult = { status: 'failed', code: 'SYNC_BUSY', detail: 'The connector is busy.' };
    const { deps } = world({ delta: busy });
    const wave = await createWaveSync(deps)([child('a', 'connect')]);
    expect(wave.result).toEqual(busy);
  });

  it('a tenant moved to Cloud Sync mid-way: both kinds of users in one wave get their own sync', async () => {
    const { deps, calls } = world();
    const wave = await createWaveSync(deps)([child('a', 'connect'), child('b', 'cloud')]);
    expect(calls).toEqual(['delta', 'token', 'provision CN=b,DC=contoso,DC=com']);
    expect(wave.what).toBe('one delta sync and 1 on-demand provisioning run');
    expect(wave.kind).toBe('TRIGGER_DELTA_SYNC');
  });
});
