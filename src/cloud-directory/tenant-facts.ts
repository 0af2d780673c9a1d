/**
 * Tenant facts (domains: verified? federated? initial?; Entra Connect's match switches) in one
 * `$batch`, cached: they change rarely and every `match` needs them. Concurrent callers share one
 * in-flight fetch; a failed fetch is not cached, so the next call tries again.
 */
import type { Domain, OnPremisesDirectorySynchronization } from '@microsoft/microsoft-graph-types';
import type { TenantFacts } from '../domain/cloud.ts';
import type { Deadline } from './deadline.ts';
import type { Operation } from './errors.ts';
import type { GraphTransport } from './graph-transport.ts';
import { DOMAIN_SELECT, toTenantFacts } from './mapping.ts';
import { collectionUrl } from './odata.ts';
import { answerOf, valuesOf } from './queries.ts';

const DOMAINS_OP: Operation = { what: "read the tenant's domains", permission: 'Domain.Read.All' };
const SYNC_OP: Operation = { what: "read the tenant's Entra Connect settings", permission: 'OnPremDirectorySynchronization.Read.All' };

export async function fetchTenantFacts(transport: GraphTransport): Promise<TenantFacts> {
  const answers = await transport.batch({ what: 'read the tenant facts', permission: 'Domain.Read.All' }, [
    { id: 'domains', url: collectionUrl('/domains', { select: DOMAIN_SELECT }) },
    { id: 'sync', url: '/directory/onPremisesSynchronization' },
  ]);
  const [domains, syncs] = await Promise.all([
    valuesOf<Domain>(transport, DOMAINS_OP, answerOf(DOMAINS_OP, answers, 'domains'), {}),
    valuesOf<OnPremisesDirectorySynchronization>(transport, SYNC_OP, answerOf(SYNC_OP, answers, 'sync'), {}),
  ]);
  return toTenantFacts(domains, syncs[0]);
}

export interface TenantFactsCache {
  /** A fetch (if one is needed) runs within `deadline`; a caller joining an in-flight fetch shares the first caller's. */
  get(deadline: Deadline): Promise<TenantFacts>;
}

export function createTenantFactsCache(options: { fetch: (deadline: Deadline) => Promise<TenantFacts>; ttlMs: number; now: () => number }): TenantFactsCache {
  let cached: { facts: TenantFacts; at: number } | undefined;
  let inFlight: Promise<TenantFacts> | undefined;
  const get = (deadline: Deadline): Promise<TenantFacts> => {
    // Copies out, so a caller changing its facts cannot change everyone else's.
    if (cached && options.now() - cached.at < options.ttlMs) return Promise.resolve(structuredClone(cached.facts));
    inFlight ??= options
      .fetch(deadline)
      .then((facts) => {
        cached = { facts, at: options.now() };
        return facts;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight.then((facts) => structuredClone(facts));
  };
  return { get };
}
