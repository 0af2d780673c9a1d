/**
 * What the chaos run's seed decides before anything runs: the catalog mix (copies of the
 * scenarios' automated fixes, renamed consistently in AD and the cloud) and the fault schedule.
 * The same seed draws the same; the copies keep each scenario's anchors pointing where they did.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/sandbox/emulator/prng.ts';
import { immutableIdOf, scenarioById, seedTimes } from '../../src/sandbox/scenarios/index.ts';
import { FAULT_KINDS, faultSchedule } from '../support/chaos-faults.ts';
import { automatedFixes, chaosTenant, copier } from '../support/chaos-tenant.ts';

describe('the catalog mix', () => {
  it("takes every match that ends joined by the bot's own steps, with a Graph write and no MANUAL step", () => {
    const fixes = automatedFixes().map((f) => `${f.scenario.id} ${f.match.who}`);
    expect(fixes).toEqual([
      'anchor-in-recycle-bin asmith',
      'old-immutable-id cmigrated',
      'federated-upn gfed',
      'bulk-relink ibulk1',
      'bulk-relink ibulk2',
      'bulk-relink ibulk3',
      'recreated-ad-user nrecreated',
    ]);
  });

  it('draws the same mix from the same seed, each remediation on its own copy', async () => {
    const a = await chaosTenant(20, seededRandom(7));
    const b = await chaosTenant(20, seededRandom(7));
    expect(a.remediations).toEqual(b.remediations);
    expect(new Set(a.remediations.map((r) => r.scenario)).size).toBeGreaterThan(3);
    expect(new Set(a.remediations.map((r) => r.who)).size).toBe(20);
    expect(new Set(a.remediations.map((r) => r.targetUserId)).size).toBe(20);
    const ad = JSON.parse(await readFile(join(a.fixturesDir, 'users.json'), 'utf8')) as { samAccountName: string; dn: string }[];
    for (const r of a.remediations) expect(ad.map((u) => u.samAccountName)).toContain(r.who);
    expect(new Set(ad.map((u) => u.dn)).size).toBe(ad.length);
  });

  it('renames a copy consistently: the deleted holder still holds the copied AD user’s anchor', () => {
    const copy = copier(7);
    const cloud = copy.value(scenarioById('anchor-in-recycle-bin').cloud(seedTimes(new Date('2026-03-05T12:00:00Z'))));
    const [alice, deleted] = cloud.users;
    expect(alice?.userPrincipalName).toBe('asmithc007@contoso.com');
    expect(alice?.proxyAddresses).toEqual(['SMTP:alice.smithc007@contoso.com', 'smtp:asmithc007@contoso.com']);
    expect(alice?.id).toBe('5a0d0201-c007-4000-8000-000000000201');
    expect(deleted?.onPremisesImmutableId).toBe(immutableIdOf('b2b3fc4f-c007-4975-9039-2b9c42b2441f'));
    expect(copy.value({ samAccountName: 'asmith', dn: 'CN=Alice Smith,OU=Staff,DC=contoso,DC=com' })).toEqual({
      samAccountName: 'asmithc007',
      dn: 'CN=Alice Smith c007,OU=Staff,DC=contoso,DC=com',
    });
    expect(copy.who('asmith')).toBe('asmithc007');
  });
});

describe('the fault schedule', () => {
  it('is the same for the same seed, has every kind, and spans the chaos time', () => {
    const schedule = faultSchedule(42, 30_000);
    expect(faultSchedule(42, 30_000)).toEqual(schedule);
    expect(faultSchedule(43, 30_000)).not.toEqual(schedule);
    expect(new Set(schedule.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    expect(schedule.at(-1)?.atMs).toBeGreaterThanOrEqual(28_000);
    for (const f of schedule.filter((f) => !['relay', 'kill'].includes(f.kind))) expect(f.ms).toBeLessThanOrEqual(3_000);
  });
});
