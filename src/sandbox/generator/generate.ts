/**
 * A generated directory and tenant of any size, consistent with each other: the AD users a relay
 * serves (fixture files) and the Entra tenant the emulator starts from (a seed), drawn from one
 * seeded PRNG. The mix is what a tenant after a failed Connect install or a migration looks like
 * (shares are of the AD users; `GENERATED_MIX`):
 * - matched: a synced cloud user holds the anchor (the sync just updates it);
 * - soft-match: a cloud-only user with the AD UPN and primary SMTP, no anchor (the sync joins it);
 *   the first few hold an admin role (a soft match the service refuses);
 * - duplicate: the cloud-only original, plus the synced duplicate the sync created instead
 *   (`local+NNNN@initial`, addresses quarantined, PropertyConflict errors) holding the anchor;
 * - deleted-holder: a cloud-only original, and a deleted synced user still holding the anchor;
 * - address-conflict: a cloud-only user by UPN, while another cloud user holds the primary SMTP;
 * - other-anchor: a cloud-only user by UPN carrying an ImmutableID from another forest;
 * - not-in-cloud: nothing in the tenant (the sync creates it); a few have a mail-enabled group
 *   holding their address (ObjectTypeMismatch).
 * Cloud-only users nobody in AD matches fill the tenant up to as many active users as AD users,
 * and leavers (deleted synced users) fill the recycle bin up to `deletedRatio` of them.
 */
import { effectiveAnchor } from '../../domain/effective-anchor.ts';
import type { SeedInput } from '../emulator/seed.ts';
import { createDraw, personOf, type Draw, type Person } from './people.ts';

export type GeneratedCase =
  'matched' | 'soft-match' | 'duplicate' | 'deleted-holder' | 'address-conflict' | 'other-anchor' | 'not-in-cloud';

export const GENERATED_MIX: Readonly<Record<GeneratedCase, number>> = {
  matched: 0.68,
  'soft-match': 0.06,
  duplicate: 0.05,
  'deleted-holder': 0.05,
  'address-conflict': 0.03,
  'other-anchor': 0.03,
  'not-in-cloud': 0.1,
};

export interface GenerateOptions {
  /** AD users; the tenant gets as many active users. */
  users: number;
  /** PRNG seed: the same seed gives the same directory and tenant. Default 1. */
  seed?: number;
  /** Users in the recycle bin, as a share of `users`. Default 0.1. */
  deletedRatio?: number;
}

/** One AD user as a fixture file holds it (src/sandbox/fixture-directory.ts). */
export interface FixtureUser {
  dn: string;
  samAccountName: string;
  userPrincipalName: string;
  mail: string;
  proxyAddresses: string[];
  displayName: string;
  enabled: boolean;
  objectGuid: string;
  consistencyGuid: string | null;
  whenChanged: string;
}

type SeedUser = NonNullable<SeedInput['users']>[number];
type SeedGroup = NonNullable<SeedInput['groups']>[number];

export interface GeneratedDirectory {
  baseDn: string;
  /** The AD side, for RELAY_FIXTURES / SANDBOX_DIRECTORY. */
  directory: FixtureUser[];
  /** The tenant, for `npm run emulator -- --seed` / SANDBOX_TENANT. */
  tenant: SeedInput;
  /** How many AD users of each case were generated. */
  cases: Record<GeneratedCase, number>;
}

export const GENERATED_BASE_DN = 'DC=contoso,DC=com';
const DOMAIN = 'contoso.com';
const INITIAL = 'contoso.onmicrosoft.com';
const DEPARTMENTS = ['Sales', 'Finance', 'Engineering', 'Support', 'Marketing', 'Legal', 'Operations', 'HR'];
const SYNC_TIME = '2026-11-30T08:00:00Z';
const DELETED_TIME = '2026-11-20T10:00:00Z';
const GLOBAL_ADMIN_TEMPLATE = '62e90394-69f5-4237-9190-012177145e10';
/** Soft-match candidates holding an admin role, and not-in-cloud users whose address a group holds. */
const BLOCKED_EACH = 5;

function caseOf(draw: Draw): GeneratedCase {
  let roll = draw.next();
  for (const [name, share] of Object.entries(GENERATED_MIX) as [GeneratedCase, number][]) {
    if (roll < share) return name;
    roll -= share;
  }
  return 'matched';
}

interface Builder {
  draw: Draw;
  users: SeedUser[];
  groups: SeedGroup[];
  admins: string[];
  cases: Record<GeneratedCase, number>;
}

function adUserOf(draw: Draw, person: Person, i: number): FixtureUser {
  const upn = `${person.local}@${DOMAIN}`;
  const objectGuid = draw.guid();
  return {
    dn: `CN=${person.displayName} ${i},OU=${DEPARTMENTS[i % DEPARTMENTS.length]},OU=Staff,${GENERATED_BASE_DN}`,
    samAccountName: person.samAccountName,
    userPrincipalName: upn,
    mail: upn,
    proxyAddresses: [`SMTP:${upn}`],
    displayName: person.displayName,
    enabled: draw.next() > 0.02,
    objectGuid,
    // Entra Connect stamps ConsistencyGuid on the objects it exported.
    consistencyGuid: draw.next() < 0.5 ? objectGuid : null,
    whenChanged: '2026-11-01T00:00:00.000Z',
  };
}

function cloudOnly(draw: Draw, ad: FixtureUser, extra: Partial<SeedUser> = {}): SeedUser {
  return {
    id: draw.guid(),
    userPrincipalName: ad.userPrincipalName,
    displayName: ad.displayName,
    mail: ad.mail,
    proxyAddresses: [...ad.proxyAddresses],
    ...extra,
  };
}

function synced(draw: Draw, ad: FixtureUser, anchor: string, extra: Partial<SeedUser> = {}): SeedUser {
  return {
    ...cloudOnly(draw, ad),
    onPremisesImmutableId: anchor,
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: SYNC_TIME,
    onPremisesDistinguishedName: ad.dn,
    onPremisesSamAccountName: ad.samAccountName,
    onPremisesUserPrincipalName: ad.userPrincipalName,
    ...extra,
  };
}

/** The cloud side of one AD user, by its case; returns how many active users it added. */
function addCloudSide(b: Builder, ad: FixtureUser, kind: GeneratedCase, i: number): number {
  const { draw } = b;
  const anchor = effectiveAnchor('auto', ad.objectGuid, ad.consistencyGuid).immutableId;
  const local = ad.userPrincipalName.split('@')[0] ?? '';
  switch (kind) {
    case 'matched':
      b.users.push(synced(draw, ad, anchor));
      return 1;
    case 'soft-match': {
      const user = cloudOnly(draw, ad);
      b.users.push(user);
      if (b.cases['soft-match'] <= BLOCKED_EACH) b.admins.push(user.id);
      return 1;
    }
    case 'duplicate': {
      b.users.push(cloudOnly(draw, ad));
      const conflicts = [
        {
          category: 'PropertyConflict',
          occurredDateTime: SYNC_TIME,
          propertyCausingError: 'UserPrincipalName' as const,
          value: ad.userPrincipalName,
        },
        {
          category: 'PropertyConflict',
          occurredDateTime: SYNC_TIME,
          propertyCausingError: 'ProxyAddress' as const,
          value: `SMTP:${ad.mail}`,
        },
      ];
      const upn = `${local}+${String(i % 10_000).padStart(4, '0')}@${INITIAL}`;
      b.users.push(
        synced(draw, ad, anchor, { userPrincipalName: upn, mail: null, proxyAddresses: [], onPremisesProvisioningErrors: conflicts }),
      );
      return 2;
    }
    case 'deleted-holder':
      b.users.push(cloudOnly(draw, ad));
      b.users.push(synced(draw, ad, anchor, { deletedDateTime: DELETED_TIME, accountEnabled: false }));
      return 1;
    case 'address-conflict':
      b.users.push(cloudOnly(draw, ad, { mail: null, proxyAddresses: [] }));
      b.users.push({
        id: draw.guid(),
        userPrincipalName: `shared.${local}@${DOMAIN}`,
        displayName: `Shared ${ad.displayName}`,
        proxyAddresses: [`SMTP:shared.${local}@${DOMAIN}`, `smtp:${ad.mail}`],
      });
      return 2;
    case 'other-anchor':
      b.users.push(cloudOnly(draw, ad, { onPremisesImmutableId: draw.strayAnchor() }));
      return 1;
    case 'not-in-cloud':
      if (b.cases['not-in-cloud'] <= BLOCKED_EACH) {
        b.groups.push({
          id: draw.guid(),
          displayName: `List ${local}`,
          mail: ad.mail,
          mailEnabled: true,
          securityEnabled: false,
          proxyAddresses: [`SMTP:${ad.mail}`],
        });
      }
      return 0;
  }
}

function tenantOf(b: Builder): SeedInput {
  return {
    tenant: { id: '7b1c2f0e-4a8d-4e55-9d0a-1f6a2b3c4d5e', displayName: 'Contoso (generated)', initialDomain: INITIAL },
    domains: [
      { id: INITIAL, isVerified: true, isInitial: true, authenticationType: 'Managed' },
      { id: DOMAIN, isVerified: true, isDefault: true, authenticationType: 'Managed' },
    ],
    onPremisesSynchronization: {
      id: '5e8f3a21-6b7c-4d9e-8f01-2a3b4c5d6e7f',
      features: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: false, softMatchOnUpnEnabled: true },
    },
    users: b.users,
    groups: b.groups,
    directoryRoles: [
      {
        id: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
        displayName: 'Global Administrator',
        roleTemplateId: GLOBAL_ADMIN_TEMPLATE,
        members: b.admins,
      },
    ],
  };
}

export function generateDirectory(options: GenerateOptions): GeneratedDirectory {
  const count = options.users;
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000)
    throw new RangeError(`users must be an integer in 1..1000000, got ${count}`);
  const draw = createDraw(options.seed ?? 1);
  const cases = Object.fromEntries(Object.keys(GENERATED_MIX).map((k) => [k, 0])) as Record<GeneratedCase, number>;
  const b: Builder = { draw, users: [], groups: [], admins: [], cases };
  const directory: FixtureUser[] = [];
  let active = 0;
  for (let i = 0; i < count; i++) {
    const ad = adUserOf(draw, personOf(draw, i), i);
    const kind = caseOf(draw);
    cases[kind] += 1;
    directory.push(ad);
    active += addCloudSide(b, ad, kind, i);
  }
  for (let i = 0; active < count; i++, active++) {
    b.users.push({
      id: draw.guid(),
      userPrincipalName: `cloud.only${i}@${DOMAIN}`,
      displayName: `Cloud Only ${i}`,
      mail: `cloud.only${i}@${DOMAIN}`,
      proxyAddresses: [`SMTP:cloud.only${i}@${DOMAIN}`],
    });
  }
  const deletedTarget = Math.round(count * (options.deletedRatio ?? 0.1));
  for (let i = b.users.filter((u) => u.deletedDateTime).length; i < deletedTarget; i++) {
    b.users.push({
      id: draw.guid(),
      userPrincipalName: `leaver${i}@${DOMAIN}`,
      displayName: `Leaver ${i}`,
      onPremisesImmutableId: draw.strayAnchor(),
      onPremisesSyncEnabled: true,
      onPremisesLastSyncDateTime: SYNC_TIME,
      deletedDateTime: DELETED_TIME,
    });
  }
  return { baseDn: GENERATED_BASE_DN, directory, tenant: tenantOf(b), cases };
}
