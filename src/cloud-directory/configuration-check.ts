/**
 * The Graph side of `hardmatch check`: the bot's token, its Graph application permissions one by
 * one, and the reads the check makes, all through the same client, retry policy and errors as the
 * bot's own calls (graph-client.ts, graph-transport.ts, errors.ts), within one deadline per call.
 * Nothing here writes: a permission only a write would prove is read off the token's `roles`.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { OnPremisesDirectorySynchronization } from '@microsoft/microsoft-graph-types';
import { CLOUD_SYNC_TEMPLATE_ID, type SyncSwitches, type TenantFacts } from '../domain/cloud.ts';
import { fetchTenantFacts } from './tenant-facts.ts';
import { CloudError } from '../errors/index.ts';
import type { Logger } from '../logging/logger.ts';
import { createDeadline } from './deadline.ts';
import { failureFromBody, toCloudError, type Operation } from './errors.ts';
import { createGraphClient, GRAPH_SCOPE } from './graph-client.ts';
import { createGraphTransport, type BatchGet, type GraphTransport, type RetryPolicy } from './graph-transport.ts';
import { groupUserIds } from './groups.ts';
import { toSwitches } from './mapping.ts';
import { collectionUrl, eqFilter, pathSegment } from './odata.ts';
import { answerOf, isSuccess, valuesOf } from './queries.ts';
import { parseObjectId } from './users.ts';

/** A Graph application permission the bot needs, and how the check proves it is granted. */
export interface BotPermission {
  name: string;
  /** What the bot does with it, for the report. */
  usedFor: string;
  /** A harmless read that needs it; undefined when only a write would (then the token's roles say). */
  probe?: { request: BatchGet; what: string };
  /** Needed only in a tenant synced by Entra Cloud Sync: elsewhere its absence is no failure. */
  cloudSyncOnly?: true;
}

/** The permissions of domain.md / infra/grant-graph-permissions.sh, in that order. */
export const BOT_PERMISSIONS: readonly BotPermission[] = [
  {
    name: 'User.ReadWrite.All',
    usedFor: 'read users, set the ImmutableID, rename a UPN',
    probe: { request: { id: 'users', url: collectionUrl('/users', { select: ['id'], top: 1 }) }, what: 'read users' },
  },
  { name: 'User.DeleteRestore.All', usedFor: 'purge a user from the recycle bin' },
  {
    name: 'Domain.Read.All',
    usedFor: 'tell verified and federated domains',
    probe: { request: { id: 'domains', url: collectionUrl('/domains', { select: ['id'] }) }, what: "read the tenant's domains" },
  },
  {
    name: 'OnPremDirectorySynchronization.Read.All',
    usedFor: "read the tenant's match switches",
    probe: { request: { id: 'sync', url: '/directory/onPremisesSynchronization' }, what: "read the tenant's Entra Connect settings" },
  },
  {
    name: 'GroupMember.Read.All',
    usedFor: 'read the admin group, find groups holding an address',
    probe: { request: { id: 'groups', url: collectionUrl('/groups', { select: ['id'], top: 1 }) }, what: 'read groups' },
  },
  {
    name: 'RoleManagement.Read.Directory',
    usedFor: 'find admin-role holders',
    probe: {
      request: { id: 'roles', url: collectionUrl('/directoryRoles', { select: ['id'] }) },
      what: "read the tenant's directory roles",
    },
  },
  { name: 'User-OnPremisesSyncBehavior.ReadWrite.All', usedFor: 'clear onPremisesObjectIdentifier (CLEAR_OBJECT_IDENTIFIER)' },
  {
    name: 'RoleEligibilitySchedule.Read.Directory',
    usedFor: 'find users eligible for admin roles through PIM',
    probe: {
      request: { id: 'eligible', url: '/roleManagement/directory/roleEligibilityScheduleInstances' },
      what: 'read PIM role eligibility',
    },
  },
  { name: 'AuditLog.Read.All', usedFor: "read Cloud Sync's provisioning logs of a failed run" },
  {
    name: 'Application.Read.All',
    usedFor: "find Entra Cloud Sync's service principal",
    probe: {
      request: {
        id: 'cloudSync',
        url: collectionUrl('/servicePrincipals', { filter: eqFilter('applicationTemplateId', CLOUD_SYNC_TEMPLATE_ID), select: ['id'] }),
      },
      what: 'read service principals',
    },
    cloudSyncOnly: true,
  },
  {
    name: 'Synchronization.ReadWrite.All',
    usedFor: 'provision a user on demand through Cloud Sync (PROVISION_ON_DEMAND)',
    cloudSyncOnly: true,
  },
];

export interface ConfigurationCheckOptions {
  graphBaseUrl: string;
  credential: TokenCredential;
  logger: Logger;
  /** Each call's deadline (GRAPH_TIMEOUT_MS). */
  timeoutMs: number;
  /** Default: two tries, 200 ms apart (a check should answer fast, not wait out an outage). */
  retry?: RetryPolicy;
}

export interface ConfigurationCheck {
  /** A token for Graph from the credential; CLOUD_AUTH_FAILED (with the credential's words) when none comes in time. */
  token(): Promise<AccessToken>;
  /** The tenant's Entra Connect match switches: one read, needing OnPremDirectorySynchronization.Read.All. */
  matchSwitches(): Promise<SyncSwitches>;
  /** One `$batch` with every permission's probe: permission name → undefined (allowed) or why not. */
  probePermissions(): Promise<Map<string, CloudError | undefined>>;
  /** The transitive user members of a group, as the admin directory reads them. */
  groupUserIds(groupId: string): Promise<string[]>;
  /** Which of these object ids are active users of the tenant (lower case); needs User.Read.All. */
  activeUserIds(ids: readonly string[]): Promise<Set<string>>;
  /** The tenant facts as `match` reads them: the sync engine, role holders, permissions found missing. */
  tenantFacts(): Promise<TenantFacts>;
}

const CHECK_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 200, maxDelayMs: 1_000 };
const SYNC_OP: Operation = {
  what: "read the tenant's Entra Connect match switches",
  permission: 'OnPremDirectorySynchronization.Read.All',
};

async function tokenWithin(credential: TokenCredential, timeoutMs: number): Promise<AccessToken> {
  const abortSignal = AbortSignal.timeout(timeoutMs);
  let token: AccessToken | null;
  try {
    token = await Promise.race([
      credential.getToken(GRAPH_SCOPE, { abortSignal }),
      new Promise<never>((_, reject) =>
        abortSignal.addEventListener('abort', () => reject(new Error(`no token came within ${Math.round(timeoutMs / 1000)} s`)), {
          once: true,
        }),
      ),
    ]);
  } catch (err) {
    const words = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
    throw new CloudError('CLOUD_AUTH_FAILED', `The bot could not get a Microsoft Graph token: ${words}`, { graphCode: null, cause: err });
  }
  if (!token?.token)
    throw new CloudError('CLOUD_AUTH_FAILED', 'The bot could not get a Microsoft Graph token: the credential returned none.', {
      graphCode: null,
    });
  return token;
}

async function probe(transport: GraphTransport): Promise<Map<string, CloudError | undefined>> {
  const probed = BOT_PERMISSIONS.flatMap((p) => (p.probe ? [{ permission: p.name, ...p.probe }] : []));
  const op: Operation = { what: 'check the Graph permissions', permission: 'any of the permissions' };
  const answers = await transport.batch(
    op,
    probed.map((p) => p.request),
  );
  const results = new Map<string, CloudError | undefined>();
  for (const p of probed) {
    const answer = answers.get(p.request.id);
    const failed = !answer || !isSuccess(answer);
    results.set(
      p.permission,
      failed
        ? toCloudError(
            { what: p.what, permission: p.permission },
            answer
              ? failureFromBody(answer.status, answer.body, undefined)
              : { status: -1, code: null, message: 'no answer', details: [], retryAfterMs: null },
          )
        : undefined,
    );
  }
  return results;
}

/** One `GET /users/{id}` per id, batched; 404 means no such active user. */
async function activeUsers(transport: GraphTransport, ids: readonly string[]): Promise<Set<string>> {
  const op: Operation = { what: 'look up the users ADMIN_IDS lists', permission: 'User.Read.All (or User.ReadWrite.All)' };
  const requests = ids.map((id, i) => ({ id: `u${i}`, url: `/users/${pathSegment(parseObjectId(id))}?$select=id` }));
  const answers = await transport.batch(op, requests);
  const found = new Set<string>();
  ids.forEach((id, i) => {
    const answer = answers.get(`u${i}`);
    if (answer?.status === 404) return;
    answerOf(op, answers, `u${i}`);
    found.add(id.toLowerCase());
  });
  return found;
}

export function createConfigurationCheck(options: ConfigurationCheckOptions): ConfigurationCheck {
  const client = createGraphClient({ graphBaseUrl: options.graphBaseUrl, credential: options.credential });
  const transport = (): GraphTransport =>
    createGraphTransport({
      client,
      retry: options.retry ?? CHECK_RETRY,
      logger: options.logger,
      deadline: createDeadline(options.timeoutMs),
    });
  return {
    token: () => tokenWithin(options.credential, options.timeoutMs),
    async matchSwitches() {
      const t = transport();
      const answers = await t.batch(SYNC_OP, [{ id: 'sync', url: '/directory/onPremisesSynchronization' }]);
      const syncs = await valuesOf<OnPremisesDirectorySynchronization>(t, SYNC_OP, answerOf(SYNC_OP, answers, 'sync'), {});
      return toSwitches(syncs[0]);
    },
    probePermissions: () => probe(transport()),
    groupUserIds: (groupId) => groupUserIds(transport(), groupId),
    activeUserIds: (ids) => activeUsers(transport(), ids),
    tenantFacts: () => fetchTenantFacts(transport()),
  };
}
