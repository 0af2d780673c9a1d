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
 * - A partition whose first page says (`$count`) that more than SPLIT_ABOVE users match is not
 *   paged on: its next pages would be one long chain. It is read again as sub-partitions, one per
 *   next character (`startswith` on the prefix plus one letter, digit group, punctuation group or
 *   `@`; for the recycle bin, the next hex digit), in parallel, each split again the same way when
 *   it is big. The chain becomes the first page plus the longest sub-partition's, and the first
 *   page's users are read twice (kept by object id, so once in the snapshot).
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

/** A `$filter` over the start of userPrincipalName; the values are our own constants (and prefixes made of them). */
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

/**
 * A partition matching more users than this is split rather than paged on: paging on would take
 * at least two more dependent pages, splitting takes one more where every sub-partition fits a page.
 */
export const SPLIT_ABOVE = 2 * MAX_PAGE;
/** The characters that may follow a prefix in a UPN, in `or` groups of at most four (`@` ends a local part). */
const NEXT_ACTIVE: readonly (readonly string[])[] = [
  ...LETTERS.map((c) => [c]),
  ['0', '1', '2', '3'],
  ['4', '5', '6', '7'],
  ['8', '9'],
  ...PUNCTUATION_GROUPS,
  ['@'],
];
/** A deleted user's UPN goes on with its object id's hex digits. */
const NEXT_DELETED: readonly (readonly string[])[] = HEX.map((c) => [c]);

/** The sub-partitions a partition of the active users (`deleted`: of the recycle bin) is read as when it is split. */
export function splitPrefixes(prefixes: readonly string[], deleted = false): string[][] {
  const next = deleted ? NEXT_DELETED : NEXT_ACTIVE;
  return prefixes.flatMap((prefix) => next.map((group) => group.map((c) => prefix + c)));
}

/** A user partition: its prefixes and how to split it. */
function userPartition(prefixes: readonly string[], deleted: boolean): Partition {
  return { filter: startsWithAny(prefixes), split: () => splitPrefixes(prefixes, deleted).map((sub) => userPartition(sub, deleted)) };
}
/** Mail-enabled groups are the ones holding SMTP addresses. */
export const MAIL_GROUPS_FILTER = "proxyAddresses/any(p:startswith(p,'smtp:'))";

export interface SnapshotReadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

interface Partition {
  filter: string;
  /** The sub-partitions this one is read as when its first page says it is big; none: paged on. */
  split?: () => Partition[];
}

interface Collection<T> {
  path: string;
  select: readonly string[];
  partitions: readonly Partition[];
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

/** One page of a collection; `link` is a URL our own or a nextLink Graph gave. */
async function readPage<T>(reader: Reader, collection: Collection<T>, link: string): Promise<Page<T>> {
  reader.options.signal?.throwIfAborted();
  const headers = { ...ADVANCED_QUERY_HEADERS };
  return reader.transport.call(collection.op, (request) => {
    const built = request(link).headers(headers);
    return (collection.version ? built.version(collection.version) : built).get() as Promise<Page<T>>;
  });
}

function keep<T>(reader: Reader, collection: Collection<T>, page: Page<T>, into: Map<string, { id: string }>): void {
  for (const item of page.value ?? []) {
    const mapped = collection.map(item);
    // A split partition's first page is read again by its sub-partitions: count each object once.
    if (!into.has(mapped.id)) reader.progress.read += 1;
    into.set(mapped.id, mapped);
  }
  reader.progress.pages += 1;
  reader.options.onProgress?.({ ...reader.progress });
}

function nextLinkOf<T>(page: Page<T>): string | undefined {
  const next = page['@odata.nextLink'];
  return typeof next === 'string' && next !== '' ? next : undefined;
}

/**
 * Every object of one partition (or, without one, of the whole collection): its pages first to
 * last, or, when its first page says it is big and it can be split, its sub-partitions in parallel.
 */
async function readPartition<T>(
  reader: Reader,
  collection: Collection<T>,
  partition: Partition | undefined,
  into: Map<string, { id: string }>,
): Promise<void> {
  const first = collectionUrl(collection.path, {
    ...(partition ? { filter: partition.filter } : {}),
    select: collection.select,
    top: MAX_PAGE,
    count: true,
  });
  let page = await readPage(reader, collection, first);
  keep(reader, collection, page, into);
  const count = page['@odata.count'];
  if (partition?.split && nextLinkOf(page) !== undefined && count !== undefined && count > SPLIT_ABOVE) {
    await Promise.all(partition.split().map((sub) => readPartition(reader, collection, sub, into)));
    return;
  }
  for (let next = nextLinkOf(page); next !== undefined; next = nextLinkOf(page)) {
    page = await readPage(reader, collection, next);
    keep(reader, collection, page, into);
  }
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
    ...collection.partitions.map((partition) => readPartition(reader, collection, partition, into)),
  ]);
  // A UPN starting with a character no partition names: read the rest unpartitioned (kept by id).
  if (total !== undefined && found.size < total) await readPartition(reader, collection, undefined, into);
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
      partitions: ACTIVE_USER_PREFIXES.map((prefixes) => userPartition(prefixes, false)),
      op: USERS_OP,
      map: (u) => toCloudUser(u),
    }),
    readCollection<User, CloudUser>(reader, {
      path: DELETED_USERS_PATH,
      select: DELETED_USER_SELECT,
      partitions: DELETED_USER_PREFIXES.map((prefixes) => userPartition(prefixes, true)),
      op: DELETED_OP,
      map: (u) => toCloudUser(u),
    }),
    readCollection<Group, CloudGroup>(reader, {
      path: GROUPS_PATH,
      select: GROUP_SELECT,
      partitions: [{ filter: MAIL_GROUPS_FILTER }],
      op: GROUPS_OP,
      map: toCloudGroup,
    }),
  ]);
  return { users, deleted, groups };
}
