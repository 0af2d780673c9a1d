/**
 * Tenant facts (domains: verified? federated? initial?; Entra Connect's match switches; who holds
 * admin roles) in one `$batch`, cached: they change rarely and every `match` needs them, and
 * reading them does not depend on the AD user, so `match` reads them while the relay looks the AD
 * user up. Concurrent callers share one in-flight fetch; a failed fetch is not cached, so the next
 * call tries again; `{ fresh: true }` bypasses the cache (and refreshes it).
 */
import type { Domain, OnPremisesDirectorySynchronization } from '@microsoft/microsoft-graph-types';
import type { TenantFacts } from '../domain/cloud.ts';
import type { Deadline } from './deadline.ts';
import type { Operation } from './errors.ts';
import type { GraphTransport } from './graph-transport.ts';
import { DOMAIN_SELECT, toTenantFacts } from './mapping.ts';
import { collectionUrl } from './odata.ts';
import { answerOf, valuesOf } from './queries.ts';
import { readRoleHolders, roleHoldersRequest, ROLES_OP } from './role-holders.ts';
import { eligibilityRequests, readEligibleRoleHolders } from './eligible-roles.ts';
import { cloudSyncRequest, connectVersionOf, readCloudSyncJobs, syncEngineOf } from './sync-engine.ts';

const DOMAINS_OP: Operation = { what: "read the tenant's domains", permission: 'Domain.Read.All' };
const SYNC_OP: Operation = { what: "read the tenant's Entra Connect settings", permission: 'OnPremDirectorySynchronization.Read.All' };

/**
 * One `$batch`: domains, the sync switches, role holders, PIM eligibility and Cloud Sync's service
 * principals. Follow-ups (big roles or role groups; Cloud Sync's jobs and schemas) run concurrently.
 * Eligibility and Cloud Sync are read leniently: a permission the bot lacks is named in
 * `missingPermissions` and leaves that fact unknown rather than failing every `match`.
 */
export async function fetchTenantFacts(transport: GraphTransport): Promise<TenantFacts> {
  const answers = await transport.batch(
    { what: 'read the tenant facts', permission: 'Domain.Read.All' },
    [
      { id: 'domains', url: collectionUrl('/domains', { select: DOMAIN_SELECT }) },
      { id: 'sync', url: '/directory/onPremisesSynchronization' },
      roleHoldersRequest('roles'),
      ...eligibilityRequests('eligible'),
      cloudSyncRequest('cloudSync'),
    ],
    // Beta: the Entra Connect version (onPremisesSynchronization's synchronizationClientVersion) is beta's.
    { version: 'beta' },
  );
  const missing: string[] = [];
  const [domains, syncs, roleHolders, eligible, jobs] = await Promise.all([
    valuesOf<Domain>(transport, DOMAINS_OP, answerOf(DOMAINS_OP, answers, 'domains'), {}),
    valuesOf<OnPremisesDirectorySynchronization>(transport, SYNC_OP, answerOf(SYNC_OP, answers, 'sync'), {}),
    readRoleHolders(transport, answerOf(ROLES_OP, answers, 'roles')),
    readEligibleRoleHolders(transport, answers, 'eligible', missing),
    readCloudSyncJobs(transport, answers.get('cloudSync'), missing),
  ]);
  const facts = toTenantFacts(domains, syncs[0], roleHolders);
  if (eligible) facts.eligibleRoleHolders = eligible;
  facts.syncEngine = syncEngineOf(jobs, connectVersionOf(syncs[0]));
  if (missing.length > 0) facts.missingPermissions = [...new Set(missing)].sort();
  return facts;
}

export interface TenantFactsCache {
  /**
   * The cached facts while younger than the TTL; `fresh: true` reads them now (and caches that). A
   * fetch (if one is needed) runs within `deadline`; a caller joining an in-flight fetch shares the first caller's.
   */
  get(deadline: Deadline, options?: { fresh?: boolean }): Promise<TenantFacts>;
}

export function createTenantFactsCache(options: {
  fetch: (deadline: Deadline) => Promise<TenantFacts>;
  ttlMs: number;
  now: () => number;
}): TenantFactsCache {
  let cached: { facts: TenantFacts; at: number } | undefined;
  let inFlight: Promise<TenantFacts> | undefined;
  const start = (deadline: Deadline): Promise<TenantFacts> => {
    const startedAt = options.now();
    const fetch: Promise<TenantFacts> = options
      .fetch(deadline)
      .then((facts) => {
        // A read that started earlier and ended later never replaces a newer one.
        if (!cached || cached.at <= startedAt) cached = { facts, at: startedAt };
        return facts;
      })
      .finally(() => {
        if (inFlight === fetch) inFlight = undefined;
      });
    inFlight = fetch;
    return fetch;
  };
  const get = (deadline: Deadline, request: { fresh?: boolean } = {}): Promise<TenantFacts> => {
    // Copies out, so a caller changing its facts cannot change everyone else's.
    if (!request.fresh && cached && options.now() - cached.at < options.ttlMs) return Promise.resolve(structuredClone(cached.facts));
    // A fresh read never joins a fetch that started before it was asked for.
    const fetch = request.fresh || !inFlight ? start(deadline) : inFlight;
    return fetch.then((facts) => structuredClone(facts));
  };
  return { get };
}
