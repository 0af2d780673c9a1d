/**
 * A tenant of `count` independent plans for the multi-instance tests and the approval-race bench:
 * `count` AD users (the relay's fixture format) in OU=Race, each with a cloud user that still holds
 * an old anchor (TARGET_HAS_OTHER_ANCHOR), so every plan is SET_ANCHOR → TRIGGER_DELTA_SYNC →
 * VERIFY_JOINED and touches only its own user.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedInput } from '../../src/sandbox/emulator/index.ts';
import { immutableIdOf, IDS } from '../../src/sandbox/scenarios/index.ts';

export const RACE_TENANT_ID = IDS.tenant;

export interface RaceUser {
  sam: string;
  cloudId: string;
  objectGuid: string;
}

function guid(prefix: string, n: number): string {
  const k = String(n).padStart(4, '0');
  return `${prefix}-${k}-4000-8000-00000000${k}`;
}

export function raceUsers(count: number): RaceUser[] {
  return Array.from({ length: count }, (_, i) => ({
    sam: `race${String(i + 1).padStart(3, '0')}`,
    cloudId: guid('7ace0000', i + 1),
    objectGuid: guid('0bad0000', i + 1),
  }));
}

export interface RaceTenant {
  seed: SeedInput;
  /** Folder of the relay's fixture files. */
  fixturesDir: string;
  users: RaceUser[];
}

export async function raceTenant(count: number): Promise<RaceTenant> {
  const users = raceUsers(count);
  const fixturesDir = await mkdtemp(join(tmpdir(), 'hardmatch-race-fixtures-'));
  const ad = users.map((u, i) => ({
    dn: `CN=Race User ${i + 1},OU=Race,DC=contoso,DC=com`,
    samAccountName: u.sam,
    userPrincipalName: `${u.sam}@contoso.com`,
    mail: `${u.sam}@contoso.com`,
    proxyAddresses: [`SMTP:${u.sam}@contoso.com`],
    displayName: `Race User ${i + 1}`,
    enabled: true,
    objectGuid: u.objectGuid,
    consistencyGuid: null,
    whenChanged: '2025-12-01T10:00:00.000Z',
  }));
  const cloudUsers: NonNullable<SeedInput['users']> = users.map((u, i) => ({
    id: u.cloudId,
    userPrincipalName: `${u.sam}@contoso.com`,
    displayName: `Race User ${i + 1}`,
    mail: `${u.sam}@contoso.com`,
    proxyAddresses: [`SMTP:${u.sam}@contoso.com`],
    onPremisesImmutableId: immutableIdOf(guid('01d00000', i + 1)),
  }));
  await writeFile(join(fixturesDir, 'users.json'), JSON.stringify(ad, null, 2));
  const seed: SeedInput = {
    tenant: { id: RACE_TENANT_ID, displayName: 'Contoso', initialDomain: 'contoso.onmicrosoft.com' },
    domains: [
      { id: 'contoso.onmicrosoft.com', isVerified: true, isInitial: true, authenticationType: 'Managed' },
      { id: 'contoso.com', isVerified: true, isDefault: true, authenticationType: 'Managed' },
    ],
    onPremisesSynchronization: {
      id: IDS.sync,
      features: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true },
    },
    users: cloudUsers,
    groups: [],
    directoryRoles: [
      { id: IDS.roleGlobalAdmin, displayName: 'Global Administrator', roleTemplateId: '62e90394-69f5-4237-9190-012177145e10', members: [] },
    ],
  };
  return { seed, fixturesDir, users };
}
