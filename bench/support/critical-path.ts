/**
 * The critical-path bound of one `match`: the least time it can take if every part were free
 * except the injected latencies. The chain is fixed by data dependencies: the relay look-up (the
 * cloud queries need the AD user's addresses and anchors), then the evidence `$batch`, then the
 * roles `$batch` (only when some candidate is active: roles are read for active candidates). Tenant
 * facts are cached and the `to` target look-up runs concurrently with the relay, so they only count
 * where they are longer than the relay call. The number of trips is derived from what the bot's own
 * relay client and cloud directory return for the user, and the observed serial depth of the Graph
 * requests is computed from the emulator's timeline, so the bound is checked, not assumed.
 */
import type { CloudDirectory, RelayClient } from '../../src/bot/ports.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';

export interface Latencies {
  graphMs: number;
  relayMs: number;
}

export interface CriticalPath {
  /** Users the relay returned for `who` (the match goes to Graph only when exactly one). */
  onPremMatches: number;
  /** Active (not deleted) cloud candidates, whose roles need the second batch. */
  activeCandidates: number;
  /** Least number of Graph round trips that must follow one another after the relay call. */
  dependentGraphTrips: number;
  /** A `to` target is looked up concurrently with the relay. */
  targetLookup: boolean;
  /** HTTP requests the cloud directory made for the evidence alone (called directly, warm cache). */
  evidenceRequests: number;
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
  if (!onPrem) return { onPremMatches: users.length, activeCandidates: 0, dependentGraphTrips: 0, targetLookup, evidenceRequests: 0 };
  const tenant = await parts.cloud.tenantFacts();
  const target = request.target === undefined ? undefined : { requested: request.target, user: await parts.cloud.findUser(request.target) };
  const before = parts.emulator.requestCount();
  const evidence = await parts.cloud.evidenceFor(onPrem, { tenant, ...(target ? { target } : {}) });
  const evidenceRequests = parts.emulator.requestCount() - before;
  const activeCandidates = evidence.candidates.filter((c) => c.user.deletedDateTime === null).length;
  return { onPremMatches: 1, activeCandidates, dependentGraphTrips: activeCandidates > 0 ? 2 : 1, targetLookup, evidenceRequests };
}

/** One relay round trip (or the concurrent target look-up, if longer), then the dependent Graph trips. */
export function boundMs(path: CriticalPath, latencies: Latencies): number {
  const first = Math.max(latencies.relayMs, path.targetLookup ? latencies.graphMs : 0);
  return first + path.dependentGraphTrips * latencies.graphMs;
}

/** Graph requests one match is expected to send once tenant facts are cached. */
export function expectedGraphRequests(path: CriticalPath): number {
  return path.evidenceRequests + (path.targetLookup && path.onPremMatches === 1 ? 1 : 0);
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
