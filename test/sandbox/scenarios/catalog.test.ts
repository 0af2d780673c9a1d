/**
 * The catalog's own consistency: every scenario of domain.md covered once, AD users that exist in
 * the fixtures with the anchors the catalog assumes, a sandbox seed Entra could hold, expectations
 * that agree with themselves, and a README that shows exactly what the tests run.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, STEP_KINDS } from '../../../src/domain/diagnosis/types.ts';
import { parseSeed } from '../../../src/sandbox/emulator/index.ts';
import { listFixtureUsers } from '../../../src/sandbox/fixture-users.ts';
import {
  AD_ANCHOR,
  buildSandboxSeed,
  IDS,
  inSandboxSyncScope,
  SANDBOX_ROLES,
  SCENARIOS,
  scenarioById,
  seedTimes,
  SWITCH_VARIANTS,
  ENGINE_VARIANTS,
} from '../../../src/sandbox/scenarios/index.ts';
import { engineTable, scenarioTable, variantTable } from '../../../src/sandbox/scenarios/table.ts';

const NOW = new Date('2026-11-22T10:00:00Z');
const allMatches = [...SCENARIOS.flatMap((s) => s.matches), ...SWITCH_VARIANTS.map((v) => v.match), ...ENGINE_VARIANTS.map((v) => v.match)];

describe('scenario catalog', () => {
  it('names every scenario once, in kebab case, and covers domain.md scenarios 1 to 10 in order', () => {
    const ids = SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
    expect(SCENARIOS.map((s) => s.domainScenario).filter((n) => n !== null)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ids).toEqual(
      expect.arrayContaining([
        'duplicate-after-sync',
        'bulk-relink',
        'disabled-account',
        'healthy-match',
        'ambiguous-mail',
        'hostile-name',
      ]),
    );
    expect(scenarioById('federated-upn').domainScenario).toBe(8);
    expect(() => scenarioById('nope')).toThrow(/no scenario "nope"/);
  });

  it('uses each fixture AD user in exactly one scenario, with the anchors the catalog assumes', async () => {
    const users = await listFixtureUsers();
    const used = SCENARIOS.flatMap((s) => s.adUsers);
    expect([...used].sort()).toEqual(users.map((u) => u.samAccountName).sort());
    for (const [key, anchor] of Object.entries(AD_ANCHOR)) {
      const sam = key === 'zoe' ? 'zoe.odegard' : key;
      expect(users.find((u) => u.samAccountName === sam)?.anchor.immutableId, sam).toBe(anchor);
    }
    expect(users.find((u) => u.samAccountName === 'cmigrated')?.anchor.attribute).toBe('mS-DS-ConsistencyGuid');
  });

  it('says for every AD user what the next sync does, and nothing for users it does not use', () => {
    for (const s of SCENARIOS) expect(Object.keys(s.syncNow).sort(), s.id).toEqual([...s.adUsers].sort());
    for (const v of SWITCH_VARIANTS)
      expect(Object.keys(v.syncNow).every((sam) => scenarioById(v.scenario).adUsers.includes(sam))).toBe(true);
  });

  it('puts every engine variant on a catalog scenario and its AD user; Cloud Sync plans sync with PROVISION_ON_DEMAND', () => {
    for (const v of ENGINE_VARIANTS) {
      expect(scenarioById(v.scenario).adUsers).toContain(v.match.samAccountName);
      if (v.syncEngine === 'cloud-sync') expect(v.match.steps).not.toContain('TRIGGER_DELTA_SYNC');
    }
    expect(ENGINE_VARIANTS.map((v) => v.match.steps)).toContainEqual(expect.arrayContaining(['PROVISION_ON_DEMAND']));
  });

  it('states expectations that agree with themselves', () => {
    for (const m of allMatches) {
      for (const code of m.findings) expect(FINDING_CODES).toContain(code);
      for (const kind of m.steps) expect(STEP_KINDS).toContain(kind);
      expect(m.manual, m.who).toHaveLength(m.steps.filter((k) => k === 'MANUAL').length);
      if (m.end === 'nothing-to-do') expect(m.steps, m.who).toEqual([]);
      if (m.end === 'joined') expect(m.steps, m.who).toContain('VERIFY_JOINED');
      if (m.end === 'manual')
        expect(m.steps.filter((k) => ['SET_ANCHOR', 'PURGE_DELETED_USER', 'CLEAR_ANCHOR', 'RENAME_UPN_TEMPORARILY'].includes(k))).toEqual(
          [],
        );
      if (m.samAccountName === null) expect(m.blockedMentions?.length, m.who).toBeGreaterThan(0);
    }
  });
});

describe('buildSandboxSeed', () => {
  const seed = buildSandboxSeed({ now: NOW });

  it('builds one tenant contoso that passes the emulator seed validation', () => {
    expect(parseSeed(seed)).toEqual(seed);
    expect(seed.tenant).toMatchObject({ displayName: 'Contoso', initialDomain: 'contoso.onmicrosoft.com' });
    expect(seed.domains.map((d) => [d.id, d.isVerified, d.authenticationType])).toEqual([
      ['contoso.onmicrosoft.com', true, 'Managed'],
      ['contoso.com', true, 'Managed'],
      ['fabrikam.com', true, 'Federated'],
    ]);
    expect(seed.onPremisesSynchronization.features).toEqual({
      blockSoftMatchEnabled: false,
      blockCloudObjectTakeoverThroughHardMatchEnabled: false,
      softMatchOnUpnEnabled: true,
    });
  });

  it('holds every cloud user a match targets, and the roles the scenarios give', () => {
    const ids = new Set(seed.users.map((u) => u.id));
    for (const m of allMatches) if (m.targetUserId !== null) expect(ids.has(m.targetUserId), m.who).toBe(true);
    const role = (name: keyof typeof SANDBOX_ROLES) => seed.directoryRoles.find((r) => r.id === SANDBOX_ROLES[name].id);
    expect(role('Exchange Administrator')?.members).toEqual([IDS.hadmin]);
    expect(role('Global Administrator')?.members).toEqual([IDS.tenantAdmin]);
    expect(role('Global Administrator')?.roleTemplateId).toBe('62e90394-69f5-4237-9190-012177145e10');
  });

  it('dates everything relative to now: the last export 20 minutes ago, deletions days ago', () => {
    expect(seedTimes(NOW).lastSync).toBe('2026-11-22T09:40:00Z');
    const duplicate = seed.users.find((u) => u.id === IDS.jdoeDuplicate);
    expect(duplicate?.onPremisesLastSyncDateTime).toBe('2026-11-22T09:40:00Z');
    expect(seed.users.find((u) => u.id === IDS.asmithDeleted)?.deletedDateTime).toBe('2026-11-13T10:00:00Z');
  });

  it('applies tenant switches for the variants and nowhere else', () => {
    for (const v of SWITCH_VARIANTS) {
      const variant = buildSandboxSeed({ now: NOW, switches: v.switches });
      expect(variant.onPremisesSynchronization.features).toMatchObject(v.switches);
      expect(variant.users).toEqual(seed.users);
    }
  });
});

describe('inSandboxSyncScope', () => {
  it('leaves out OU=Not Synced only, whatever the case, and never a name that merely contains it', () => {
    expect(inSandboxSyncScope({ dn: 'CN=Diego Scott,OU=Not Synced,DC=contoso,DC=com' })).toBe(false);
    expect(inSandboxSyncScope({ dn: 'cn=x,ou=not synced,dc=contoso,dc=com' })).toBe(false);
    expect(inSandboxSyncScope({ dn: 'CN=John Doe,OU=Staff,DC=contoso,DC=com' })).toBe(true);
    expect(inSandboxSyncScope({ dn: 'CN=OU=Not Synced fan,OU=Staff,DC=contoso,DC=com' })).toBe(true);
    expect(inSandboxSyncScope({ dn: 'CN=Odd\\,OU=Not Synced,OU=Staff,DC=contoso,DC=com' })).toBe(true);
  });
});

describe('README.md', () => {
  it('shows exactly the catalog (regenerate with scenarioTable() / variantTable() when it changes)', async () => {
    const readme = await readFile(new URL('../../../src/sandbox/scenarios/README.md', import.meta.url), 'utf8');
    expect(readme).toContain(scenarioTable());
    expect(readme).toContain(variantTable());
    expect(readme).toContain(engineTable());
  });
});
