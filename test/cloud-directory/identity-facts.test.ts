/** What the bot's own token says about the 2026 steps it may run, folded into the tenant facts. */
import { describe, expect, it } from 'vitest';
import { withIdentityFacts } from '../../src/cloud-directory/identity-facts.ts';
import type { TenantFacts } from '../../src/domain/cloud.ts';

const OID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const JOB = { servicePrincipalId: 's', jobId: 'j', ruleId: 'r', includedContainers: null };

const facts = (over: Partial<TenantFacts> = {}): TenantFacts => ({
  initialDomain: 'contoso.onmicrosoft.com',
  domains: [],
  switches: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true },
  roleHolders: { [OID]: ['Hybrid Identity Administrator'] },
  ...over,
});

describe('withIdentityFacts', () => {
  it('names the write permissions the token lacks, Synchronization.ReadWrite.All only in a Cloud Sync tenant', () => {
    expect(withIdentityFacts(facts(), { roles: ['User.ReadWrite.All'], objectId: OID }).missingPermissions).toEqual([
      'User-OnPremisesSyncBehavior.ReadWrite.All',
    ]);
    const cloud = facts({
      syncEngine: { connectSync: false, connectVersion: null, cloudSync: [JOB] },
      missingPermissions: ['Application.Read.All'],
    });
    expect(withIdentityFacts(cloud, { roles: ['User-OnPremisesSyncBehavior.ReadWrite.All'], objectId: OID }).missingPermissions).toEqual([
      'Application.Read.All',
      'Synchronization.ReadWrite.All',
    ]);
  });

  it('says whether the identity holds a role that may clear a mapping, and nothing when the token says nothing', () => {
    expect(withIdentityFacts(facts(), { roles: [], objectId: OID }).canClearObjectIdentifier).toBe(true);
    expect(withIdentityFacts(facts({ roleHolders: {} }), { roles: [], objectId: OID }).canClearObjectIdentifier).toBe(false);
    expect(withIdentityFacts(facts(), { roles: [] }).canClearObjectIdentifier).toBeNull();
    expect(withIdentityFacts(facts(), undefined)).toEqual(facts());
  });
});
