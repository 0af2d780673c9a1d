/**
 * Records → Graph JSON (typed with @microsoft/microsoft-graph-types), and `$select`.
 * Without `$select` Graph returns a resource's default property set; for users that set leaves
 * out onPremisesImmutableId and every other onPremises* property (user-list reference: "By
 * default, only a limited set of properties are returned ... businessPhones, displayName,
 * givenName, id, jobTitle, mail, mobilePhone, officeLocation, preferredLanguage, surname, and
 * userPrincipalName"). Properties Graph has but the emulator does not model come back as null.
 */
import type { DirectoryRole, Domain, Group, OnPremisesDirectorySynchronization, User } from '@microsoft/microsoft-graph-types';
import { graphErrors } from './graph-errors.ts';
import type { DirectoryRoleRecord, DomainRecord, GroupRecord, SyncSettingsRecord, UserRecord } from './model.ts';

/** A Graph resource type: its selectable properties and the ones returned without $select. */
export interface ResourceShape {
  /** microsoft.graph.<type>, e.g. 'user'. */
  type: string;
  properties: readonly string[];
  defaults: readonly string[];
}

export const USER_SHAPE: ResourceShape = {
  type: 'user',
  defaults: [
    'businessPhones',
    'displayName',
    'givenName',
    'jobTitle',
    'mail',
    'mobilePhone',
    'officeLocation',
    'preferredLanguage',
    'surname',
    'userPrincipalName',
    'id',
  ],
  properties: [
    'id',
    'accountEnabled',
    'businessPhones',
    'city',
    'companyName',
    'country',
    'createdDateTime',
    'deletedDateTime',
    'department',
    'displayName',
    'employeeId',
    'givenName',
    'jobTitle',
    'mail',
    'mailNickname',
    'mobilePhone',
    'officeLocation',
    'onPremisesDistinguishedName',
    'onPremisesDomainName',
    'onPremisesImmutableId',
    'onPremisesLastSyncDateTime',
    'onPremisesProvisioningErrors',
    'onPremisesSamAccountName',
    'onPremisesSecurityIdentifier',
    'onPremisesSyncEnabled',
    'onPremisesUserPrincipalName',
    'otherMails',
    'preferredLanguage',
    'proxyAddresses',
    'surname',
    'usageLocation',
    'userPrincipalName',
    'userType',
  ],
};

/**
 * Beta's user: v1.0's plus `onPremisesObjectIdentifier` (2026 hard-match hardening), which v1.0
 * does not have (`$select` of it on v1.0 is Graph's "Could not find a property named ..." 400).
 */
export const USER_SHAPE_BETA: ResourceShape = { ...USER_SHAPE, properties: [...USER_SHAPE.properties, 'onPremisesObjectIdentifier'] };

/** The user shape of a version root. */
export function userShape(version: 'v1.0' | 'beta'): ResourceShape {
  return version === 'beta' ? USER_SHAPE_BETA : USER_SHAPE;
}

/** The modelled properties; all come back without $select. */
const GROUP_PROPERTIES = [
  'id',
  'createdDateTime',
  'deletedDateTime',
  'description',
  'displayName',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'onPremisesSyncEnabled',
  'proxyAddresses',
  'securityEnabled',
  'visibility',
];

export const GROUP_SHAPE: ResourceShape = { type: 'group', properties: GROUP_PROPERTIES, defaults: GROUP_PROPERTIES };

/** The modelled properties; all come back without $select. */
const DIRECTORY_ROLE_PROPERTIES = ['id', 'deletedDateTime', 'description', 'displayName', 'roleTemplateId'];

export const DIRECTORY_ROLE_SHAPE: ResourceShape = {
  type: 'directoryRole',
  properties: DIRECTORY_ROLE_PROPERTIES,
  defaults: DIRECTORY_ROLE_PROPERTIES,
};

/** The modelled properties; all come back without $select. */
const DOMAIN_PROPERTIES = [
  'authenticationType',
  'availabilityStatus',
  'id',
  'isAdminManaged',
  'isDefault',
  'isInitial',
  'isRoot',
  'isVerified',
  'passwordNotificationWindowInDays',
  'passwordValidityPeriodInDays',
  'supportedServices',
  'state',
];

export const DOMAIN_SHAPE: ResourceShape = { type: 'domain', properties: DOMAIN_PROPERTIES, defaults: DOMAIN_PROPERTIES };

/** The modelled properties; all come back without $select. */
const SYNC_PROPERTIES = ['id', 'configuration', 'features'];

export const SYNC_SHAPE: ResourceShape = {
  type: 'onPremisesDirectorySynchronization',
  properties: SYNC_PROPERTIES,
  defaults: SYNC_PROPERTIES,
};

/**
 * Parse `$select` against a shape: names ignore case (Graph accepts `DisplayName`), come back
 * canonical, `id` is always included; an unknown name is Graph's 400.
 */
export function parseSelect(raw: string | undefined, shape: ResourceShape): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.includes('*')) return [...shape.properties];
  const out: string[] = [];
  for (const name of names) {
    const canonical = shape.properties.find((p) => p.toLowerCase() === name.toLowerCase());
    if (canonical === undefined) throw graphErrors.unknownSelectProperty(name, shape.type);
    if (!out.includes(canonical)) out.push(canonical);
  }
  return out;
}

/** Keep the selected (or default) properties, plus `id`. */
export function project<T extends object>(full: T, shape: ResourceShape, select: readonly string[] | undefined): Partial<T> {
  const keep = select ?? shape.defaults;
  const source = full as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keep) out[key] = source[key] ?? null;
  if (!('id' in out)) out['id'] = source['id'];
  return out as Partial<T>;
}

type GraphUser = User & { onPremisesObjectIdentifier: string | null };

/** Each property of a user as Graph returns it, from its record: graphUser is all of them, projectUser the selected ones. */
const USER_VALUES: { readonly [K in keyof GraphUser]?: (u: UserRecord) => GraphUser[K] } = {
  id: (u) => u.id,
  accountEnabled: (u) => u.accountEnabled,
  businessPhones: (_u) => [],
  city: (_u) => null,
  companyName: (_u) => null,
  country: (_u) => null,
  createdDateTime: (u) => u.createdDateTime,
  deletedDateTime: (u) => u.deletedDateTime,
  department: (_u) => null,
  displayName: (u) => u.displayName,
  employeeId: (_u) => null,
  givenName: (_u) => null,
  jobTitle: (_u) => null,
  mail: (u) => u.mail,
  mailNickname: (_u) => null,
  mobilePhone: (_u) => null,
  officeLocation: (_u) => null,
  onPremisesDistinguishedName: (u) => u.onPremisesDistinguishedName,
  onPremisesDomainName: (_u) => null,
  onPremisesImmutableId: (u) => u.onPremisesImmutableId,
  onPremisesLastSyncDateTime: (u) => u.onPremisesLastSyncDateTime,
  onPremisesObjectIdentifier: (u) => u.onPremisesObjectIdentifier,
  onPremisesProvisioningErrors: (u) => u.onPremisesProvisioningErrors.map((e) => ({ ...e })),
  onPremisesSamAccountName: (u) => u.onPremisesSamAccountName,
  onPremisesSecurityIdentifier: (_u) => null,
  onPremisesSyncEnabled: (u) => u.onPremisesSyncEnabled,
  onPremisesUserPrincipalName: (u) => u.onPremisesUserPrincipalName,
  otherMails: (_u) => [],
  preferredLanguage: (_u) => null,
  proxyAddresses: (u) => [...u.proxyAddresses],
  surname: (_u) => null,
  usageLocation: (_u) => null,
  userPrincipalName: (u) => u.userPrincipalName,
  userType: (u) => u.userType,
};

/** A user as Graph returns it; `onPremisesObjectIdentifier` is only reachable through the beta shape. */
export function graphUser(u: UserRecord): GraphUser {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(USER_VALUES)) out[key] = value(u);
  return out as unknown as GraphUser;
}

/**
 * `project(graphUser(u), shape, select)` without the properties nobody selected: a listing page
 * renders 999 users, and a scan reads 55,000 of them with a dozen properties of some forty.
 */
export function projectUser(u: UserRecord, shape: ResourceShape, select: readonly string[] | undefined): Partial<GraphUser> {
  const out: Record<string, unknown> = {};
  const values = USER_VALUES as Readonly<Record<string, ((u: UserRecord) => unknown) | undefined>>;
  for (const key of select ?? shape.defaults) out[key] = values[key]?.(u) ?? null;
  if (!('id' in out)) out['id'] = u.id;
  return out;
}

export function graphGroup(g: GroupRecord): Group {
  return {
    id: g.id,
    createdDateTime: null,
    deletedDateTime: null,
    description: null,
    displayName: g.displayName,
    groupTypes: [],
    isAssignableToRole: g.isAssignableToRole,
    mail: g.mail,
    mailEnabled: g.mailEnabled,
    mailNickname: null,
    onPremisesSyncEnabled: null,
    proxyAddresses: [...g.proxyAddresses],
    securityEnabled: g.securityEnabled,
    visibility: null,
  };
}

export function graphDirectoryRole(r: DirectoryRoleRecord): DirectoryRole {
  return { id: r.id, deletedDateTime: null, description: null, displayName: r.displayName, roleTemplateId: r.roleTemplateId };
}

export function graphDomain(d: DomainRecord): Domain {
  return {
    authenticationType: d.authenticationType,
    availabilityStatus: null,
    id: d.id,
    isAdminManaged: true,
    isDefault: d.isDefault,
    isInitial: d.isInitial,
    isRoot: true,
    isVerified: d.isVerified,
    passwordNotificationWindowInDays: null,
    passwordValidityPeriodInDays: null,
    supportedServices: d.isVerified ? ['Email', 'OfficeCommunicationsOnline'] : [],
    state: null,
  };
}

/** Every feature flag Graph lists, with Graph's defaults, and the seed's three switches on top. */
export function graphSynchronization(s: SyncSettingsRecord): OnPremisesDirectorySynchronization {
  return {
    id: s.id,
    configuration: {
      accidentalDeletionPrevention: { synchronizationPreventionType: 'enabledForCount', alertThreshold: 500 },
    },
    features: {
      passwordSyncEnabled: false,
      passwordWritebackEnabled: false,
      directoryExtensionsEnabled: false,
      quarantineUponUpnConflictEnabled: true,
      quarantineUponProxyAddressesConflictEnabled: true,
      cloudPasswordPolicyForPasswordSyncedUsersEnabled: false,
      fopeConflictResolutionEnabled: false,
      unifiedGroupWritebackEnabled: false,
      userWritebackEnabled: false,
      deviceWritebackEnabled: false,
      synchronizeUpnForManagedUsersEnabled: true,
      userForcePasswordChangeOnLogonEnabled: false,
      concurrentOrgIdProvisioningEnabled: false,
      concurrentCredentialUpdateEnabled: false,
      groupWriteBackEnabled: false,
      bypassDirSyncOverridesEnabled: false,
      ...s.features,
    },
  };
}
