/**
 * The emulator's seed: a whole tenant as JSON. Validated with zod so a typo in a hand-written
 * seed fails at start-up with the field named (`users[3].userPrincipalName: ...`), never later as
 * a confusing Graph answer. Cross-object rules Entra itself guarantees (unique anchors, verified
 * UPN suffixes, members that exist) are checked here too: a seed Entra could never hold would make
 * every test built on it meaningless.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../../errors/index.ts';
import { crossCheckSeed } from './seed-checks.ts';

const objectId = z.guid('must be an object id (GUID)');
const domainName = z.string().regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z0-9-]+$/i, 'must be a domain name such as contoso.com');
const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z' });

const provisioningError = z.strictObject({
  category: z.string().default('PropertyConflict'),
  occurredDateTime: isoDateTime,
  propertyCausingError: z.enum(['UserPrincipalName', 'ProxyAddress']),
  value: z.string(),
});

const userSchema = z.strictObject({
  id: objectId,
  userPrincipalName: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be name@domain'),
  displayName: z.string().min(1),
  mail: z.string().nullable().optional(),
  proxyAddresses: z.array(z.string().regex(/^[^:\s]+:.+$/, 'must be type:address, e.g. SMTP:jdoe@contoso.com')).optional(),
  accountEnabled: z.boolean().optional(),
  userType: z.enum(['Member', 'Guest']).optional(),
  onPremisesImmutableId: z.string().min(1).nullable().optional(),
  onPremisesSyncEnabled: z.boolean().nullable().optional(),
  onPremisesLastSyncDateTime: isoDateTime.nullable().optional(),
  onPremisesDistinguishedName: z.string().nullable().optional(),
  onPremisesSamAccountName: z.string().nullable().optional(),
  onPremisesUserPrincipalName: z.string().nullable().optional(),
  onPremisesProvisioningErrors: z.array(provisioningError).optional(),
  deletedDateTime: isoDateTime.nullable().optional(),
  createdDateTime: isoDateTime.nullable().optional(),
  /** Beta: the on-premises object (AD objectGUID) the user is mapped to; set by a past sync. */
  onPremisesObjectIdentifier: z.guid('must be the AD objectGUID as GUID text').nullable().optional(),
  /** `onPremisesSyncBehavior.isCloudManaged`: source of authority converted to the cloud. */
  isCloudManaged: z.boolean().optional(),
});

/** A PIM eligibility; `role` is a built-in role's display name or template id (role-definitions.ts). */
const roleEligibilitySchema = z.strictObject({
  principalId: objectId,
  role: z.string().min(1),
  startDateTime: isoDateTime.optional(),
  endDateTime: isoDateTime.nullable().optional(),
});

const groupSchema = z.strictObject({
  id: objectId,
  displayName: z.string().min(1),
  mail: z.string().nullable().optional(),
  mailEnabled: z.boolean().optional(),
  securityEnabled: z.boolean().optional(),
  proxyAddresses: z.array(z.string()).optional(),
  /** A role-assignable group: it may be a member of a directory role (and then holds no groups). */
  isAssignableToRole: z.boolean().optional(),
  members: z.array(objectId).default([]),
});

const directoryRoleSchema = z.strictObject({
  id: objectId,
  displayName: z.string().min(1),
  roleTemplateId: objectId,
  members: z.array(objectId).default([]),
});

const domainSchema = z.strictObject({
  id: domainName,
  isVerified: z.boolean(),
  isDefault: z.boolean().optional(),
  isInitial: z.boolean().optional(),
  authenticationType: z.enum(['Managed', 'Federated']),
});

/** The seed's shape before the cross-object checks; `seed-checks.ts` works on this type. */
export const seedObjectSchema = z.strictObject({
  tenant: z.strictObject({ id: objectId, displayName: z.string().min(1), initialDomain: domainName }),
  domains: z.array(domainSchema).min(1),
  onPremisesSynchronization: z.strictObject({
    id: objectId,
    features: z.strictObject({
      blockSoftMatchEnabled: z.boolean(),
      blockCloudObjectTakeoverThroughHardMatchEnabled: z.boolean(),
      softMatchOnUpnEnabled: z.boolean(),
    }),
  }),
  users: z.array(userSchema).default([]),
  groups: z.array(groupSchema).default([]),
  directoryRoles: z.array(directoryRoleSchema).default([]),
  /** PIM role eligibilities (`roleManagement/directory/roleEligibilityScheduleInstances`). */
  roleEligibilities: z.array(roleEligibilitySchema).default([]),
  /** The tenant's sync engine(s); Cloud Sync adds its service principal, job and provisioning logs. */
  syncEngine: z.enum(['connect-sync', 'cloud-sync', 'both']).default('connect-sync'),
  /** The calling app's own identity: the directory roles its service principal holds (role names). */
  app: z.strictObject({ directoryRoles: z.array(z.string().min(1)) }).default({ directoryRoles: ['Hybrid Identity Administrator'] }),
});
export type SeedShape = z.output<typeof seedObjectSchema>;

export const seedSchema = seedObjectSchema.superRefine(crossCheckSeed);

/** A seed as written (optional fields may be missing). */
export type SeedInput = z.input<typeof seedSchema>;
/** A validated seed, defaults applied. */
export type Seed = z.output<typeof seedSchema>;
export type SeedUser = Seed['users'][number];
export type SeedGroup = Seed['groups'][number];
export type SeedDomain = Seed['domains'][number];

/** `users[3].userPrincipalName`: the way an admin would point at the field in the JSON file. */
export function formatSeedPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Validate a seed; throws ConfigError listing every problem, each naming its field. */
export function parseSeed(input: unknown): Seed {
  const result = seedSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `seed ${formatSeedPath(i.path)}: ${i.message}`));
}

/** Read and validate a seed file; a missing file or broken JSON is a ConfigError naming the file. */
export async function loadSeedFile(path: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError([`seed file ${path}: ${why}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`seed file ${path}: not valid JSON (${(err as Error).message})`]);
  }
  return parseSeed(json);
}
