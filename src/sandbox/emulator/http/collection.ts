/**
 * One implementation of a Graph collection GET (filter, count, order, page, select), shared by
 * /users, the recycle bin, transitive members and role listings so they behave identically.
 */
import type { FilterValue } from '../odata-filter.ts';
import { matchesFilter } from '../odata-filter.ts';
import { pageOf, nextLink } from './paging.ts';
import { parseCollectionQuery, type CollectionRules } from './query-options.ts';
import { contextUrl, ok } from './responses.ts';
import type { EmulatorRequest, EmulatorResponse, RouteContext } from './types.ts';

export interface CollectionSpec<T> extends CollectionRules {
  items: readonly T[];
  /** Stable order and paging cursor: the object id. */
  key: (item: T) => string;
  /** Values $filter sees; needed only when `filterSchema` is set. */
  filterValue?: (item: T, property: string) => FilterValue;
  render: (item: T, select: readonly string[] | undefined) => object;
  /** `@odata.context` entity set, e.g. 'users' or 'directoryObjects'. */
  contextPath: string;
}

export function listCollection<T>(request: EmulatorRequest, context: RouteContext, spec: CollectionSpec<T>): EmulatorResponse {
  const query = parseCollectionQuery(request.query, request.headers, spec);
  const filter = query.filter;
  const valueOf = spec.filterValue;
  const matching =
    filter && valueOf ? spec.items.filter((item) => matchesFilter(filter, (property) => valueOf(item, property))) : [...spec.items];
  matching.sort((a, b) => (spec.key(a) < spec.key(b) ? -1 : spec.key(a) > spec.key(b) ? 1 : 0));
  const page = pageOf(matching, spec.key, query.top, query.skipToken);
  const body: Record<string, unknown> = { '@odata.context': contextUrl(context.root, spec.contextPath, query.select) };
  if (query.count) body['@odata.count'] = matching.length;
  if (page.skipToken !== undefined) body['@odata.nextLink'] = nextLink(context.root, request.path, request.query, page.skipToken);
  body['value'] = page.items.map((item) => spec.render(item, query.select));
  return ok(body);
}
