/**
 * evidenceFor against the real emulator through the real Graph SDK: each look-up kind finds its
 * user (and no decoy), candidates are deduplicated with all their reasons, deleted holders and
 * groups are reported, roles come from the tenant facts for active candidates only (or are read
 * fresh on request), the named target joins in, and the whole thing costs exactly one HTTP round
 * trip (two with fresh roles).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvidence, TenantFacts } from '../../src/domain/cloud.ts';
import { AD, adUser, C, HOSTILE_IMMUTABLE_ID, immutableIdOf, ASMITH_CONSISTENCY_GUID, ASMITH_OBJECT_GUID } from './fixtures.ts';
import { countRequests, startCloud, type CloudHarness } from './harness.ts';

let h: CloudHarness;
let tenant: TenantFacts;
beforeAll(async () => {
  h = await startCloud();
  tenant = await h.directory.tenantFacts();
});
afterAll(() => h.close());

const summary = (e: CloudEvidence) => e.candidates.map((c) => ({ id: c.user.id, reasons: c.reasons }));

describe('evidenceFor', () => {
  it('finds each kind of collision once, with every reason, strongest first, in 1 round trip', async () => {
    const { result, requests } = await countRequests(h.emulator, () => h.directory.evidenceFor(AD.jdoe, { tenant }));
    expect(summary(result)).toEqual([
      { id: C.janeSynced, reasons: ['anchor'] },
      { id: C.jane, reasons: ['upn', 'primarySmtp', 'address'] },
      { id: C.alias, reasons: ['address'] },
      { id: C.mailOnly, reasons: ['address'] },
    ]);
    expect(requests).toBe(1);
    expect(result.tenant).toEqual(tenant);
    expect(result.target).toBeUndefined();
  });

  it('maps the synced duplicate with its onPremises properties and provisioning errors', async () => {
    const evidence = await h.directory.evidenceFor(AD.jdoe, { tenant });
    const synced = evidence.candidates.find((c) => c.user.id === C.janeSynced)?.user;
    expect(synced).toEqual({
      id: C.janeSynced,
      onPremisesObjectIdentifier: null,
      cloudManaged: false,
      userPrincipalName: 'jdoe1234@contoso.onmicrosoft.com',
      displayName: 'Jane Doe',
      mail: null,
      proxyAddresses: [],
      accountEnabled: true,
      immutableId: immutableIdOf('04e278dc-0512-4dc7-ab22-156d99c343ca'),
      synced: true,
      lastSyncDateTime: '2026-03-02T08:30:00Z',
      onPremisesDistinguishedName: 'CN=Jane Doe,OU=Staff,DC=contoso,DC=com',
      onPremisesSamAccountName: 'jdoe',
      onPremisesUserPrincipalName: 'jdoe@contoso.com',
      provisioningErrors: [
        {
          category: 'PropertyConflict',
          property: 'UserPrincipalName',
          value: 'jdoe@contoso.com',
          occurredDateTime: '2026-03-02T08:30:00Z',
        },
      ],
      createdDateTime: null,
      deletedDateTime: null,
      adminRoles: [],
    });
  });

  it("takes the active candidates' roles from the tenant facts' role holders", async () => {
    const evidence = await h.directory.evidenceFor(AD.jdoe, { tenant });
    const roles = Object.fromEntries(evidence.candidates.map((c) => [c.user.id, c.user.adminRoles]));
    expect(roles).toEqual({
      [C.janeSynced]: [],
      [C.jane]: ['Global Administrator', 'User Administrator'],
      [C.alias]: [],
      [C.mailOnly]: [],
    });
  });

  it('reports a mail-enabled group holding one of the addresses (ObjectTypeMismatch)', async () => {
    const evidence = await h.directory.evidenceFor(AD.jdoe, { tenant });
    expect(evidence.otherObjects).toEqual([
      { id: C.helpdesk, displayName: 'Helpdesk', mail: 'helpdesk@contoso.com', proxyAddresses: ['SMTP:helpdesk@contoso.com'] },
    ]);
  });

  it('finds the deleted holder of the effective anchor and the active holder of the other anchor', async () => {
    expect(AD.asmith.anchor.immutableId).toBe(immutableIdOf(ASMITH_CONSISTENCY_GUID));
    const { result, requests } = await countRequests(h.emulator, () => h.directory.evidenceFor(AD.asmith, { tenant }));
    expect(summary(result)).toEqual([
      { id: C.smithDeleted, reasons: ['anchor'] },
      { id: C.smithOld, reasons: ['otherAnchor'] },
    ]);
    const [deleted, old] = result.candidates;
    expect(deleted?.user.deletedDateTime).toBe('2026-02-21T09:15:00Z');
    expect(deleted?.user.immutableId).toBe(immutableIdOf(ASMITH_CONSISTENCY_GUID));
    expect(deleted?.user.adminRoles).toEqual([]);
    expect(old?.user.immutableId).toBe(immutableIdOf(ASMITH_OBJECT_GUID));
    expect(old?.user.adminRoles).toEqual(['User Administrator']);
    expect(requests).toBe(1);
  });

  it('reads the roles of the active candidates again with freshRoles, in 1 more round trip', async () => {
    const stale: TenantFacts = { ...tenant, roleHolders: {} };
    const cached = await h.directory.evidenceFor(AD.jdoe, { tenant: stale });
    expect(cached.candidates.find((c) => c.user.id === C.jane)?.user.adminRoles).toEqual([]);
    const { result, requests } = await countRequests(h.emulator, () =>
      h.directory.evidenceFor(AD.jdoe, { tenant: stale, freshRoles: true }),
    );
    expect(result.candidates.find((c) => c.user.id === C.jane)?.user.adminRoles).toEqual(['Global Administrator', 'User Administrator']);
    expect(requests).toBe(2);
  });

  it("reads the expected candidates' roles now in the look-ups' own round trip; only an unexpected one costs another", async () => {
    const stale: TenantFacts = { ...tenant, roleHolders: {} };
    const all = (await h.directory.evidenceFor(AD.jdoe, { tenant: stale })).candidates
      .filter((c) => c.user.deletedDateTime === null)
      .map((c) => c.user.id);
    const expected = await countRequests(h.emulator, () =>
      h.directory.evidenceFor(AD.jdoe, { tenant: stale, freshRoles: true, expectedCandidates: all }),
    );
    expect(expected.result.candidates.find((c) => c.user.id === C.jane)?.user.adminRoles).toEqual([
      'Global Administrator',
      'User Administrator',
    ]);
    expect(expected.requests).toBe(1);
    const missing = await countRequests(h.emulator, () =>
      h.directory.evidenceFor(AD.jdoe, { tenant: stale, freshRoles: true, expectedCandidates: all.filter((id) => id !== C.jane) }),
    );
    expect(missing.result.candidates.find((c) => c.user.id === C.jane)?.user.adminRoles).toEqual([
      'Global Administrator',
      'User Administrator',
    ]);
    expect(missing.requests).toBe(2);
  });

  it('makes exactly 1 round trip when nothing collides', async () => {
    const { result, requests } = await countRequests(h.emulator, () => h.directory.evidenceFor(AD.nobody, { tenant }));
    expect(result.candidates).toEqual([]);
    expect(result.otherObjects).toEqual([]);
    expect(requests).toBe(1);
  });

  it('sends more than 20 look-ups as concurrent 20-request chunks of one round trip', async () => {
    const { result, requests } = await countRequests(h.emulator, () => h.directory.evidenceFor(AD.bulk, { tenant }));
    expect(result.candidates).toEqual([]);
    expect(requests).toBe(2);
  });

  it("matches quotes, '&', '#', '%', '+' and '/' exactly, never the decoy a mis-encoding would hit", async () => {
    expect(AD.hostile.anchor.immutableId).toBe(HOSTILE_IMMUTABLE_ID);
    const evidence = await h.directory.evidenceFor(AD.hostile, { tenant });
    expect(summary(evidence)).toEqual([{ id: C.hostile, reasons: ['anchor', 'upn', 'primarySmtp', 'address'] }]);
  });

  it('matches non-ASCII addresses', async () => {
    const evidence = await h.directory.evidenceFor(AD.zoe, { tenant });
    expect(summary(evidence)).toEqual([{ id: C.zoe, reasons: ['primarySmtp'] }]);
  });

  it('uses mail as the primary SMTP address when the AD user has no proxyAddresses', async () => {
    const mailOnly = adUser({ sam: 'jm', objectGuid: '8283792f-786a-446c-8894-c0ab9c3a6933', mail: 'jalias@contoso.com' });
    const evidence = await h.directory.evidenceFor(mailOnly, { tenant });
    expect(summary(evidence)).toEqual([{ id: C.alias, reasons: ['primarySmtp'] }]);
  });

  it('adds the named target as a candidate with its roles, merging reasons when it was found anyway', async () => {
    const target = await h.directory.findUser(C.target);
    const { result, requests } = await countRequests(h.emulator, () =>
      h.directory.evidenceFor(AD.asmith, { tenant, target: { requested: 'target@contoso.com', user: target } }),
    );
    expect(summary(result)).toEqual([
      { id: C.target, reasons: ['target'] },
      { id: C.smithDeleted, reasons: ['anchor'] },
      { id: C.smithOld, reasons: ['otherAnchor'] },
    ]);
    expect(result.target).toEqual({ requested: 'target@contoso.com', user: target });
    expect(requests).toBe(1);

    const jane = await h.directory.findUser('jdoe@contoso.com');
    const merged = await h.directory.evidenceFor(AD.jdoe, { tenant, target: { requested: 'jdoe@contoso.com', user: jane } });
    expect(merged.candidates.find((c) => c.user.id === C.jane)?.reasons).toEqual(['target', 'upn', 'primarySmtp', 'address']);
    expect(merged.target?.user?.adminRoles).toEqual(['Global Administrator', 'User Administrator']);
  });

  it('keeps a target that does not exist as requested, with no candidate for it', async () => {
    const evidence = await h.directory.evidenceFor(AD.nobody, { tenant, target: { requested: 'ghost@contoso.com', user: null } });
    expect(evidence.candidates).toEqual([]);
    expect(evidence.target).toEqual({ requested: 'ghost@contoso.com', user: null });
  });
});
