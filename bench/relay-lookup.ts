/**
 * How fast the relay answers lookups from a real AD: starts the Samba test DC (same harness as the
 * integration tests), then times N lookups over a sAMAccountName / UPN / GUID mix, one at a time
 * and 16 at a time on the directory's single shared connection.
 *
 *   npm run bench:relay-lookup            (BENCH_LOOKUPS=1000 to change N; default 400)
 */
import { performance } from 'node:perf_hooks';
import { anchorFormats, parseAnchor } from '../src/domain/anchors.ts';
import { classifyWho, type Who } from '../src/domain/who.ts';
import { createLdapDirectory } from '../src/relay/agent/ldap-directory.ts';
import type { Directory } from '../src/relay/agent/directory.ts';
import { ldapConfigFor, missingSambaTools, SAMBA_MISSING_LINE, startSamba, type SambaContext } from '../test/support/samba.ts';

const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 400);
const WARM_UP = 50;

interface Query {
  label: string;
  who: Who;
}

/** Each seeded user (except the two sharing one mail address) by sAMAccountName, UPN and GUID. */
function queries(ctx: SambaContext): Query[] {
  const out: Query[] = [];
  for (const u of Object.values(ctx.users)) {
    if (u.key === 'share1' || u.key === 'share2') continue;
    out.push({ label: 'sam', who: classifyWho(u.sam) });
    if (u.upn) out.push({ label: 'upn', who: classifyWho(u.upn) });
    const formats = anchorFormats(parseAnchor(u.objectGuidImmutableId));
    out.push({ label: 'guid', who: classifyWho(formats.guid) });
    out.push({ label: 'immutableId', who: classifyWho(formats.immutableId) });
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

interface Run {
  concurrency: number;
  median: number;
  p95: number;
  perSecond: number;
}

/** `count` lookups, `concurrency` at a time; every lookup must find exactly one user. */
async function measure(directory: Directory, mix: Query[], count: number, concurrency: number): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const query = mix[next % mix.length];
      next += 1;
      if (!query) continue;
      const started = performance.now();
      const { users } = await directory.lookup(query.who, 10);
      latencies.push(performance.now() - started);
      if (users.length !== 1) throw new Error(`${query.label} ${query.who.text}: expected 1 user, got ${users.length}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { concurrency, median: percentile(latencies, 50), p95: percentile(latencies, 95), perSecond: count / seconds };
}

const WIDTHS = [11, 10, 9, 12];

function row(cells: string[]): string {
  return cells.map((c, i) => c.padStart(WIDTHS[i] ?? 0)).join('  ');
}

async function main(): Promise<void> {
  if (missingSambaTools().length > 0) {
    console.error(SAMBA_MISSING_LINE);
    process.exitCode = 1;
    return;
  }
  const samba = await startSamba({ log: (line) => console.error(line) });
  const directory = createLdapDirectory(ldapConfigFor(samba.context), { sourceAnchor: 'auto' });
  try {
    const mix = queries(samba.context);
    await measure(directory, mix, WARM_UP, 4);
    const runs = [await measure(directory, mix, LOOKUPS, 1), await measure(directory, mix, LOOKUPS, 16)];
    console.log(`\nrelay lookups against Samba AD over LDAPS: ${LOOKUPS} per run, ${mix.length} queries (sam / upn / guid / immutableId)`);
    console.log(row(['concurrency', 'median ms', 'p95 ms', 'lookups/s']));
    for (const r of runs) console.log(row([String(r.concurrency), r.median.toFixed(2), r.p95.toFixed(2), r.perSecond.toFixed(0)]));
  } finally {
    await directory.close();
    await samba.stop();
  }
}

await main();
