/**
 * Application permissions, as Graph enforces them on app-only tokens: each operation the emulator
 * serves is allowed by any one of a few permissions (the least privileged one first, then the
 * broader ones Graph documents as also sufficient), and an app granted none of them gets Graph's
 * 403 `Authorization_RequestDenied`. By default the emulated app holds every permission it knows,
 * so only a test (or `--permissions`) that grants fewer sees a refusal.
 */
import { ConfigError } from '../../errors/index.ts';
import { graphErrors } from './graph-errors.ts';

const USER_READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] as const;
export const USER_WRITE = ['User.ReadWrite.All', 'Directory.ReadWrite.All'] as const;
/** onPremisesSyncBehavior (beta) and clearing onPremisesObjectIdentifier: one permission, nothing broader. */
export const SYNC_BEHAVIOR_WRITE = ['User-OnPremisesSyncBehavior.ReadWrite.All'] as const;
const USER_DELETE_RESTORE = ['User.DeleteRestore.All'] as const;
const DOMAIN_READ = ['Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] as const;
const SYNC_READ = ['OnPremDirectorySynchronization.Read.All', 'OnPremDirectorySynchronization.ReadWrite.All'] as const;
const SYNC_WRITE = ['OnPremDirectorySynchronization.ReadWrite.All'] as const;
const GROUP_READ = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] as const;
const ROLE_READ = [
  'RoleManagement.Read.Directory',
  'RoleManagement.ReadWrite.Directory',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
] as const;
const ROLE_DEFINITION_READ = [
  'RoleManagement.Read.Directory',
  'RoleManagement.Read.All',
  'RoleManagement.ReadWrite.Directory',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
] as const;
const ELIGIBILITY_READ = [
  'RoleEligibilitySchedule.Read.Directory',
  'RoleEligibilitySchedule.ReadWrite.Directory',
  'RoleManagement.Read.All',
  'RoleManagement.Read.Directory',
  'RoleManagement.ReadWrite.Directory',
] as const;
const APPLICATION_READ = [
  'Application.Read.All',
  'Application.ReadWrite.OwnedBy',
  'Application.ReadWrite.All',
  'Directory.Read.All',
] as const;
const SYNCHRONIZATION_READ = ['Application.ReadWrite.OwnedBy', 'Synchronization.Read.All', 'Synchronization.ReadWrite.All'] as const;
const SYNCHRONIZATION_WRITE = ['Application.ReadWrite.OwnedBy', 'Synchronization.ReadWrite.All'] as const;
const AUDIT_LOG_READ = ['AuditLog.Read.All'] as const;

interface Rule {
  method: string;
  /** Matched against the path below `/v1.0`, case-insensitively (Graph's segments are). */
  path: RegExp;
  anyOf: readonly string[];
}

/** First match wins: the more specific paths come first. */
const RULES: readonly Rule[] = [
  { method: 'GET', path: /^\/users\/[^/]+\/transitiveMemberOf\/microsoft\.graph\.directoryRole\/?$/i, anyOf: ROLE_READ },
  { method: 'GET', path: /^\/users\/[^/]+\/onPremisesSyncBehavior\/?$/i, anyOf: SYNC_BEHAVIOR_WRITE },
  { method: 'PATCH', path: /^\/users\/[^/]+\/onPremisesSyncBehavior\/?$/i, anyOf: SYNC_BEHAVIOR_WRITE },
  { method: 'GET', path: /^\/users(\/|$)/i, anyOf: USER_READ },
  // Which of the two a PATCH needs depends on its body (routes/users.ts).
  { method: 'PATCH', path: /^\/users\/[^/]+\/?$/i, anyOf: [...USER_WRITE, ...SYNC_BEHAVIOR_WRITE] },
  { method: 'DELETE', path: /^\/users\/[^/]+\/?$/i, anyOf: USER_WRITE },
  { method: 'GET', path: /^\/directory\/deletedItems(\/|$)/i, anyOf: USER_READ },
  { method: 'POST', path: /^\/directory\/deletedItems\/[^/]+\/restore\/?$/i, anyOf: USER_DELETE_RESTORE },
  { method: 'DELETE', path: /^\/directory\/deletedItems\/[^/]+\/?$/i, anyOf: USER_DELETE_RESTORE },
  { method: 'GET', path: /^\/domains(\/|$)/i, anyOf: DOMAIN_READ },
  { method: 'GET', path: /^\/directory\/onPremisesSynchronization(\/|$)/i, anyOf: SYNC_READ },
  { method: 'PATCH', path: /^\/directory\/onPremisesSynchronization\/[^/]+\/?$/i, anyOf: SYNC_WRITE },
  { method: 'GET', path: /^\/groups(\/|$)/i, anyOf: GROUP_READ },
  { method: 'GET', path: /^\/directoryRoles(\/|$)/i, anyOf: ROLE_READ },
  { method: 'GET', path: /^\/roleManagement\/directory\/roleDefinitions(\/|$)/i, anyOf: ROLE_DEFINITION_READ },
  { method: 'GET', path: /^\/roleManagement\/directory\/roleEligibilityScheduleInstances(\/|$)/i, anyOf: ELIGIBILITY_READ },
  {
    method: 'POST',
    path: /^\/servicePrincipals\/[^/]+\/synchronization\/jobs\/[^/]+\/provisionOnDemand\/?$/i,
    anyOf: SYNCHRONIZATION_WRITE,
  },
  { method: 'GET', path: /^\/servicePrincipals\/[^/]+\/synchronization(\/|$)/i, anyOf: SYNCHRONIZATION_READ },
  { method: 'GET', path: /^\/servicePrincipals(\/|$)/i, anyOf: APPLICATION_READ },
  { method: 'GET', path: /^\/auditLogs\/provisioning(\/|$)/i, anyOf: AUDIT_LOG_READ },
];

/** Every application permission the emulator knows: the default grant. */
export const KNOWN_PERMISSIONS: readonly string[] = [...new Set(RULES.flatMap((r) => r.anyOf))].sort();

/** The permissions that allow `method path` (any one suffices), or undefined when none is needed. */
export function permissionsFor(method: string, path: string): readonly string[] | undefined {
  const upper = method.toUpperCase();
  return RULES.find((r) => r.method === upper && r.path.test(path))?.anyOf;
}

/** Graph's answer to an app-only token without the permission an operation needs. */
export function checkPermission(granted: ReadonlySet<string>, method: string, path: string): void {
  const anyOf = permissionsFor(method, path);
  if (anyOf && !anyOf.some((p) => granted.has(p))) throw graphErrors.insufficientPrivileges();
}

/** The granted set, case as Graph spells it; an unknown name is a typo and refused (ConfigError). */
export function grantedPermissions(permissions: readonly string[] | undefined): ReadonlySet<string> {
  if (permissions === undefined) return new Set(KNOWN_PERMISSIONS);
  const byLower = new Map(KNOWN_PERMISSIONS.map((p) => [p.toLowerCase(), p]));
  const unknown = permissions.filter((p) => !byLower.has(p.trim().toLowerCase()));
  if (unknown.length > 0) {
    throw new ConfigError([
      `permissions: unknown Graph application permission ${unknown.map((p) => `"${p}"`).join(', ')} (known: ${KNOWN_PERMISSIONS.join(', ')})`,
    ]);
  }
  return new Set(permissions.map((p) => byLower.get(p.trim().toLowerCase()) as string));
}
