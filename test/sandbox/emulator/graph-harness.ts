/**
 * Starts the emulator in-process and a real `@microsoft/microsoft-graph-client` pointed at it the
 * way the bot points it at any non-default Graph host: HTTPS base URL + `customHosts`, with the
 * emulator's certificate trusted. Also a raw `fetch` for what the SDK would not send (no token,
 * an unencoded '+').
 */
import { Client } from '@microsoft/microsoft-graph-client';
import type { SeedInput } from '../../../src/sandbox/emulator/seed.ts';
import { CONTOSO_DOMAINS, CONTOSO_TENANT, UNVERIFIED_CONTOSO_NET } from '../../support/contoso-seed.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/sandbox/emulator/server.ts';
import { trustCertificateInProcess } from '../../../src/sandbox/emulator/tls-certificate.ts';

export const ID = {
  jane: '1f0e2d3c-4b5a-4968-8776-655443322110',
  janeSynced: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  bobDeleted: '3b2c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
  bob: '4c3d5e6f-7081-4923-8b4c-5d6e7f809102',
  alice: '5d4e6f70-8192-4a34-9c5d-6e7f80910213',
  admin: '7f607182-a3b4-4c56-9e7f-809102132435',
  lead: '80718293-b4c5-4d67-8f80-910213243546',
  hostile: '90829304-c5d6-4e78-9091-021324354657',
  decoy: 'a0930415-d6e7-4f89-a102-132435465768',
  admins: 'a1b2c3d4-e5f6-4071-8293-a4b5c6d7e8f9',
  helpdesk: 'b2c3d4e5-f607-4182-93a4-b5c6d7e8f90a',
  sales: 'c3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b',
  globalAdmin: 'd4e5f607-1829-43a4-b5c6-d7e8f90a1b2c',
  sync: '5e8f3a21-6b7c-4d9e-8f01-2a3b4c5d6e7f',
} as const;

/** An anchor with '+' and '/', and a decoy that differs only by a space where the '+' is. */
export const PLUS_ANCHOR = 'ab+/Cd0123456789abcdEF==';
export const SPACE_DECOY_ANCHOR = 'ab /Cd0123456789abcdEF==';
export const HOSTILE_MAIL = "o'brien&co#1%x+y/z@contoso.com";

export function testSeed(bulkUsers = 0): SeedInput {
  const users: NonNullable<SeedInput['users']> = [
    {
      id: ID.jane,
      userPrincipalName: 'jdoe@contoso.com',
      displayName: 'Jane Doe',
      mail: 'jdoe@contoso.com',
      proxyAddresses: ['SMTP:jdoe@contoso.com'],
      createdDateTime: '2024-03-01T08:00:00Z',
    },
    {
      // Scenario 1's duplicate: created by the first sync, which found jdoe@contoso.com taken by
      // the older cloud-only Jane and gave it a placeholder UPN (recorded as it was created).
      id: ID.janeSynced,
      userPrincipalName: 'jdoe1234@contoso.onmicrosoft.com',
      displayName: 'Jane Doe',
      onPremisesImmutableId: 'g8Pclm4vok+vFWtMERklmg==',
      onPremisesSyncEnabled: true,
      onPremisesUserPrincipalName: 'jdoe@contoso.com',
      createdDateTime: '2026-10-20T09:00:00Z',
      onPremisesProvisioningErrors: [
        {
          category: 'PropertyConflict',
          occurredDateTime: '2026-10-20T09:00:00Z',
          propertyCausingError: 'UserPrincipalName',
          value: 'jdoe@contoso.com',
        },
      ],
    },
    {
      id: ID.bobDeleted,
      userPrincipalName: 'bsmith@contoso.com',
      displayName: 'Bob Smith (old)',
      onPremisesImmutableId: 'SV+BWQuSnU6tbIK1OqTBAg==',
      onPremisesSyncEnabled: true,
      deletedDateTime: '2026-02-21T09:15:00Z',
    },
    {
      id: ID.bob,
      userPrincipalName: 'bsmith@contoso.com',
      displayName: 'Bob Smith',
      mail: 'bsmith@contoso.com',
      proxyAddresses: ['SMTP:bsmith@contoso.com'],
    },
    { id: ID.alice, userPrincipalName: 'alice@fabrikam.com', displayName: 'Alice Federated' },
    { id: ID.admin, userPrincipalName: 'admin@contoso.onmicrosoft.com', displayName: 'Tenant Admin' },
    { id: ID.lead, userPrincipalName: 'helpdesk.lead@contoso.com', displayName: 'Helpdesk Lead' },
    {
      id: ID.hostile,
      userPrincipalName: "o'brien@contoso.com",
      displayName: "Pat O'Brien",
      mail: HOSTILE_MAIL,
      onPremisesImmutableId: PLUS_ANCHOR,
    },
    { id: ID.decoy, userPrincipalName: 'decoy@contoso.com', displayName: 'Decoy', onPremisesImmutableId: SPACE_DECOY_ANCHOR },
  ];
  for (let i = 0; i < bulkUsers; i++) {
    const n = String(i).padStart(5, '0');
    users.push({ id: `00000000-0000-4000-8000-0000000${n}`, userPrincipalName: `bulk${n}@contoso.com`, displayName: `Bulk ${n}` });
  }
  return {
    tenant: CONTOSO_TENANT,
    domains: [...CONTOSO_DOMAINS, UNVERIFIED_CONTOSO_NET],
    onPremisesSynchronization: {
      id: ID.sync,
      features: { blockSoftMatchEnabled: false, blockCloudObjectTakeoverThroughHardMatchEnabled: true, softMatchOnUpnEnabled: true },
    },
    users,
    groups: [
      { id: ID.admins, displayName: 'Hardmatch Admins', members: [ID.admin, ID.helpdesk, ID.bobDeleted] },
      { id: ID.helpdesk, displayName: 'Helpdesk', members: [ID.lead, ID.admins] },
      {
        id: ID.sales,
        displayName: 'Sales',
        mail: 'sales@contoso.com',
        mailEnabled: true,
        securityEnabled: false,
        proxyAddresses: ['SMTP:sales@contoso.com'],
      },
    ],
    directoryRoles: [
      {
        id: ID.globalAdmin,
        displayName: 'Global Administrator',
        roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
        members: [ID.admin],
      },
    ],
  };
}

export interface Harness {
  emulator: RunningEmulator;
  client: Client;
  /** fetch against the emulator (path below the origin, e.g. `/v1.0/users`); adds a token unless told not to. */
  raw: (path: string, init?: RequestInit & { token?: string | null }) => Promise<Response>;
  close: () => Promise<void>;
}

export const FIXED_NOW = new Date('2026-03-05T12:00:00Z');

export async function startGraph(options: Partial<EmulatorOptions> = {}): Promise<Harness> {
  const emulator = await startEmulator({ seed: testSeed(), now: () => FIXED_NOW, ...options, https: true });
  // The emulator's certificate is fresh per start; trusting it is what the sandbox does for the bot.
  trustCertificateInProcess(emulator.caCertificate ?? '');
  const client = Client.initWithMiddleware({
    authProvider: { getAccessToken: () => Promise.resolve('test') },
    baseUrl: emulator.url,
    customHosts: new Set([new URL(emulator.url).hostname]),
  });
  const raw: Harness['raw'] = (path, init = {}) => {
    const { token = 'test', ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== null) headers.set('Authorization', `Bearer ${token}`);
    return fetch(`${emulator.url}${path}`, { ...rest, headers });
  };
  return { emulator, client, raw, close: () => emulator.close() };
}

/** Run a client call expected to fail; returns Graph's status, code and parsed error body. */
export async function graphFailure(
  call: Promise<unknown>,
): Promise<{ status: number; code: string; message: string; body: GraphErrorBody }> {
  try {
    await call;
  } catch (err) {
    const e = err as { statusCode: number; code: string; message: string; body: string };
    return { status: e.statusCode, code: e.code, message: e.message, body: JSON.parse(e.body) as GraphErrorBody };
  }
  throw new Error('expected the Graph call to fail, it succeeded');
}

/** The `error` object of a raw HTTP answer's Graph error body. */
export async function errorOf(response: Response): Promise<GraphErrorBody> {
  return ((await response.json()) as { error: GraphErrorBody }).error;
}

export interface GraphErrorBody {
  code: string;
  message: string;
  details?: { code: string; target?: string; message: string }[];
  innerError: { date: string; 'request-id': string; 'client-request-id': string };
}

/** An OData string literal: single quotes doubled. The bot's own helper must do the same. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The `details` Graph documents for an ObjectConflict on `property` held by `holder` (`User_<id>`). */
export function conflictDetails(property: string, holder: string): { code: string; message: string; target: string }[] {
  const message = `Another object with the same value for property ${property} already exists.`;
  return [
    { code: 'ObjectConflict', message, target: property },
    { code: 'ConflictingObjects', message, target: holder },
  ];
}
