/**
 * Fixed values the catalog is written with: object ids that say which scenario they belong to,
 * the sandbox's OUs and sync scope, and anchors computed from GUIDs (never typed by hand, so a
 * seed anchor always decodes to the GUID its comment names).
 */
import { parseAnchor, toImmutableId } from '../../domain/anchors.ts';

/**
 * `5a0dSSNN-0000-4000-8000-0000000SSNN`-style object ids: SS the scenario (00 the tenant itself,
 * 11+ the controls), NN the object. Readable in a Graph answer, unique by construction.
 */
export function sandboxId(scenario: number, n: number): string {
  const s = String(scenario).padStart(2, '0');
  const k = String(n).padStart(2, '0');
  return `5a0d${s}${k}-0000-4000-8000-00000000${s}${k}`;
}

/** The ImmutableID (base64 of the stored bytes) of a GUID. */
export function immutableIdOf(guid: string): string {
  return toImmutableId(parseAnchor(guid));
}

export const BASE_DN = 'DC=contoso,DC=com';
export const OU = {
  staff: `OU=Staff,${BASE_DN}`,
  notSynced: `OU=Not Synced,${BASE_DN}`,
  admins: `OU=Admins,${BASE_DN}`,
  migrated: `OU=Migrated,${BASE_DN}`,
} as const;

/** The sandbox's Entra Connect scope: every AD object except those in `OU=Not Synced`. */
export function inSandboxSyncScope(user: { dn: string }): boolean {
  // An RDN starts at the beginning or after an unescaped comma (`\,` is part of a name).
  return !/(?:^|(?<!\\),)\s*OU=Not Synced\s*(?:,|$)/i.test(user.dn);
}

/** Object ids of the sandbox tenant, by what they are. */
export const IDS = {
  tenant: sandboxId(0, 1),
  sync: sandboxId(0, 2),
  tenantAdmin: sandboxId(0, 3),
  alexAdmin: sandboxId(0, 4),
  blakeAdmin: sandboxId(0, 5),
  hardmatchAdmins: sandboxId(0, 10),
  roleGlobalAdmin: sandboxId(0, 20),
  roleExchangeAdmin: sandboxId(0, 21),
  roleUserAdmin: sandboxId(0, 22),
  rolePrivilegedAuthAdmin: sandboxId(0, 23),
  jdoe: sandboxId(1, 1),
  jdoeDuplicate: sandboxId(1, 2),
  asmith: sandboxId(2, 1),
  asmithDeleted: sandboxId(2, 2),
  bwayne: sandboxId(3, 1),
  frontDesk: sandboxId(3, 2),
  cmigrated: sandboxId(4, 1),
  dscope: sandboxId(5, 1),
  elocal: sandboxId(6, 1),
  fsynced: sandboxId(7, 1),
  gfed: sandboxId(8, 1),
  hadmin: sandboxId(9, 1),
  ibulk1: sandboxId(10, 1),
  ibulk2: sandboxId(10, 2),
  ibulk3: sandboxId(10, 3),
  kdisabled: sandboxId(11, 1),
  lmatched: sandboxId(12, 1),
  share1: sandboxId(13, 1),
  share2: sandboxId(13, 2),
  zoe: sandboxId(14, 1),
  mnew: sandboxId(15, 1),
  nrecreated: sandboxId(16, 1),
  pmigrated: sandboxId(17, 1),
  qeligible: sandboxId(18, 1),
  rcloud: sandboxId(19, 1),
} as const;

/**
 * Effective anchors of the sandbox AD users (SOURCE_ANCHOR=auto), from the objectGUID or
 * ConsistencyGuid in fixtures/directory/users.json; a unit test checks them against the fixtures.
 */
export const AD_ANCHOR = {
  jdoe: immutableIdOf('04e278dc-0512-4dc7-ab22-156d99c343ca'),
  asmith: immutableIdOf('b2b3fc4f-dfc7-4975-9039-2b9c42b2441f'),
  bwayne: immutableIdOf('366c90f3-441f-423d-95a7-27a1b2759453'),
  /** ConsistencyGuid: her objectGUID in the old Northwind forest. */
  cmigrated: immutableIdOf('89246b27-4e85-426d-a685-b1421ff9c7df'),
  dscope: immutableIdOf('bc08b5f3-f4b7-46c9-9ce4-cbed6702fe36'),
  elocal: immutableIdOf('5a814d91-b7d4-4f97-b831-8ddb286b7f8e'),
  fsynced: immutableIdOf('d1b718e3-957d-4c64-a0d7-a137bbb799b7'),
  gfed: immutableIdOf('8283792f-786a-446c-8894-c0ab9c3a6933'),
  hadmin: immutableIdOf('a035c618-49fe-4cc2-a08f-3f2ab8196dc4'),
  ibulk1: immutableIdOf('a169d65f-6c12-4642-8db3-2be9535b188f'),
  ibulk2: immutableIdOf('f5fabd11-6acd-4607-86de-a179a0ae91c8'),
  ibulk3: immutableIdOf('23fc0bf7-12d5-474c-8ecf-66774c970084'),
  kdisabled: immutableIdOf('eea6a661-f3f6-42e5-80c5-dbbcad41aa55'),
  lmatched: immutableIdOf('6184f356-b910-46c9-9b87-9c8f2b1dd556'),
  zoe: immutableIdOf('55e3bc38-b273-4dfd-99c7-d6c8c8d2874f'),
  share1: immutableIdOf('e49699f5-2f5c-4887-834e-bda52656805e'),
  share2: immutableIdOf('55fa6fc4-9f90-4e12-ae63-de9b27ba2b2e'),
  mnew: immutableIdOf('7c3e9a51-2d4b-4f86-9a1c-5e7d3b2f4a60'),
  /** Her re-created account's objectGUID (never exported, so no ConsistencyGuid yet). */
  nrecreated: immutableIdOf('b7e4c2a9-5d13-4f8e-9a26-3c71d0e58f42'),
  /** ConsistencyGuid: his objectGUID in the old Northwind forest. */
  pmigrated: immutableIdOf('5c0b93d6-2e7f-4a18-b9c4-07d6e1f82a35'),
  qeligible: immutableIdOf('f0c3d8a1-47b2-4e69-a5f8-2b9e6d1c7034'),
  rcloud: immutableIdOf('a4d1e7b9-3f28-4c65-8e0a-d95b2c6f1384'),
} as const;
