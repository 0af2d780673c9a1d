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
 *   paged on: its next pages would be one long chain. A recycle-bin partition is read again as
 *   one sub-partition per next hex digit (even, as object ids are). An active one is read again as ranges of UPNs inside
 *   it (`userPrincipalName ge 'b1' and userPrincipalName le 'b2'`, an advanced query, as every
 *   read here is), in parallel, each split again the same way when it is big. The boundaries are
 *   UPNs of the first page, taken at its quantiles, so each range holds about RANGE_TARGET users
 *   when the first page is a fair sample of the partition (Graph pages in no UPN order; the
 *   emulator by object id). They only decide how even the ranges are, never what is covered:
 *   (-, b1], [b1, b2], ..., [bk, -) cover every UPN in any total order Graph may compare in, and
 *   the two ranges sharing a boundary both read the one user it names (kept by object id). The
 *   chain becomes the first page plus the longest range's, with about count / RANGE_TARGET
 *   requests, where splitting by the next character took one per character, most of them empty.
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
 * at least two more dependent pages, splitting takes one more where every range fits a page.
 */
export const SPLIT_ABOVE = 2 * MAX_PAGE;
/**
 * Users per range a split aims at: below a page (999) by enough that a range drawn from a
 * 999-user sample of the partition still fits one page (the spread is about sqrt(users) either side).
 */
export const RANGE_TARGET = 800;

/** UPNs from `from` to `to`, both included; an absent end is open. */
export interface UpnRange {
  from?: string;
  to?: string;
}

/**
 * Where a partition of `count` users whose first page held the UPNs `sample` is cut: at the
 * sample's quantiles, about RANGE_TARGET users apart, each boundary strictly inside `range` and
 * distinct (compared lower-cased, as Graph compares UPNs without case). Empty: it cannot be cut.
 */
export function rangeBoundaries(sample: readonly string[], count: number, range: UpnRange = {}): string[] {
  const inside = (upn: string): boolean =>
    (range.from === undefined || upn > range.from.toLowerCase()) && (range.to === undefined || upn < range.to.toLowerCase());
  const sorted = [...new Set(sample.map((upn) => upn.toLowerCase()))].filter(inside).sort();
  const parts = Math.min(Math.ceil(count / RANGE_TARGET), sorted.length + 1);
  const boundaries: string[] = [];
  for (let i = 1; i < parts; i++) {
    const boundary = sorted[Math.floor((i * sorted.length) / parts)];
    if (boundary !== undefined && boundary !== boundaries.at(-1)) boundaries.push(boundary);
  }
  return boundaries;
}

/** `range` cut at `boundaries` (sorted): (from, b1], [b1, b2], ..., [bk, to). */
export function subRanges(range: UpnRange, boundaries: readonly string[]): UpnRange[] {
  const edges = [range.from, ...boundaries, range.to];
  return edges.slice(1).map((to, i) => ({ ...(edges[i] !== undefined ? { from: edges[i] } : {}), ...(to !== undefined ? { to } : {}) }));
}

/** The `$filter` of the users under `prefixes` within `range`. */
function userFilter(prefixes: readonly string[], range: UpnRange): string {
  const starts = startsWithAny(prefixes);
  const bounds = [
    ...(range.from !== undefined ? [`userPrincipalName ge ${odataString(range.from)}`] : []),
    ...(range.to !== undefined ? [`userPrincipalName le ${odataString(range.to)}`] : []),
  ];
  if (bounds.length === 0) return starts;
  return [prefixes.length > 1 ? `(${starts})` : starts, ...bounds].join(' and ');
}

/**
 * The recycle bin's sub-partitions of `prefixes`: one per next hex digit. A deleted user's UPN
 * starts with its object id, so these are even (and never empty in a big recycle bin) without a
 * sample, and stay `startswith` filters, which Graph documents for deleted items as for users.
 */
export function splitDeletedPrefixes(prefixes: readonly string[]): string[][] {
  return prefixes.flatMap((prefix) => HEX.map((c) => [prefix + c]));
}

/** A partition of the recycle bin (see splitDeletedPrefixes). */
function deletedPartition(prefixes: readonly string[]): Partition {
  return { filter: startsWithAny(prefixes), split: () => splitDeletedPrefixes(prefixes).map(deletedPartition) };
}

/** An active user partition: its prefixes, the range of UPNs within them, and how to split it. */
function userPartition(prefixes: readonly string[], range: UpnRange = {}): Partition {
  return {
    filter: userFilter(prefixes, range),
    split: (sample, count) => {
      const boundaries = rangeBoundaries(sample, count, range);
      return boundaries.length === 0 ? [] : subRanges(range, boundaries).map((sub) => userPartition(prefixes, sub));
    },
  };
}
/** Mail-enabled groups are the ones holding SMTP addresses. */
export const MAIL_GROUPS_FILTER = "proxyAddresses/any(p:startswith(p,'smtp:'))";

export interface SnapshotReadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

interface Partition {
  filter: string;
  /**
   * The sub-partitions this one is read as when its first page says it is big, from that page's
   * UPNs (`sample`) and the partition's `$count`; none (absent, or an empty list): paged on.
   */
  split?: (sample: readonly string[], count: number) => Partition[];
}

interface Collection<T> {
  path: string;
  select: readonly string[];
  partitions: readonly Partition[];
  op: Operation;
  map: (item: T) => { id: string };
  /** What a split partition is cut by (the UPN); absent: the collection's partitions are not split. */
  sampleKey?: (item: T) => string | null | undefined;
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
  const count = page['@odata.count'];
  const key = collection.sampleKey;
  if (partition?.split && key && nextLinkOf(page) !== undefined && count !== undefined && count > SPLIT_ABOVE) {
    const sample = (page.value ?? []).map(key).filter((k): k is string => typeof k === 'string' && k !== '');
    const subs = partition.split(sample, count);
    if (subs.length > 0) {
      // The sub-partitions' requests leave before this page's users are kept: they are the next link in the chain.
      const reading = Promise.all(subs.map((sub) => readPartition(reader, collection, sub, into)));
      keep(reader, collection, page, into);
      await reading;
      return;
    }
  }
  keep(reader, collection, page, into);
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
      partitions: ACTIVE_USER_PREFIXES.map((prefixes) => userPartition(prefixes)),
      op: USERS_OP,
      map: (u) => toCloudUser(u),
      sampleKey: (u) => u.userPrincipalName,
    }),
    readCollection<User, CloudUser>(reader, {
      path: DELETED_USERS_PATH,
      select: DELETED_USER_SELECT,
      partitions: DELETED_USER_PREFIXES.map(deletedPartition),
      op: DELETED_OP,
      map: (u) => toCloudUser(u),
      sampleKey: (u) => u.userPrincipalName,
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
