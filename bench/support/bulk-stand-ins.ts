/**
 * The stand-ins a bulk scan reads, for bench:bulk-scan, each in a process of its own (as a domain
 * controller behind its relay and Microsoft Graph are other machines), so neither's work delays
 * the other's answers and the scanning process's memory is the bot's alone: a generated AD
 * (fixture directory) behind the real relay agent, with a delay per LDAP page, and the matching
 * generated tenant in the Entra emulator over HTTPS, with a delay per Graph response (one page, or
 * one `$batch`). Both generate the same directory from the same seed.
 *
 * Graph answers the pages a scan reads in parallel on many servers, each within its latency; one
 * emulator process answers them one after another, so under a scan's first wave of partitions
 * (some fifty pages of 999 users at once) its own rendering, not the latency, set when the last
 * page left. The Graph side therefore runs as GRAPH_PROCESSES emulator processes (node:cluster,
 * one port, connections dealt round robin), each over the same tenant generated from the same
 * seed; pages are read-only and next links carry their position, so any process answers any page.
 *
 *   node bench/support/bulk-stand-ins.ts relay|graph <users> <graphPageMs> <ldapPageMs>
 * prints one JSON line (RelayHalf or GraphHalf) and serves until stdin closes.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  ACTIVE_USER_PREFIXES,
  DELETED_USER_PREFIXES,
  rangeBoundaries,
  SPLIT_ABOVE,
  splitDeletedPrefixes,
  subRanges,
  type UpnRange,
} from '../../src/cloud-directory/snapshot.ts';
import { MAX_PAGE } from '../../src/cloud-directory/queries.ts';
import { parseFixtureUsers, createSourceDirectory } from '../../src/sandbox/fixture-directory.ts';
import { generateDirectory, GENERATED_BASE_DN, type GeneratedDirectory } from '../../src/sandbox/generator/generate.ts';
import { startEmulator } from '../../src/sandbox/emulator/server.ts';
import { EmulatorState } from '../../src/sandbox/emulator/state.ts';
import {
  createSelfSignedCertificate,
  trustCertificateInProcess,
  type SelfSignedCertificate,
} from '../../src/sandbox/emulator/tls-certificate.ts';
import { startRelay } from '../../src/relay/agent/start-relay.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { USERS_PAGE_SIZE } from '../../src/relay/protocol/protocol.ts';
import type { GraphHalf, RelayHalf } from './bulk-halves.ts';
import { withLookupDelay } from './delayed-directory.ts';

/** A user as a partition read sees it: its UPN (lower case) and its object id (the emulator's page order). */
interface Listed {
  upn: string;
  id: string;
}

/**
 * Dependent pages of one partition's read, as src/cloud-directory/snapshot.ts reads it: its pages
 * one after another, or, when it holds more than SPLIT_ABOVE users, its first page and then the
 * longest of its sub-partitions (read in parallel, each split again the same way): for active
 * users, ranges cut at the first page's UPNs (the emulator pages by object id, so the first page
 * is the partition's first MAX_PAGE users by id), for the recycle bin, the next hex digit.
 */
function chainOf(users: readonly Listed[], prefixes: readonly string[], range: UpnRange | null): number {
  const inside = users.filter(
    (u) =>
      prefixes.some((p) => u.upn.startsWith(p)) &&
      (range?.from === undefined || u.upn >= range.from) &&
      (range?.to === undefined || u.upn <= range.to),
  );
  const paged = Math.max(1, Math.ceil(inside.length / MAX_PAGE));
  if (inside.length <= SPLIT_ABOVE) return paged;
  if (range === null) return 1 + Math.max(...splitDeletedPrefixes(prefixes).map((sub) => chainOf(inside, sub, null)));
  const sample = inside.slice(0, MAX_PAGE).map((u) => u.upn);
  const boundaries = rangeBoundaries(sample, inside.length, range);
  if (boundaries.length === 0) return paged;
  return 1 + Math.max(...subRanges(range, boundaries).map((sub) => chainOf(inside, prefixes, sub)));
}

/** The longest chain among the collection's partitions (read in parallel); `deleted`: the recycle bin's. */
function longestChain(
  users: readonly { userPrincipalName: string; id: string }[],
  partitions: readonly (readonly string[])[],
  deleted: boolean,
): number {
  const listed = users
    .map((u) => ({ upn: u.userPrincipalName.toLowerCase(), id: u.id }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return Math.max(...partitions.map((prefixes) => chainOf(listed, prefixes, deleted ? null : {})));
}

/** The relay agent over the generated AD, with LDAP_PAGE_MS per page of its paged read. */
async function startRelaySide(generated: GeneratedDirectory, ldapPageMs: number): Promise<{ half: RelayHalf; close: () => Promise<void> }> {
  const adUsers = parseFixtureUsers(generated.directory, 'generated', 'auto');
  const relayKey = randomBytes(32).toString('base64url');
  const inner = createSourceDirectory({ users: () => Promise.resolve(adUsers) }, { baseDn: GENERATED_BASE_DN });
  // AD answers a subtree search from its index; the fixture directory works out who is under the
  // base once (parsing every DN) and keeps it: done here, before the bench's clock starts.
  for await (const page of inner.users({ kind: 'sync-scope' }, USERS_PAGE_SIZE)) if (page.length > 0) break;
  const directory = withLookupDelay(inner, 0, ldapPageMs);
  const relay = await startRelay(
    { port: 0, host: '127.0.0.1', key: relayKey, fixturesDir: 'generated', syncCommand: 'true', sourceAnchor: 'auto', logLevel: 'silent' },
    { directory, logger: createLogger({ level: 'silent' }) },
  );
  return { half: { relayUrl: relay.url, relayKey, ldapPages: Math.ceil(adUsers.length / USERS_PAGE_SIZE) }, close: () => relay.close() };
}

/** Emulator processes on the Graph side (BENCH_GRAPH_PROCESSES to choose; default one per core). */
const GRAPH_PROCESSES = Number(process.env.BENCH_GRAPH_PROCESSES ?? availableParallelism());

/** What a Graph-side worker tells the primary once it listens. */
interface Listening {
  port: number;
}

/**
 * The Entra emulator over the generated tenant, with GRAPH_PAGE_MS per response, in
 * GRAPH_PROCESSES processes behind one port (see the header); this process only deals the
 * connections and works out the chains from the same tenant.
 */
async function startGraphSide(
  generated: GeneratedDirectory,
  args: readonly string[],
): Promise<{ half: GraphHalf; close: () => Promise<void> }> {
  const tls = createSelfSignedCertificate(new Date());
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url), args: ['graph-worker', ...args], silent: false });
  const workers = Array.from({ length: GRAPH_PROCESSES }, () => cluster.fork({ BENCH_GRAPH_TLS: JSON.stringify(tls) }));
  const ports = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<number>((resolve, reject) => {
          worker.once('message', (m: Listening) => resolve(m.port));
          worker.once('exit', (code) => reject(new Error(`an emulator process exited with code ${code} before listening`)));
        }),
    ),
  );
  if (new Set(ports).size !== 1) throw new Error(`the emulator processes listen on different ports: ${ports.join(', ')}`);
  const state = EmulatorState.fromSeed(generated.tenant);
  const active = state.activeUsers();
  const deleted = state.deletedUsers();
  const half: GraphHalf = {
    graphUrl: `https://127.0.0.1:${ports[0]}`,
    caCertificate: tls.cert,
    graphPagesLongestPartition: Math.max(
      longestChain(active, ACTIVE_USER_PREFIXES, false),
      longestChain(deleted, DELETED_USER_PREFIXES, true),
    ),
    partitions: ACTIVE_USER_PREFIXES.length + DELETED_USER_PREFIXES.length + 1,
    cloudUsers: active.length,
    deletedUsers: deleted.length,
    graphProcesses: GRAPH_PROCESSES,
    pids: workers.map((w) => w.process.pid ?? 0),
  };
  const close = (): Promise<void> => {
    for (const worker of workers) worker.kill();
    return Promise.resolve();
  };
  return { half, close };
}

/** One Graph-side process: the emulator over the generated tenant, with the primary's certificate, on the shared port. */
async function graphWorker(users: number, graphPageMs: number): Promise<void> {
  const tls = JSON.parse(process.env.BENCH_GRAPH_TLS ?? '{}') as SelfSignedCertificate;
  const generated = generateDirectory({ users, seed: 17 });
  const emulator = await startEmulator({ seed: generated.tenant, https: tls, port: 0, latencyMs: graphPageMs });
  // Graph's indexes are built long before anyone scans: the emulator builds its listings and
  // their startswith index on first use, so one query of each collection is made before the clock.
  trustCertificateInProcess(tls.cert);
  const headers = { authorization: 'Bearer warm-up', consistencylevel: 'eventual' };
  for (const path of ['/beta/users', '/v1.0/directory/deletedItems/microsoft.graph.user']) {
    const query = `$filter=${encodeURIComponent("startswith(userPrincipalName,'a')")}&$count=true&$top=1&$select=id`;
    const answer = await fetch(`${emulator.url}${path}?${query}`, { headers });
    if (!answer.ok) throw new Error(`the warm-up query of ${path} answered ${answer.status}`);
  }
  process.send?.({ port: Number(new URL(emulator.url).port) } satisfies Listening);
}

async function main(): Promise<void> {
  const [role, ...numbers] = process.argv.slice(2);
  const [users, , ldapPageMs] = numbers.map(Number) as [number, number, number];
  const generated = generateDirectory({ users, seed: 17 });
  const side = role === 'relay' ? await startRelaySide(generated, ldapPageMs) : await startGraphSide(generated, numbers);
  process.stdout.write(`${JSON.stringify(side.half)}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => {
    void side.close().then(() => process.exit(0));
  });
}

if (cluster.isWorker && process.argv[2] === 'graph-worker') {
  const [users, graphPageMs] = process.argv.slice(3).map(Number) as [number, number];
  void graphWorker(users, graphPageMs).catch((err: unknown) => {
    process.stderr.write(`an emulator process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
} else if (process.argv[2] === 'relay' || process.argv[2] === 'graph') {
  void main().catch((err: unknown) => {
    process.stderr.write(`bulk stand-ins failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
