/**
 * The bot's side of bench:bulk-scan, in a process of its own: reads the stand-ins' addresses on
 * stdin, runs one `scan` of the whole sync scope through the real relay client, the real cloud
 * directory and src/bulk's runScan, and prints one JSON line of figures (time, pages, rows, RSS).
 */
import { text } from 'node:stream/consumers';
import { getHeapSpaceStatistics } from 'node:v8';
import { runScan, type ScanCounters } from '../../src/bulk/scan.ts';
import { CHUNK_ROWS } from '../../src/bulk/scan-store.ts';
import { createCloudDirectory, staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createRelayClient } from '../../src/relay/client/relay-client.ts';
import type { OnPremSnapshotSource } from '../../src/ports/snapshot.ts';
import { trustCertificateInProcess } from '../../src/sandbox/emulator/tls-certificate.ts';
import type { StandIns } from './bulk-halves.ts';

const mb = (bytes: number): number => bytes / (1024 * 1024);

/** MB in V8's young generation, its old generation (and large objects), and outside the heap (buffers). */
function heapNow(): { youngMb: number; oldMb: number; externalMb: number } {
  const spaces = getHeapSpaceStatistics();
  const size = (names: string[]): number => mb(spaces.filter((s) => names.includes(s.space_name)).reduce((n, s) => n + s.space_size, 0));
  return {
    youngMb: size(['new_space', 'new_large_object_space']),
    oldMb: size([
      'old_space',
      'large_object_space',
      'code_space',
      'code_large_object_space',
      'trusted_space',
      'trusted_large_object_space',
      'shared_space',
    ]),
    externalMb: mb(process.memoryUsage().external),
  };
}

/** The relay's stream, calling `ended` when its last page has arrived. */
function timedStream(source: OnPremSnapshotSource, ended: () => void): OnPremSnapshotSource {
  return {
    async *streamUsers(scope, options) {
      yield* source.streamUsers(scope, options);
      ended();
    },
  };
}

export async function scanOnce(): Promise<void> {
  const standIns = JSON.parse(await text(process.stdin)) as StandIns;
  trustCertificateInProcess(standIns.caCertificate);
  const logger = createLogger({ level: 'silent' });
  const relay = createRelayClient({ url: standIns.relayUrl, key: standIns.relayKey, timeoutMs: 10_000 });
  const cloud = createCloudDirectory({ graphBaseUrl: standIns.graphUrl, credential: staticTokenCredential('bench'), logger });
  // Warm the connections and the modules the scan loads, so the timed scan starts as a bot's would.
  await relay.health();
  await cloud.tenantFacts(undefined, { fresh: true });
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  // At each new peak: what V8's heap held then (young generation, old generation, outside the heap).
  let atPeak = heapNow();
  let last: ScanCounters | undefined;
  const started = performance.now();
  let tick = 0;
  const sampler = setInterval(() => {
    // rss() alone is cheap; the heap's figures are read only when the peak has grown by a MB.
    const rss = process.memoryUsage.rss();
    if (rss > peak + 1024 * 1024) [peak, atPeak] = [rss, heapNow()];
    else peak = Math.max(peak, rss);
    // BENCH_TRACE=1: every 100 ms, the RSS, the heap and the scan's counters, on stderr.
    if (process.env.BENCH_TRACE && tick++ % 10 === 0) {
      const at = (performance.now() - started).toFixed(0);
      process.stderr.write(`${at} ms: RSS ${mb(rss).toFixed(0)} MB, heap ${JSON.stringify(heapNow())}, ${JSON.stringify(last)}\n`);
    }
  }, 10);
  const cpuBefore = process.cpuUsage();
  // When each side's read ended (ms from the start): where the time goes.
  const phases = { cloudRead: 0, adRead: 0 };
  const timed = {
    readCloudSnapshot: (options?: Parameters<typeof cloud.readCloudSnapshot>[0]) =>
      cloud.readCloudSnapshot(options).finally(() => (phases.cloudRead = performance.now() - started)),
  };
  const result = await runScan(
    { kind: 'scope', scope: { kind: 'sync-scope' } },
    {
      onPrem: timedStream(relay, () => (phases.adRead = performance.now() - started)),
      cloud: timed,
      tenantFacts: () => cloud.tenantFacts(undefined, { fresh: true }),
    },
    // As the scan runner does: the report goes to the store chunk by chunk. The store is another
    // machine (Table Storage): a chunk costs its JSON here, then leaves the process.
    {
      onProgress: (counters) => (last = counters),
      report: { size: CHUNK_ROWS, save: (_n, rows) => Promise.resolve(void JSON.stringify(rows)) },
    },
  );
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const figures = {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rows: result.summary.total,
    automated: result.summary.automated,
    adPages: last?.ad.pages ?? 0,
    cloudPages: last?.cloud.pages ?? 0,
    graphRequests: (last?.cloud.pages ?? 0) + 2,
    baselineRssMb: mb(baseline),
    peakRssMb: mb(peak),
    heapAtPeak: atPeak,
    byOutcome: result.summary.counts,
    phases,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}
