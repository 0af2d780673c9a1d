/**
 * How a whole-directory `scan` scales: 5,000, 20,000 and 50,000 AD users against a tenant of as
 * many users plus a tenth as many deleted ones (src/sandbox/generator), with injected latency:
 * GRAPH_PAGE_MS per Graph response (one page of up to 999 users, or one `$batch`) and LDAP_PAGE_MS
 * per LDAP page of 1,000 users (exact delays: src/sandbox/emulator/precise-delay.ts).
 *
 * Each size runs in three fresh processes: the relay agent over the generated AD, the Entra
 * emulator over the generated tenant (support/bulk-stand-ins.ts; apart, so the emulator's work
 * never delays the relay's pages, as Graph and a domain controller are other machines), and the
 * scanner (this file with `scan`: the bot's real relay client and cloud directory, and src/bulk's
 * `runScan`, which streams the AD pages, reads the tenant once in partitions and diagnoses every
 * user), compiled by tsc and started with the bot's production Node flags and environment (BOT_NODE_FLAGS, BOT_ENVIRONMENT), as
 * the bot runs in production, so the scanner's peak RSS is the bot's own.
 *
 * Bound: the slowest chain of dependent pages given the partitions read in parallel: the LDAP
 * pages one after another (each needs the previous page's cookie), or the longest Graph partition's
 * pages one after another (each needs the previous page's nextLink), whichever is longer. Target:
 * time / bound at most 1.25 at 50,000, peak RSS at most 300 MB, growth 5k → 50k at most 11x.
 * Beside it: what the per-user `match` path would take for the same users (one relay look-up and
 * one dependent evidence `$batch` per user, bench:match-latency's bound, one user after another).
 *
 *   npm run bench:bulk-scan            (BENCH_SIZES=5000,20000 to choose sizes)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BOT_ENVIRONMENT, BOT_NODE_FLAGS } from '../src/config/node-flags.ts';
import { standInsOf, type GraphHalf, type RelayHalf, type StandIns } from './support/bulk-halves.ts';
import { compileScanner } from './support/compiled-scanner.ts';

const GRAPH_PAGE_MS = 300;
const LDAP_PAGE_MS = 50;
const SIZES = (process.env.BENCH_SIZES ?? '5000,20000,50000').split(',').map(Number);
const TARGET_RATIO = 1.25;
const TARGET_RSS_MB = 300;
const TARGET_GROWTH = 11;

interface ScanFigures {
  ms: number;
  /** CPU time of the scanning process (user + system) during the scan. */
  cpuMs: number;
  rows: number;
  automated: number;
  adPages: number;
  cloudPages: number;
  graphRequests: number;
  baselineRssMb: number;
  peakRssMb: number;
  byOutcome: Record<string, number>;
  /** V8's heap when the RSS peaked, MB. */
  heapAtPeak: { youngMb: number; oldMb: number; externalMb: number };
  /** When the tenant snapshot and the last AD page had been read, ms after the scan started. */
  phases: { cloudRead: number; adRead: number };
}

interface Row {
  users: number;
  standIns: StandIns;
  scan: ScanFigures;
  boundMs: number;
  /** CPU the relay's and the emulator's processes used during the scan. */
  standInCpuMs: { relay: number; emulator: number };
  /** Emulator processes answering Graph's pages (support/bulk-stand-ins.ts). */
  graphProcesses: number;
}

/** The child's first line of JSON (anything else it prints first, e.g. V8's --trace-gc, is passed on). */
function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => (line.startsWith('{') ? resolve(line) : process.stderr.write(`${line}\n`)));
    child.once('exit', (code) => reject(new Error(`${what} exited with code ${code} before answering`)));
  });
}

/** CPU time (user + system) of processes so far, from /proc (Linux). */
function cpuMsOf(...pids: (number | undefined)[]): number {
  let ms = 0;
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  }
  return ms;
}

/** Linux's USER_HZ, what /proc's times count in. */
const CLOCK_TICKS = 100;

function startStandIn(role: 'relay' | 'graph', users: number): ChildProcess {
  const script = fileURLToPath(new URL('./support/bulk-stand-ins.ts', import.meta.url));
  return spawn(
    process.execPath,
    [
      ...(process.env.BENCH_STANDIN_FLAGS ?? '').split(' ').filter(Boolean),
      script,
      role,
      String(users),
      String(GRAPH_PAGE_MS),
      String(LDAP_PAGE_MS),
    ],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
}

async function runSize(users: number, scannerScript: string): Promise<Row> {
  const relayProcess = startStandIn('relay', users);
  const graphProcess = startStandIn('graph', users);
  try {
    const [relay, graph] = await Promise.all([firstLine(relayProcess, 'the relay'), firstLine(graphProcess, 'the emulator')]);
    const graphHalf = JSON.parse(graph) as GraphHalf;
    const standIns = standInsOf(JSON.parse(relay) as RelayHalf, graphHalf);
    // The Graph side's CPU: its primary (which deals connections) and its emulator processes.
    const graphPids = [graphProcess.pid, ...graphHalf.pids];
    // The scanner runs as the bot does in production (BOT_NODE_FLAGS); BENCH_SCANNER_FLAGS adds Node flags to try.
    const flags = [...BOT_NODE_FLAGS, ...(process.env.BENCH_SCANNER_FLAGS ?? '').split(' ').filter((f) => f !== '')];
    // This file compiled (support/compiled-scanner.ts): the bot runs JavaScript, not the .ts sources.
    const scanner = spawn(process.execPath, [...flags, scannerScript, 'scan'], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...BOT_ENVIRONMENT },
    });
    const before = [cpuMsOf(relayProcess.pid), cpuMsOf(...graphPids)];
    scanner.stdin.end(JSON.stringify(standIns));
    const scan = JSON.parse(await firstLine(scanner, 'the scanner')) as ScanFigures;
    const standInCpuMs = { relay: cpuMsOf(relayProcess.pid) - (before[0] ?? 0), emulator: cpuMsOf(...graphPids) - (before[1] ?? 0) };
    const { ldapPages, graphPagesLongestPartition } = standIns.chains;
    const boundMs = Math.max(ldapPages * LDAP_PAGE_MS, graphPagesLongestPartition * GRAPH_PAGE_MS);
    return { users, standIns, scan, boundMs, standInCpuMs, graphProcesses: graphHalf.graphProcesses };
  } finally {
    relayProcess.stdin?.end();
    graphProcess.stdin?.end();
  }
}

function print(rows: readonly Row[]): void {
  const fmt = (n: number, d = 0): string => n.toFixed(d);
  console.log(
    `\nbench:bulk-scan: ${GRAPH_PAGE_MS} ms per Graph page or $batch, ${LDAP_PAGE_MS} ms per LDAP page of 1,000 (load: ${loadAverage()})\n`,
  );
  console.log(
    'AD users | cloud + deleted | LDAP pages | longest Graph partition | Graph requests | time ms | bound ms | time/bound | peak RSS MB (baseline) | per-user match path',
  );
  for (const r of rows) {
    const c = r.standIns.chains;
    const matchPath = r.users * (LDAP_PAGE_MS + GRAPH_PAGE_MS);
    console.log(
      `${r.users} | ${c.cloudUsers} + ${c.deletedUsers} | ${c.ldapPages} | ${c.graphPagesLongestPartition} pages (of ${c.partitions} partitions) | ${r.scan.graphRequests} | ${fmt(r.scan.ms)} | ${r.boundMs} | ${fmt(r.scan.ms / r.boundMs, 2)} | ${fmt(r.scan.peakRssMb)} (${fmt(r.scan.baselineRssMb)}) | ${fmt(matchPath / 60_000, 1)} min, ${r.users} $batch requests`,
    );
  }
  for (const r of rows)
    console.log(
      `  ${r.users}: scanner CPU ${fmt(r.scan.cpuMs)} ms (relay ${fmt(r.standInCpuMs.relay)} ms, emulator ${fmt(r.standInCpuMs.emulator)} ms in ${r.graphProcesses} processes); heap at the RSS peak: young ${fmt(r.scan.heapAtPeak.youngMb)} MB, old ${fmt(r.scan.heapAtPeak.oldMb)} MB, external ${fmt(r.scan.heapAtPeak.externalMb)} MB; tenant read by ${fmt(r.scan.phases.cloudRead)} ms, last AD page by ${fmt(r.scan.phases.adRead)} ms; ${r.scan.rows} rows, ${r.scan.automated} automatable; ${JSON.stringify(r.scan.byOutcome)}`,
    );
  const first = rows.find((r) => r.users === 5000);
  const last = rows.find((r) => r.users === 50_000);
  if (first && last) {
    const growth = last.scan.ms / first.scan.ms;
    const ratio = last.scan.ms / last.boundMs;
    console.log(`\ngrowth 5k → 50k: ${fmt(growth, 2)}x (target ≤ ${TARGET_GROWTH}x)`);
    console.log(
      `50k: time/bound ${fmt(ratio, 2)} (target ≤ ${TARGET_RATIO}), peak RSS ${fmt(last.scan.peakRssMb)} MB (target ≤ ${TARGET_RSS_MB})`,
    );
    const met = growth <= TARGET_GROWTH && ratio <= TARGET_RATIO && last.scan.peakRssMb <= TARGET_RSS_MB;
    console.log(met ? 'targets met' : 'TARGETS MISSED');
  }
}

function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const scannerScript = compileScanner();
  for (const users of SIZES) {
    const row = await runSize(users, scannerScript);
    console.log(`${users} users: ${row.scan.ms.toFixed(0)} ms (bound ${row.boundMs} ms), peak RSS ${row.scan.peakRssMb.toFixed(0)} MB`);
    rows.push(row);
  }
  print(rows);
}

if (process.argv[2] === 'scan') {
  const { scanOnce } = await import('./support/bulk-scanner.ts');
  await scanOnce();
} else {
  await main();
}
