/**
 * The whole tenant read once for a scan: every user, every user in the recycle bin and every
 * mail-enabled group, with the same `$select` a single `match` reads, `$top=999`, each collection
 * split into partitions read in parallel (each partition's pages follow one another through
 * `@odata.nextLink`, so the partitions are what makes the read short). No per-user call.
 *
 * Partitions, and why they cover every object exactly once:
 * - Active users by the first character of `userPrincipalName` (`startswith`, which Graph compares
 *   case-insensitively): one partition per letter and digit, and the punctuation a UPN's local part
 *   may start with grouped into a few `or` partitions. Distinct first characters make the partitions
 *   disjoint. Entra allows only letters, digits and ' . - _ ! # ^ ~ in a UPN's local part (and `$`
 *   appears on old synced objects), so together they cover every UPN.
 * - Deleted users by the first hex digit of their UPN: Entra renames a deleted user to its object
 *   id followed by the old UPN, so 16 partitions split the recycle bin evenly.
 * - In case a UPN starts with anything else, the total (`$count` of the collection, read alongside
 *   the partitions' first pages, so it adds no wait) is compared with what the partitions found; a
 *   shortfall reads the whole collection once more unpartitioned. Users are kept by object id, so
 *   nobody is counted twice either way.
 * Each page's 429 is waited out as Graph asks (graph-transport.ts); with `lowPriority` every request
 * says `x-ms-throttle-priority: low`, so a single `match` going on meanwhile is served first.
 */
import type { Group, User } from '@microsoft/microsoft-graph-types';
import type { CloudGroup, CloudUser } from '../domain/cloud.ts';
import type { CloudSnapshot, ScanProgress } from '../ports/snapshot.ts';
import type { Operation } from './errors.ts';
import type { GraphTransport } from './graph-transport.ts';
import { BETA_USER_SELECT, DELETED_USER_SELECT, GROUP_SELECT, toCloudGroup, toCloudUser } from './mapping.ts';
import { collectionUrl, odataString } from './odata.ts';
import { ADVANCED_QUERY_HEADERS, DELETED_USERS_PATH, GROUPS_PATH, MAX_PAGE, USERS_PATH } from './queries.ts';

const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
const DIGITS = [...'0123456789'];
/** Punctuation a UPN may start with, in `or` groups of at most four (Graph limits `or` clauses). */
const PUNCTUATION_GROUPS = [
  ["'", '-', '_', '!'],
  ['#', '^', '~', '$'],
  ['.', '&', '+', '='],
];
const HEX = [...'0123456789abcdef'];

/** A `$filter` over userPrincipalName's first character; the values are our own constants. */
function startsWithAny(prefixes: readonly string[]): string {
  return prefixes.map((p) => `startswith(userPrincipalName,${odataString(p)})`).join(' or ');
}

/** The first characters of each partition of the active users (see the header). */
export const ACTIVE_USER_PREFIXES: readonly (readonly string[])[] = [...LETTERS, ...DIGITS].map((c) => [c]).concat(PUNCTUATION_GROUPS);
/** The first characters of each partition of the recycle bin (the object id a deleted UPN starts with). */
export const DELETED_USER_PREFIXES: readonly (readonly string[])[] = HEX.map((c) => [c]);
/** The partitions as `$filter` expressions. */
export const ACTIVE_USER_PARTITIONS: readonly string[] = ACTIVE_USER_PREFIXES.map(startsWithAny);
export const DELETED_USER_PARTITIONS: readonly string[] = DELETED_USER_PREFIXES.map(startsWithAny);
/** Mail-enabled groups are the ones holding SMTP addresses. */
export const MAIL_GROUPS_FILTER = "proxyAddresses/any(p:startswith(p,'smtp:'))";

export interface SnapshotReadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

interface Collection<T> {
  path: string;
  select: readonly string[];
  partitions: readonly string[];
  op: Operation;
  map: (item: T) => { id: string };
  /** 'beta' for active users: `onPremisesObjectIdentifier` exists only there (a scan must see the mapping `match` sees). */
  version?: 'beta';
}

interface Page<T> {
  value?: T[];
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
}

interface Reader {
  transport: GraphTransport;
  options: SnapshotReadOptions;
  progress: ScanProgress;
}

/** Every page of one query, first to last; returns how many items Graph said matched. */
async function readQuery<T>(
  reader: Reader,
  collection: Collection<T>,
  filter: string | undefined,
  into: Map<string, { id: string }>,
): Promise<number | undefined> {
  const headers = { ...ADVANCED_QUERY_HEADERS };
  let url: string | undefined = collectionUrl(collection.path, {
    ...(filter ? { filter } : {}),
    select: collection.select,
    top: MAX_PAGE,
    count: true,
  });
  let count: number | undefined;
  while (url !== undefined) {
    reader.options.signal?.throwIfAborted();
    const link: string = url;
    const page = await reader.transport.call(collection.op, (request) => {
      const built = request(link).headers(headers);
      return (collection.version ? built.version(collection.version) : built).get() as Promise<Page<T>>;
    });
    count ??= page['@odata.count'];
    for (const item of page.value ?? []) {
      const mapped = collection.map(item);
      into.set(mapped.id, mapped);
    }
    reader.progress.pages += 1;
    reader.progress.read += page.value?.length ?? 0;
    reader.options.onProgress?.({ ...reader.progress });
    url = typeof page['@odata.nextLink'] === 'string' && page['@odata.nextLink'] !== '' ? page['@odata.nextLink'] : undefined;
  }
  return count;
}

/** The collection's total, from a one-item page with `$count=true` (sent alongside the partitions). */
async function totalOf<T>(reader: Reader, collection: Collection<T>): Promise<number | undefined> {
  const url = collectionUrl(collection.path, { select: ['id'], top: 1, count: true });
  const page = await reader.transport.call(
    collection.op,
    (request) =>
      request(url)
        .headers({ ...ADVANCED_QUERY_HEADERS })
        .get() as Promise<Page<T>>,
  );
  return page['@odata.count'];
}

async function readCollection<T, R extends { id: string }>(
  reader: Reader,
  collection: Collection<T> & { map: (item: T) => R },
): Promise<R[]> {
  const found = new Map<string, R>();
  const into = found as Map<string, { id: string }>;
  const [total] = await Promise.all([
    collection.partitions.length > 1 ? totalOf(reader, collection) : Promise.resolve(undefined),
    ...collection.partitions.map((filter) => readQuery(reader, collection, filter, into)),
  ]);
  // A UPN starting with a character no partition names: read the rest unpartitioned (kept by id).
  if (total !== undefined && found.size < total) await readQuery(reader, collection, undefined, into);
  return [...found.values()];
}

const USERS_OP: Operation = { what: 'read every user of the tenant', permission: 'User.Read.All (or User.ReadWrite.All)' };
const DELETED_OP: Operation = { what: 'read every user in the recycle bin', permission: 'User.Read.All (or User.ReadWrite.All)' };
const GROUPS_OP: Operation = { what: 'read the mail-enabled groups', permission: 'GroupMember.Read.All' };

export async function readCloudSnapshot(transport: GraphTransport, options: SnapshotReadOptions = {}): Promise<CloudSnapshot> {
  const reader: Reader = { transport, options, progress: { read: 0, pages: 0 } };
  const [users, deleted, groups] = await Promise.all([
    readCollection<User, CloudUser>(reader, {
      path: USERS_PATH,
      select: BETA_USER_SELECT,
      version: 'beta',
      partitions: ACTIVE_USER_PARTITIONS,
      op: USERS_OP,
      map: (u) => toCloudUser(u),
    }),
    readCollection<User, CloudUser>(reader, {
      path: DELETED_USERS_PATH,
      select: DELETED_USER_SELECT,
      partitions: DELETED_USER_PARTITIONS,
      op: DELETED_OP,
      map: (u) => toCloudUser(u),
    }),
    readCollection<Group, CloudGroup>(reader, {
      path: GROUPS_PATH,
      select: GROUP_SELECT,
      partitions: [MAIL_GROUPS_FILTER],
      op: GROUPS_OP,
      map: toCloudGroup,
    }),
  ]);
  return { users, deleted, groups };
}
