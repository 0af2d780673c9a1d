/**
 * The cloud directory: Microsoft Graph (or the Entra emulator) behind the bot's `CloudDirectory`
 * and `CloudWriter` ports, returning the domain's types and throwing CloudError / InputError.
 *
 * Graph application permissions it needs:
 * - `User.ReadWrite.All`: read users (incl. onPremises* properties), set the ImmutableID, rename UPNs
 *   (User.Read.All suffices for a read-only deployment).
 * - `User.DeleteRestore.All`: read the recycle bin and purge from it.
 * - `GroupMember.Read.All`: list groups holding an address (ObjectTypeMismatch).
 * - `RoleManagement.Read.Directory`: the candidates' directory roles.
 * - `Domain.Read.All`: verified / federated / initial domains.
 * - `OnPremDirectorySynchronization.Read.All`: the tenant's match switches.
 * A 403 names the permission the refused call needs.
 *
 * Round trips (all JSON batching, ≤ 20 requests per `$batch`, larger sets in concurrent chunks):
 * - `evidenceFor`: 1 `$batch` with every look-up (UPN, mail and proxy address per SMTP address,
 *   active and deleted holders of either anchor, groups per address), then 1 `$batch` with the
 *   directory roles of the active candidates, skipped when there are none. 2 round trips, or 1.
 * - `tenantFacts`: 1 `$batch` (domains + onPremisesSynchronization), then cached for
 *   `tenantFactsTtlMs`; concurrent callers share the fetch; failures are not cached.
 * - `findUser`: 1 (`$batch` of active + deleted by id, or one filtered GET by UPN).
 * - `holdersOfAnchor`: 1 `$batch` (active + deleted).
 * - `groupUserIds`: 1 (more pages for a group of over 999 users).
 * - writes: 1 request each.
 * More only when a collection spans pages (`@odata.nextLink` is followed) or a request is retried
 * (429 honouring Retry-After, 5xx/network with capped exponential backoff: see graph-transport.ts).
 */
import type { TokenCredential } from '@azure/identity';
import type { CloudDirectory, CloudWriter } from '../bot/ports.ts';
import type { Logger } from '../logging/logger.ts';
import { evidenceFor } from './evidence.ts';
import { createGraphClient } from './graph-client.ts';
import { createGraphTransport, type RetryPolicy } from './graph-transport.ts';
import { createTenantFactsCache, fetchTenantFacts } from './tenant-facts.ts';
import { groupUserIds } from './groups.ts';
import { findUser, holdersOfAnchor } from './users.ts';
import { purgeDeletedUser, setImmutableId, setUserPrincipalName } from './writes.ts';

export { staticTokenCredential } from './credential.ts';
export { anyEqFilter, collectionUrl, eqFilter, odataFilterValue, odataString, pathSegment } from './odata.ts';
export { toCloudUser } from './mapping.ts';

export interface CloudDirectoryOptions {
  /** e.g. https://graph.microsoft.com or the emulator's URL; https only, host without path. */
  graphBaseUrl: string;
  /** @azure/identity; production passes new DefaultAzureCredential(). */
  credential: TokenCredential;
  logger: Logger;
  /** Tenant facts cache lifetime, default 300_000 ms; clock injectable for tests. */
  tenantFactsTtlMs?: number;
  now?: () => number;
  /**
   * Retry policy for 429 / 5xx / no response. Defaults: 4 attempts in all, backoff from 500 ms
   * doubling, capped at 30_000 ms; a 429's Retry-After is waited exactly, unless it exceeds
   * maxDelayMs (then the call fails with CLOUD_THROTTLED at once).
   */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Per HTTP request, default 30_000 ms; a request still unanswered counts as a network failure (retried). */
  requestTimeoutMs?: number;
}

export const DEFAULT_TENANT_FACTS_TTL_MS = 300_000;
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({ attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 });
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export function createCloudDirectory(o: CloudDirectoryOptions): CloudDirectory & CloudWriter {
  const retry: RetryPolicy = {
    attempts: Math.max(1, Math.floor(o.retry?.attempts ?? DEFAULT_RETRY.attempts)),
    baseDelayMs: Math.max(0, o.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: Math.max(0, o.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs),
  };
  const client = createGraphClient({ graphBaseUrl: o.graphBaseUrl, credential: o.credential });
  const transport = createGraphTransport({ client, retry, logger: o.logger, requestTimeoutMs: o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS });
  const facts = createTenantFactsCache({
    fetch: () => fetchTenantFacts(transport),
    ttlMs: o.tenantFactsTtlMs ?? DEFAULT_TENANT_FACTS_TTL_MS,
    now: o.now ?? Date.now,
  });
  return {
    tenantFacts: () => facts.get(),
    findUser: (idOrUpn) => findUser(transport, idOrUpn),
    evidenceFor: (onPrem, context) => evidenceFor(transport, onPrem, context),
    holdersOfAnchor: (immutableId) => holdersOfAnchor(transport, immutableId),
    groupUserIds: (groupId) => groupUserIds(transport, groupId),
    setImmutableId: (userId, immutableId) => setImmutableId(transport, userId, immutableId),
    setUserPrincipalName: (userId, upn) => setUserPrincipalName(transport, userId, upn),
    purgeDeletedUser: (userId) => purgeDeletedUser(transport, userId),
  };
}
