/**
 * OData system query options on a collection GET: $filter, $select, $top, $count, $skiptoken.
 * Graph v1.0 accepts them with or without the `$` and in any case; options the emulator does not
 * implement ($orderby, $search, $expand, $skip) are refused rather than silently ignored, so a
 * test never passes on an answer Graph would have shaped differently.
 */
import { graphErrors } from '../graph-errors.ts';
import { parseFilter, type FilterNode, type FilterSchema } from '../odata-filter.ts';
import { parseSelect, type ResourceShape } from '../projection.ts';

export interface CollectionQuery {
  filter: FilterNode | undefined;
  select: string[] | undefined;
  top: number;
  count: boolean;
  skipToken: string | undefined;
}

export interface CollectionRules {
  shape: ResourceShape;
  /** Absent: the collection does not support $filter. */
  filterSchema?: FilterSchema;
  /** Graph's default page size for directory collections is 100. */
  defaultTop?: number;
}

const KNOWN = new Set(['filter', 'select', 'top', 'count', 'skiptoken']);
/** Real OData options the bot never sends: refused with a 400, as Graph refuses what it cannot serve. */
const OUTSIDE_SURFACE = new Set(['orderby', 'search', 'expand', 'skip', 'apply', 'compute']);
export const MAX_PAGE_SIZE = 999;

/** Option name without `$`, lower-cased; undefined for a parameter that is not an OData option. */
export function optionName(key: string): string | undefined {
  const bare = key.startsWith('$') ? key.slice(1).toLowerCase() : key.toLowerCase();
  if (KNOWN.has(bare) || OUTSIDE_SURFACE.has(bare)) return bare;
  return key.startsWith('$') ? bare : undefined;
}

function readOptions(query: URLSearchParams): Map<string, string> {
  const options = new Map<string, string>();
  for (const [key, value] of query) {
    const name = optionName(key);
    if (name === undefined) continue;
    if (!KNOWN.has(name))
      throw graphErrors.unsupportedQuery(
        `the $${name} query option is outside the emulated Graph surface (src/sandbox/emulator/README.md)`,
      );
    options.set(name, value);
  }
  return options;
}

export function parseCollectionQuery(
  query: URLSearchParams,
  headers: Readonly<Record<string, string>>,
  rules: CollectionRules,
): CollectionQuery {
  const options = readOptions(query);
  // `$count=true` with `ConsistencyLevel: eventual` makes an advanced query (ge/le on some properties).
  const count = parseCount(options.get('count'), headers);
  return {
    filter: parseFilterOption(options.get('filter'), rules.filterSchema, count),
    select: parseSelect(options.get('select'), rules.shape),
    top: parseTop(options.get('top'), rules.defaultTop ?? 100),
    count,
    skipToken: options.get('skiptoken'),
  };
}

/** For single-object GETs only $select applies; other options are ignored as Graph does. */
export function parseEntityQuery(query: URLSearchParams, shape: ResourceShape): string[] | undefined {
  for (const [key, value] of query) if (optionName(key) === 'select') return parseSelect(value, shape);
  return undefined;
}

function parseFilterOption(raw: string | undefined, schema: FilterSchema | undefined, advanced: boolean): FilterNode | undefined {
  if (raw === undefined) return undefined;
  if (!schema) throw graphErrors.unsupportedQuery('$filter is not supported on this collection');
  return parseFilter(raw, schema, { advanced });
}

function parseTop(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw graphErrors.invalidQueryOption('$top', raw);
  const top = Number(raw.trim());
  if (top < 1 || top > MAX_PAGE_SIZE) throw graphErrors.pageSize(raw.trim());
  return top;
}

function parseCount(raw: string | undefined, headers: Readonly<Record<string, string>>): boolean {
  if (raw === undefined) return false;
  const value = raw.trim().toLowerCase();
  if (value !== 'true' && value !== 'false') throw graphErrors.invalidQueryOption('$count', raw);
  if (value === 'false') return false;
  if ((headers['consistencylevel'] ?? '').trim().toLowerCase() !== 'eventual') throw graphErrors.countNeedsConsistencyLevel();
  return true;
}
