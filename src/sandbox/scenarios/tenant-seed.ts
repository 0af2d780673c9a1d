/**
 * The sandbox tenant `contoso` as an Entra emulator seed: every catalog scenario's cloud side in
 * one tenant (initial domain contoso.onmicrosoft.com, verified contoso.com, federated fabrikam.com),
 * plus the admins who would run Hardmatch. Dates are relative to `now` so the tenant always looks
 * like Entra Connect exported minutes ago. Validated with the emulator's own `parseSeed`.
 */
import type { SyncEngine } from '../emulator/index.ts';
import { parseSeed, type Seed, type SeedInput } from '../emulator/seed.ts';
import { SCENARIOS } from './catalog.ts';
import type { SandboxRoleName, Scenario, SeedSwitches, SeedTimes, SeedUserInput } from './types.ts';
import { IDS } from './values.ts';

export interface SandboxSeedOptions {
  /** The moment the seed describes; sync and deletion times are relative to it. Default: now. */
  now?: Date;
  /** Tenant switches on top of Entra's defaults (soft match allowed, takeover allowed, UPN soft match on). */
  switches?: Partial<SeedSwitches>;
  /** Default: every scenario of the catalog. */
  scenarios?: readonly Scenario[];
  /** The tenant's sync engine; default Entra Connect Sync. */
  syncEngine?: SyncEngine;
}

export const DEFAULT_SWITCHES: Readonly<SeedSwitches> = Object.freeze({
  blockSoftMatchEnabled: false,
  blockCloudObjectTakeoverThroughHardMatchEnabled: false,
  softMatchOnUpnEnabled: true,
});

/** Role display name → directoryRole object id and Microsoft's role template id. */
export const SANDBOX_ROLES: Readonly<Record<SandboxRoleName, { id: string; roleTemplateId: string }>> = Object.freeze({
  'Global Administrator': { id: IDS.roleGlobalAdmin, roleTemplateId: '62e90394-69f5-4237-9190-012177145e10' },
  'Exchange Administrator': { id: IDS.roleExchangeAdmin, roleTemplateId: '29232cdf-9323-42fd-ade2-1d097af3e4de' },
  'User Administrator': { id: IDS.roleUserAdmin, roleTemplateId: 'fe930be7-5e62-47db-91af-98c3a49a38b1' },
  'Privileged Authentication Administrator': { id: IDS.rolePrivilegedAuthAdmin, roleTemplateId: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13' },
});

/** The people who run Hardmatch in the sandbox tenant (not part of any scenario). */
const TENANT_USERS: SeedUserInput[] = [
  { id: IDS.tenantAdmin, userPrincipalName: 'admin@contoso.onmicrosoft.com', displayName: 'Contoso Admin' },
  {
    id: IDS.alexAdmin,
    userPrincipalName: 'alex.admin@contoso.com',
    displayName: 'Alex Admin',
    mail: 'alex.admin@contoso.com',
    proxyAddresses: ['SMTP:alex.admin@contoso.com'],
  },
  {
    id: IDS.blakeAdmin,
    userPrincipalName: 'blake.admin@contoso.com',
    displayName: 'Blake Admin',
    mail: 'blake.admin@contoso.com',
    proxyAddresses: ['SMTP:blake.admin@contoso.com'],
  },
];

/** Graph writes date-times to the second. */
function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function seedTimes(now: Date): SeedTimes {
  const at = now.getTime();
  return {
    lastSync: graphTime(at - 20 * 60_000),
    daysAgo: (days) => graphTime(at - days * 86_400_000),
  };
}

/** The sandbox tenant; throws ConfigError (naming the field) if the catalog ever breaks Entra's rules. */
export function buildSandboxSeed(options: SandboxSeedOptions = {}): Seed {
  const times = seedTimes(options.now ?? new Date());
  const clouds = (options.scenarios ?? SCENARIOS).map((s) => s.cloud(times));
  const members = new Map<SandboxRoleName, string[]>([['Global Administrator', [IDS.tenantAdmin]]]);
  for (const { role, members: ids } of clouds.flatMap((c) => c.roles ?? [])) members.set(role, [...(members.get(role) ?? []), ...ids]);
  const seed: SeedInput = {
    tenant: { id: IDS.tenant, displayName: 'Contoso', initialDomain: 'contoso.onmicrosoft.com' },
    domains: [
      { id: 'contoso.onmicrosoft.com', isVerified: true, isInitial: true, authenticationType: 'Managed' },
      { id: 'contoso.com', isVerified: true, isDefault: true, authenticationType: 'Managed' },
      { id: 'fabrikam.com', isVerified: true, authenticationType: 'Federated' },
    ],
    onPremisesSynchronization: { id: IDS.sync, features: { ...DEFAULT_SWITCHES, ...options.switches } },
    users: [...TENANT_USERS, ...clouds.flatMap((c) => c.users)],
    groups: [
      { id: IDS.hardmatchAdmins, displayName: 'Hardmatch Admins', members: [IDS.alexAdmin, IDS.blakeAdmin] },
      ...clouds.flatMap((c) => c.groups ?? []),
    ],
    directoryRoles: Object.entries(SANDBOX_ROLES).map(([displayName, role]) => ({
      id: role.id,
      displayName,
      roleTemplateId: role.roleTemplateId,
      members: members.get(displayName as SandboxRoleName) ?? [],
    })),
    roleEligibilities: clouds
      .flatMap((c) => c.eligibilities ?? [])
      .map((e) => ({ principalId: e.principalId, role: e.role, startDateTime: times.daysAgo(90) })),
    syncEngine: options.syncEngine ?? 'connect-sync',
  };
  return parseSeed(seed);
}
