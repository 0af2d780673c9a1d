/**
 * A small emulated tenant and AD users for the runner's tests. AD users are built the way the
 * relay reports them (anchors from src/domain/effective-anchor.ts); their GUIDs are those of the
 * sandbox fixture directory, so the anchors are real ones.
 */
import type { OnPremUser } from '../../../src/domain/onprem-user.ts';
import { EmulatorState, type SeedInput } from '../../../src/sandbox/emulator/index.ts';
import { CONTOSO_DOMAINS, CONTOSO_INITIAL_DOMAIN, CONTOSO_TENANT } from '../../support/contoso-seed.ts';
import { onPremUser } from '../../support/users.ts';

export type SeedUser = NonNullable<SeedInput['users']>[number];
export type SeedGroup = NonNullable<SeedInput['groups']>[number];
export type SeedRole = NonNullable<SeedInput['directoryRoles']>[number];
type Features = SeedInput['onPremisesSynchronization']['features'];

export const T0 = '2026-03-05T12:00:00Z';
export const INITIAL = CONTOSO_INITIAL_DOMAIN;

/** A clock the test moves by hand. */
export function manualClock(start: string = T0): { now: () => Date; advance: (ms: number) => void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

export interface TenantOptions {
  users?: SeedUser[];
  groups?: SeedGroup[];
  directoryRoles?: SeedRole[];
  features?: Partial<Features>;
  /** PIM eligibilities (role by name), the sync engine, the app's own roles. */
  roleEligibilities?: SeedInput['roleEligibilities'];
  syncEngine?: SeedInput['syncEngine'];
  app?: SeedInput['app'];
  now?: () => Date;
  /** Entra's `+NNNN` digits come from this: 0.1234 → 1234. */
  random?: () => number;
}

export function emulatedTenant(options: TenantOptions = {}): EmulatorState {
  let n = 0;
  const seed: SeedInput = {
    tenant: CONTOSO_TENANT,
    domains: [...CONTOSO_DOMAINS],
    onPremisesSynchronization: {
      id: '5e8f3a21-6b7c-4d9e-8f01-2a3b4c5d6e7f',
      features: {
        blockSoftMatchEnabled: false,
        blockCloudObjectTakeoverThroughHardMatchEnabled: false,
        softMatchOnUpnEnabled: true,
        ...options.features,
      },
    },
    users: options.users ?? [],
    groups: options.groups ?? [],
    directoryRoles: options.directoryRoles ?? [],
    ...(options.roleEligibilities ? { roleEligibilities: options.roleEligibilities } : {}),
    ...(options.syncEngine ? { syncEngine: options.syncEngine } : {}),
    ...(options.app ? { app: options.app } : {}),
  };
  return EmulatorState.fromSeed(seed, {
    now: options.now ?? (() => new Date(T0)),
    random: options.random ?? (() => 0.1234),
    newId: () => `eeeeeeee-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  });
}

function adUser(samAccountName: string, objectGuid: string, rest: Partial<Omit<OnPremUser, 'anchor'>>): OnPremUser {
  const upn = `${samAccountName}@contoso.com`;
  return onPremUser({
    samAccountName,
    objectGuid,
    userPrincipalName: upn,
    mail: upn,
    proxyAddresses: [`SMTP:${upn}`],
    ...rest,
  });
}

/** AD users, one per case the runner is tested on. */
export const AD = {
  jdoe: adUser('jdoe', '04e278dc-0512-4dc7-ab22-156d99c343ca', {
    dn: 'CN=John Doe,OU=Staff,DC=contoso,DC=com',
    displayName: 'John Doe',
    mail: 'john.doe@contoso.com',
    proxyAddresses: ['SMTP:john.doe@contoso.com', 'smtp:jdoe@contoso.com'],
  }),
  asmith: adUser('asmith', 'b2b3fc4f-dfc7-4975-9039-2b9c42b2441f', {
    dn: 'CN=Alice Smith,OU=Staff,DC=contoso,DC=com',
    displayName: 'Alice Smith',
    mail: 'alice.smith@contoso.com',
    proxyAddresses: ['SMTP:alice.smith@contoso.com', 'smtp:asmith@contoso.com'],
  }),
  bwayne: adUser('bwayne', '366c90f3-441f-423d-95a7-27a1b2759453', {
    dn: 'CN=Bruce Wayne,OU=Staff,DC=contoso,DC=com',
    displayName: 'Bruce Wayne',
    mail: 'bruce.wayne@contoso.com',
    proxyAddresses: ['SMTP:bruce.wayne@contoso.com', 'smtp:bwayne@contoso.com'],
  }),
  dscope: adUser('dscope', 'bc08b5f3-f4b7-46c9-9ce4-cbed6702fe36', {
    dn: 'CN=Diego Scott,OU=Not Synced,DC=contoso,DC=com',
    displayName: 'Diego Scott',
  }),
  elocal: adUser('elocal', '5a814d91-b7d4-4f97-b831-8ddb286b7f8e', {
    dn: 'CN=Eve Local,OU=Staff,DC=contoso,DC=com',
    displayName: 'Eve Local',
    userPrincipalName: 'elocal@contoso.local',
  }),
  hadmin: adUser('hadmin', 'a035c618-49fe-4cc2-a08f-3f2ab8196dc4', {
    dn: 'CN=Hank Admin,OU=Admins,DC=contoso,DC=com',
    displayName: 'Hank Admin',
  }),
  kim: adUser('kim', 'eea6a661-f3f6-42e5-80c5-dbbcad41aa55', {
    dn: 'CN=Kim Lee,OU=Staff,DC=contoso,DC=com',
    displayName: 'Kim Lee',
    mail: 'kim.lee@contoso.com',
    proxyAddresses: ['SMTP:kim.lee@contoso.com', 'smtp:sales@contoso.com'],
  }),
} satisfies Record<string, OnPremUser>;

/** The sandbox's scope rule: everything except OU=Not Synced. */
export const SANDBOX_SCOPE = (u: OnPremUser): boolean => !/(^|,)OU=Not Synced,/i.test(u.dn);

export const ID = {
  cloudJdoe: '1f0e2d3c-4b5a-4968-8776-655443322110',
  cloudAlice: '4c3d5e6f-7081-4923-8b4c-5d6e7f809102',
  cloudBruce: '5d4e6f70-8192-4a34-9c5d-6e7f80910213',
  cloudDiego: '6e5f7081-92a3-4b45-8d6e-7f8091021324',
  cloudHank: '7f607182-a3b4-4c56-9e7f-809102132435',
  cloudKim: '80718293-b4c5-4d67-8f80-910213243546',
  orphan: '90829304-c5d6-4e78-9091-021324354657',
  sales: 'c3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b',
  staff: 'a1b2c3d4-e5f6-4071-8293-a4b5c6d7e8f9',
  globalAdmin: 'd4e5f607-1829-43a4-b5c6-d7e8f90a1b2c',
} as const;

export const OTHER_ANCHOR = 'SV+BWQuSnU6tbIK1OqTBAg==';

/** Every user of the tenant, active and deleted, without the sync time: what a run must not change. */
export function snapshotWithoutSyncTime(state: EmulatorState): unknown[] {
  return [...state.activeUsers(), ...state.deletedUsers()].map(({ onPremisesLastSyncDateTime: _ignored, ...rest }) => rest);
}
