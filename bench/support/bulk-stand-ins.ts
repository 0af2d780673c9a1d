/**
 * The stand-ins a bulk scan reads, for bench:bulk-scan, meant to run in a process of their own so
 * the scanning process's memory is the bot's alone: a generated AD (fixture directory) behind the
 * real relay agent, with a delay per LDAP page, and the matching generated tenant in the Entra
 * emulator over HTTPS, with a delay per Graph response (one page, or one `$batch`).
 *
 *   node bench/support/bulk-stand-ins.ts <users> <graphPageMs> <ldapPageMs>
 * prints one JSON line ({ relayUrl, relayKey, graphUrl, caCertificate, chains }) and serves until
 * stdin closes.
 */
import { randomBytes } from 'node:crypto';
import { ACTIVE_USER_PREFIXES, DELETED_USER_PREFIXES, SPLIT_ABOVE, splitPrefixes } from '../../src/cloud-directory/snapshot.ts';
import { MAX_PAGE } from '../../src/cloud-directory/queries.ts';
import { parseFixtureUsers, createSourceDirectory } from '../../src/sandbox/fixture-directory.ts';
import { generateDirectory, GENERATED_BASE_DN } from '../../src/sandbox/generator/generate.ts';
import { startEmulator } from '../../src/sandbox/emulator/server.ts';
import { startRelay } from '../../src/relay/agent/start-relay.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { USERS_PAGE_SIZE } from '../../src/relay/protocol/protocol.ts';
import { withLookupDelay } from './delayed-directory.ts';

export interface StandIns {
  relayUrl: string;
  relayKey: string;
  graphUrl: string;
  caCertificate: string;
  /**
   * Pages each chain of dependent reads must go through, given the partitions read in parallel
   * (`partitions`: the first ones; big ones are split further).
   */
  chains: { ldapPages: number; graphPagesLongestPartition: number; partitions: number; cloudUsers: number; deletedUsers: number };
}

/**
 * Dependent pages of one partition's read, as src/cloud-directory/snapshot.ts reads it: its pages
 * one after another, or, when it holds more than SPLIT_ABOVE users, its first page and then the
 * longest of its sub-partitions (read in parallel, each split again the same way).
 */
function chainOf(upns: readonly string[], prefixes: readonly string[], deleted: boolean): number {
  const inside = upns.filter((upn) => prefixes.some((p) => upn.startsWith(p)));
  if (inside.length <= SPLIT_ABOVE) return Math.max(1, Math.ceil(inside.length / MAX_PAGE));
  return 1 + Math.max(...splitPrefixes(prefixes, deleted).map((sub) => chainOf(inside, sub, deleted)));
}

/** The longest chain among the collection's partitions (read in parallel). */
function longestChain(upns: readonly string[], partitions: readonly (readonly string[])[], deleted: boolean): number {
  const lower = upns.map((upn) => upn.toLowerCase());
  return Math.max(...partitions.map((prefixes) => chainOf(lower, prefixes, deleted)));
}

async function main(): Promise<void> {
  const [users, graphPageMs, ldapPageMs] = process.argv.slice(2).map(Number) as [number, number, number];
  const generated = generateDirectory({ users, seed: 17 });
  const adUsers = parseFixtureUsers(generated.directory, 'generated', 'auto');
  const emulator = await startEmulator({ seed: generated.tenant, https: true, port: 0, latencyMs: graphPageMs });
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
  const active = emulator.state.activeUsers();
  const deleted = emulator.state.deletedUsers();
  const chains = {
    ldapPages: Math.ceil(adUsers.length / USERS_PAGE_SIZE),
    graphPagesLongestPartition: Math.max(
      longestChain(
        active.map((u) => u.userPrincipalName),
        ACTIVE_USER_PREFIXES,
        false,
      ),
      longestChain(
        deleted.map((u) => u.userPrincipalName),
        DELETED_USER_PREFIXES,
        true,
      ),
    ),
    partitions: ACTIVE_USER_PREFIXES.length + DELETED_USER_PREFIXES.length + 1,
    cloudUsers: active.length,
    deletedUsers: deleted.length,
  };
  const out: StandIns = { relayUrl: relay.url, relayKey, graphUrl: emulator.url, caCertificate: emulator.caCertificate ?? '', chains };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => {
    void Promise.all([relay.close(), emulator.close()]).then(() => process.exit(0));
  });
}

void main().catch((err: unknown) => {
  process.stderr.write(`bulk stand-ins failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
