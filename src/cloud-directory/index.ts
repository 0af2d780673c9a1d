/**
 * The cloud directory: Microsoft Graph (or the Entra emulator) behind the bot's `CloudDirectory`
 * and `CloudWriter` ports, returning the domain's types and throwing CloudError / InputError.
 *
 * Graph application permissions it needs:
 * - `User.ReadWrite.All`: read users (incl. onPremises* properties), set the ImmutableID, rename UPNs
 *   (User.Read.All suffices for a read-only deployment).
 * - `User.DeleteRestore.All`: read the recycle bin and purge from it.
 * - `GroupMember.Read.All`: list groups holding an address (ObjectTypeMismatch).
 * - `RoleManagement.Read.Directory`: who holds directory roles (tenant fact), and one user's roles.
 * - `Domain.Read.All`: verified / federated / initial domains.
 * - `OnPremDirectorySynchronization.Read.All`: the tenant's match switches.
 * A 403 names the permission the refused call needs.
 *
 * Round trips (all JSON batching, ≤ 20 requests per `$batch`, larger sets in concurrent chunks):
 * - `evidenceFor`: 1 `$batch` with every look-up (UPN, mail and proxy address per SMTP address,
 *   active and deleted holders of either anchor, groups per address); the candidates' roles come
 *   from the tenant facts. With `freshRoles`: the roles of the `expectedCandidates` read now in the
 *   same `$batch`, and 1 more `$batch` only for active candidates not expected.
 * - `tenantFacts`: 1 `$batch` (domains, onPremisesSynchronization, `/directoryRoles?$expand=members`),
 *   plus 1 only when a role shows Graph's 20-member expand cap or is assigned to a role-assignable
 *   group; then cached for `tenantFactsTtlMs`; concurrent callers share the fetch; failures are not
 *   cached; `{ fresh: true }` bypasses the cache.
 * - `rolesOf`: 1 request (never cached).
 * - `findUser`: 1 (`$batch` of active + deleted by id, or one filtered GET by UPN).
 * - `holdersOfAnchor`: 1 `$batch` (active + deleted).
 * - `groupUserIds`: 1 (more pages for a group of over 999 users).
 * - writes: 1 request each (`clearObjectIdentifier` on beta; `provisionOnDemand` 1, plus 1 schema
 *   read when the tenant facts did not give the job's rule id).
 * - `objectIdentifierOf`: 1 (beta).
 * - `readCloudSnapshot` (scan): every user, deleted user and mail-enabled group, 36 + 3 + 16 + 1
 *   partitions read in parallel, each following its own `@odata.nextLink` (snapshot.ts).
 * More only when a collection spans pages (`@odata.nextLink` is followed) or a request is retried
 * (429 honouring Retry-After, 5xx/network with capped exponential backoff, all within the
 * command's deadline: see graph-transport.ts and deadline.ts).
 */
import type { TokenCredential } from '@azure/identity';
import type { CloudDirectory, CloudWriter } from '../ports/cloud-directory.ts';
import type { CloudSnapshotSource } from '../ports/snapshot.ts';
import type { Logger } from '../logging/logger.ts';
import { createDeadline, DEFAULT_GRAPH_TIMEOUT_MS, type Deadline } from './deadline.ts';
import { evidenceFor } from './evidence.ts';
import { createGraphClient, GRAPH_SCOPE } from './graph-client.ts';
import { withIdentityFacts } from './identity-facts.ts';
import { readTokenClaims, type TokenClaims } from './token-claims.ts';
import { createGraphTransport, type RetryPolicy } from './graph-transport.ts';
import { createTenantFactsCache, fetchTenantFacts } from './tenant-facts.ts';
import { groupUserIds } from './groups.ts';
import { rolesOfUsers } from './role-holders.ts';
import { readCloudSnapshot } from './snapshot.ts';
import { findUser, holdersOfAnchor, parseObjectId } from './users.ts';
import { purgeDeletedUser, setImmutableId, setUserPrincipalName } from './writes.ts';
import { clearObjectIdentifier, objectIdentifierOf, provisioningLogOf, provisionOnDemand } from './cloud-sync.ts';

export { staticTokenCredential } from './credential.ts';
export {
  BOT_PERMISSIONS,
  createConfigurationCheck,
  type BotPermission,
  type ConfigurationCheck,
  type ConfigurationCheckOptions,
} from './configuration-check.ts';
export { readTokenClaims, type TokenClaims } from './token-claims.ts';
export { createDeadline, DEFAULT_GRAPH_TIMEOUT_MS, type Deadline } from './deadline.ts';
export { anyEqFilter, collectionUrl, eqFilter, odataFilterValue, odataString, pathSegment } from './odata.ts';
export { toCloudUser } from './mapping.ts';

export interface CloudDirectoryOptions {
  /** e.g. https://graph.microsoft.com or the emulator's URL; https only, host without path. */
  graphBaseUrl: string;
  /** @azure/identity; production passes new DefaultAzureCredential(). */
  credential: TokenCredential;
  logger: Logger;
  /** Tenant facts (role holders included) cache lifetime, default 60_000 ms; clock injectable for tests. */
  tenantFactsTtlMs?: number;
  now?: () => number;
  /**
   * The budget of one command's Graph calls together (GRAPH_TIMEOUT_MS), default 20_000 ms; see
   * deadline.ts. A call made without a deadline gets one of this length.
   */
  graphTimeoutMs?: number;
  /**
   * Retry policy within the deadline (retry-policy.ts). 429: Retry-After is waited exactly, as often
   * as Graph asks. 5xx / no response / connection reset: backoff from `baseDelayMs` (500) doubling,
   * capped at `maxDelayMs` (5_000), with jitter. Both until a wait would end past the deadline (then
   * CLOUD_THROTTLED / CLOUD_UNAVAILABLE naming the last fault); `attempts` (default unset) caps the
   * 5xx / silence tries as well.
   */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /**
   * 'low': every request says `x-ms-throttle-priority: low`, so Graph throttles it before the
   * bot's interactive calls when the app nears its limits: the directory bulk fixes read and write
   * through (compose-bot.ts); a single `match` uses one without it.
   */
  priority?: 'low';
  /** How long one attempt may stay silent before it is retried; default a third of graphTimeoutMs. */
  requestTimeoutMs?: number;
  /**
   * The budget of one whole-tenant read (`readCloudSnapshot`, for `scan`), default
   * DEFAULT_SNAPSHOT_TIMEOUT_MS; its pages are abandoned when silent for SNAPSHOT_PAGE_TIMEOUT_MS.
   */
  snapshotTimeoutMs?: number;
}

/** Long enough for a 300,000-user tenant read under heavy throttling; a scan shows its progress meanwhile. */
export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 30 * 60_000;
/** One page of 999 users comes back in about a second; one silent for this long is retried. */
export const SNAPSHOT_PAGE_TIMEOUT_MS = 60_000;
/**
 * A whole-tenant read's 30-minute budget would let a page failing with 5xx for good be retried for
 * half an hour: its 5xx / silence tries are capped (about a minute of backoff), 429 stays budget-bound.
 */
export const SNAPSHOT_SERVER_ERROR_ATTEMPTS = 12;

export const DEFAULT_TENANT_FACTS_TTL_MS = 60_000;

/**
 * The claims of the bot's own Graph token (the credential caches it, so this costs no request once
 * the first Graph call has run); undefined when there is none to read. Never fails a `match`.
 */
async function ownClaims(credential: TokenCredential): Promise<TokenClaims | undefined> {
  try {
    const token = await credential.getToken(GRAPH_SCOPE);
    return token ? readTokenClaims(token.token) : undefined;
  } catch {
    return undefined;
  }
}
/** No cap on tries: the deadline (GRAPH_TIMEOUT_MS) bounds 5xx and silence as it bounds 429. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({ baseDelayMs: 500, maxDelayMs: 5_000 });

export function createCloudDirectory(o: CloudDirectoryOptions): CloudDirectory & CloudWriter & CloudSnapshotSource {
  const retry: RetryPolicy = {
    ...(o.retry?.attempts === undefined ? {} : { attempts: Math.max(1, Math.floor(o.retry.attempts)) }),
    baseDelayMs: Math.max(0, o.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: Math.max(0, o.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs),
  };
  const client = createGraphClient({ graphBaseUrl: o.graphBaseUrl, credential: o.credential });
  const budgetMs = o.graphTimeoutMs ?? DEFAULT_GRAPH_TIMEOUT_MS;
  const startDeadline = (): Deadline => createDeadline(budgetMs);
  // One transport per call, bound to the caller's deadline (cheap: closures over the one client).
  const within = (deadline: Deadline | undefined) =>
    createGraphTransport({
      client,
      retry,
      logger: o.logger,
      deadline: deadline ?? startDeadline(),
      ...(o.requestTimeoutMs ? { requestTimeoutMs: o.requestTimeoutMs } : {}),
      ...(o.priority ? { priority: o.priority } : {}),
    });
  // Whole-tenant reads are bulk work: a budget of their own, and low priority under throttling.
  const snapshotTransport = () =>
    createGraphTransport({
      client,
      retry: { attempts: SNAPSHOT_SERVER_ERROR_ATTEMPTS, ...retry },
      logger: o.logger,
      deadline: createDeadline(o.snapshotTimeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS),
      requestTimeoutMs: SNAPSHOT_PAGE_TIMEOUT_MS,
      priority: 'low',
    });
  const facts = createTenantFactsCache({
    fetch: async (deadline) => {
      const [read, claims] = await Promise.all([fetchTenantFacts(within(deadline)), ownClaims(o.credential)]);
      return withIdentityFacts(read, claims);
    },
    ttlMs: o.tenantFactsTtlMs ?? DEFAULT_TENANT_FACTS_TTL_MS,
    now: o.now ?? Date.now,
  });
  return {
    startDeadline,
    tenantFacts: (deadline, options) => facts.get(deadline ?? startDeadline(), options),
    findUser: (idOrUpn, deadline) => findUser(within(deadline), idOrUpn),
    evidenceFor: (onPrem, context, deadline) => evidenceFor(within(deadline), onPrem, context),
    holdersOfAnchor: (immutableId, deadline) => holdersOfAnchor(within(deadline), immutableId),
    groupUserIds: (groupId, deadline) => groupUserIds(within(deadline), groupId),
    rolesOf: async (userId, deadline) => (await rolesOfUsers(within(deadline), [parseObjectId(userId)])).get(parseObjectId(userId)) ?? [],
    // Each write is one step of an approved plan, run on its own: it gets a deadline of its own.
    setImmutableId: (userId, immutableId) => setImmutableId(within(undefined), userId, immutableId),
    setUserPrincipalName: (userId, upn) => setUserPrincipalName(within(undefined), userId, upn),
    purgeDeletedUser: (userId) => purgeDeletedUser(within(undefined), userId),
    objectIdentifierOf: (userId, deadline) => objectIdentifierOf(within(deadline), userId),
    provisioningLogOf: (jobId, deadline) => provisioningLogOf(within(deadline), jobId),
    clearObjectIdentifier: (userId, previous) => clearObjectIdentifier(within(undefined), userId, previous),
    provisionOnDemand: (job, dn) => provisionOnDemand(within(undefined), job, dn),
    readCloudSnapshot: (options) => readCloudSnapshot(snapshotTransport(), options),
  };
}
