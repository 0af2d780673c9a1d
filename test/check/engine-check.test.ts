/**
 * check's "Sync engine and directory role" section: the engine as `match` reads it, and whether
 * the bot's identity (the token's oid) holds a role that may clear onPremisesObjectIdentifier.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigurationCheck } from '../../src/cloud-directory/index.ts';
import { engineSection } from '../../src/check/engine-check.ts';
import { Report } from '../../src/check/report.ts';
import type { TenantFacts } from '../../src/domain/cloud.ts';

const OID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const JOB = {
  servicePrincipalId: '3e916d82-dd59-4944-824d-93092908fd8d',
  jobId: 'AD2AADProvisioning.x',
  ruleId: 'r',
  includedContainers: ['OU=Staff,DC=contoso,DC=com'],
};

function facts(over: Partial<TenantFacts>): TenantFacts {
  return {
    initialDomain: 'contoso.onmicrosoft.com',
    domains: [],
    switches: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true },
    roleHolders: {},
    ...over,
  };
}

async function run(
  tenant: TenantFacts,
  claims = { roles: [], objectId: OID },
): Promise<{ lines: string[]; failures: number; cloudSync: boolean | null }> {
  const lines: string[] = [];
  const report = new Report((l) => void lines.push(l));
  const graph = { tenantFacts: () => Promise.resolve(tenant) } as unknown as ConfigurationCheck;
  const state = await engineSection({ graph, timeoutMs: 1_000, unusable: undefined, claims }, report);
  return { lines, failures: report.failures, cloudSync: state.cloudSync };
}

describe('engineSection', () => {
  it('names Cloud Sync and its job scope, and the identity’s role', async () => {
    const r = await run(
      facts({
        syncEngine: { connectSync: false, connectVersion: null, cloudSync: [JOB] },
        roleHolders: { [OID]: ['Hybrid Identity Administrator'] },
      }),
    );
    expect(r.lines.join('\n')).toContain(
      'OK: found Entra Cloud Sync: job AD2AADProvisioning.x (OU=Staff,DC=contoso,DC=com); plans sync through PROVISION_ON_DEMAND.',
    );
    expect(r.lines.join('\n')).toContain(
      `OK: the bot's identity (${OID}) holds Hybrid Identity Administrator: it may clear onPremisesObjectIdentifier.`,
    );
    expect(r.failures).toBe(0);
    expect(r.cloudSync).toBe(true);
  });

  it('names both engines, and fails without the role, with the fix', async () => {
    const r = await run(
      facts({
        syncEngine: { connectSync: true, connectVersion: '2.5.190.0', cloudSync: [JOB] },
        roleHolders: { [OID]: ['User Administrator'] },
      }),
    );
    const text = r.lines.join('\n');
    expect(text).toContain('found both Entra Connect Sync 2.5.190.0 (syncs run through the relay) and Entra Cloud Sync');
    expect(text).toContain('FAILED');
    expect(text).toContain('Hybrid Identity Administrator → Add assignments');
    expect(r.failures).toBe(1);
  });

  it('says what the identity could not read', async () => {
    const r = await run(
      facts({
        syncEngine: { connectSync: true, connectVersion: null, cloudSync: [] },
        missingPermissions: ['Application.Read.All'],
        roleHolders: { [OID]: ['Global Administrator'] },
      }),
    );
    expect(r.lines.join('\n')).toContain('(not everything could be read: the identity lacks Application.Read.All; see Graph permissions)');
    expect(r.cloudSync).toBe(false);
  });
});
