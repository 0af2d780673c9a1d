/**
 * The critical-path bound of one `match`: the least time it can take if every part were free
 * except the injected latencies. The chain is fixed by data dependencies: the relay look-up (the
 * cloud queries need the AD user's addresses and anchors), then the evidence `$batch`: one
 * dependent Graph round trip. Tenant facts (domains, match switches, admin-role holders) do not
 * depend on the AD user: cached, they cost nothing; cold (first `match` after start, or after the
 * cache time) their read starts with the relay look-up and overlaps the evidence `$batch` (only
 * the evidence's result waits for it), so it counts only where it is longer than relay + evidence;
 * an unknown or ambiguous AD user does not wait for it at all. The `to` target look-up runs
 * concurrently with the relay call and counts where it is longer. The number of trips is derived from what
 * the bot's own relay client and cloud directory do for the user, and the observed serial depth of
 * the Graph requests is computed from the emulator's timeline, so the bound is checked, not assumed.
 */
import type { CloudDirectory } from '../../src/ports/cloud-directory.ts';
import type { RelayClient } from '../../src/ports/relay.ts';
import type { RunningEmulator } from '../../src/sandbox/emulator/index.ts';

export interface Latencies {
  graphMs: number;
  relayMs: number;
}

export interface CriticalPath {
  /** Users the relay returned for `who` (the match goes to Graph only when exactly one). */
  onPremMatches: number;
  /** Active (not deleted) cloud candidates. */
  activeCandidates: number;
  /** Least number of Graph round trips that must follow one another after the relay call. */
  dependentGraphTrips: number;
  /** A `to` target is looked up concurrently with the relay. */
  targetLookup: boolean;
  /** HTTP requests the cloud directory made for the evidence alone (called directly, warm cache). */
  evidenceRequests: number;
  /** Dependent round trips of a tenant-facts read (one `$batch` in a tenant without big or group-held roles). */
  tenantFactsTrips: number;
}

export interface MatchRequest {
  who: string;
  target?: string;
}

/** Works out the chain for one match by asking the same relay client and cloud directory the bot uses. */
export async function criticalPathOf(
  request: MatchRequest,
  parts: { relay: RelayClient; cloud: CloudDirectory; emulator: RunningEmulator },
): Promise<CriticalPath> {
  const targetLookup = request.target !== undefined;
  const { users } = await parts.relay.lookup(request.who);
  const onPrem = users.length === 1 ? users[0] : undefined;
  // Every tenant-facts request is one `$batch` sent after the previous one answered.
  const factsStart = parts.emulator.requestCount();
  const tenant = await parts.cloud.tenantFacts(undefined, { fresh: true });
  const tenantFactsTrips = parts.emulator.requestCount() - factsStart;
  if (!onPrem)
    return {
      onPremMatches: users.length,
      activeCandidates: 0,
      dependentGraphTrips: 0,
      targetLookup,
      evidenceRequests: 0,
      tenantFactsTrips,
    };
  const target = request.target === undefined ? undefined : { requested: request.target, user: await parts.cloud.findUser(request.target) };
  const before = parts.emulator.requestCount();
  const evidence = await parts.cloud.evidenceFor(onPrem, { tenant, ...(target ? { target } : {}) });
  const evidenceRequests = parts.emulator.requestCount() - before;
  const activeCandidates = evidence.candidates.filter((c) => c.user.deletedDateTime === null).length;
  return { onPremMatches: 1, activeCandidates, dependentGraphTrips: 1, targetLookup, evidenceRequests, tenantFactsTrips };
}

/**
 * One relay round trip (or the concurrent target look-up, if longer), then the dependent Graph
 * trips; when `cold`, at least the tenant-facts read that runs beside them (for a resolved AD user).
 */
export function boundMs(path: CriticalPath, latencies: Latencies, cold = false): number {
  const first = Math.max(latencies.relayMs, path.targetLookup ? latencies.graphMs : 0);
  const chain = first + path.dependentGraphTrips * latencies.graphMs;
  return cold && path.onPremMatches === 1 ? Math.max(chain, path.tenantFactsTrips * latencies.graphMs) : chain;
}

/** Graph requests one match is expected to send (cold: the tenant-facts read included). */
export function expectedGraphRequests(path: CriticalPath, cold = false): number {
  return path.evidenceRequests + (path.targetLookup ? 1 : 0) + (cold ? path.tenantFactsTrips : 0);
}

interface Span {
  start: number;
  end: number;
}

/**
 * Longest chain of requests where each starts after the previous one ended: how many round trips
 * were actually paid one after another. The emulator logs in whole milliseconds, so a request that
 * starts in the millisecond the previous one ended counts as following it (with latency injected,
 * concurrent requests start together and end together, never one at the other's end).
 */
export function serialDepth(spans: readonly Span[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((span, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) {
      const before = sorted[j];
      if (before && before.end <= span.start && before.start < span.start) best = Math.max(best, depth[j] ?? 0);
    }
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}
