/**
 * One implementation of a Graph collection GET (filter, count, order, page, select), shared by
 * /users, the recycle bin, transitive members and role listings so they behave identically.
 */
import type { FilterValue } from '../odata-filter.ts';
import { matchesFilter, type FilterNode } from '../odata-filter.ts';
import { candidatesFor } from './filter-index.ts';
import { pageOf, nextLink } from './paging.ts';
import { parseCollectionQuery, type CollectionRules } from './query-options.ts';
import { contextUrl, ok } from './responses.ts';
import type { EmulatorRequest, EmulatorResponse, RouteContext } from './types.ts';

export interface CollectionSpec<T> extends CollectionRules {
  /**
   * The whole collection. When it is `sorted` by `key` and the same array is handed in again until
   * the collection changes (EmulatorState's listings), sorting is skipped and each filter's matches
   * are kept for that array: a 50,000-user listing read in 999-item pages costs one pass, not one
   * per page.
   */
  items: readonly T[];
  sorted?: boolean;
  /** Stable order and paging cursor: the object id. */
  key: (item: T) => string;
  /** Values $filter sees; needed only when `filterSchema` is set. */
  filterValue?: (item: T, property: string) => FilterValue;
  render: (item: T, select: readonly string[] | undefined) => object;
  /** `@odata.context` entity set, e.g. 'users' or 'directoryObjects'. */
  contextPath: string;
}

/** Matches per filter, for listings handed in as the same sorted array while it is current. */
const MATCH_CACHE = new WeakMap<readonly unknown[], Map<string, readonly unknown[]>>();
/** Distinct filters remembered per listing; the oldest is forgotten first. */
const MAX_CACHED_FILTERS = 128;

function matchingItems<T>(spec: CollectionSpec<T>, filter: FilterNode | undefined): readonly T[] {
  const valueOf = spec.filterValue;
  if (!filter || !valueOf) return spec.sorted ? spec.items : sortedByKey([...spec.items], spec.key);
  const matches = (item: T): boolean => matchesFilter(filter, (property) => valueOf(item, property));
  const compute = (): T[] => sortedByKey(spec.items.filter(matches), spec.key, spec.sorted);
  if (!spec.sorted) return compute();
  let cache = MATCH_CACHE.get(spec.items);
  if (!cache) MATCH_CACHE.set(spec.items, (cache = new Map<string, readonly unknown[]>()));
  const key = JSON.stringify(filter);
  const known = cache.get(key) as readonly T[] | undefined;
  if (known) return known;
  const found = (candidatesFor(spec.items, filter, valueOf) ?? spec.items).filter(matches);
  if (cache.size >= MAX_CACHED_FILTERS) cache.delete(cache.keys().next().value as string);
  cache.set(key, found);
  return found;
}

function sortedByKey<T>(items: T[], key: (item: T) => string, already = false): T[] {
  return already ? items : items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function listCollection<T>(request: EmulatorRequest, context: RouteContext, spec: CollectionSpec<T>): EmulatorResponse {
  const query = parseCollectionQuery(request.query, request.headers, spec);
  const matching = matchingItems(spec, query.filter);
  const page = pageOf(matching, spec.key, query.top, query.skipToken);
  const body: Record<string, unknown> = { '@odata.context': contextUrl(context.root, spec.contextPath, query.select) };
  if (query.count) body['@odata.count'] = matching.length;
  if (page.skipToken !== undefined) body['@odata.nextLink'] = nextLink(context.root, request.path, request.query, page.skipToken);
  body['value'] = page.items.map((item) => spec.render(item, query.select));
  return ok(body);
}
