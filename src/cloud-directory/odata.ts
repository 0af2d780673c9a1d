/**
 * The one place values enter a Graph query. An OData string literal doubles its single quotes
 * (`o'brien` → `'o''brien'`), and the whole `$filter` expression is then percent-encoded so the
 * server's query-string decoding gives back exactly what we wrote: `+` `/` `=` in ImmutableIDs
 * (a bare `+` would arrive as a space), `#` (would end the URL), `&` (would start a new option),
 * `%`, and every non-ASCII character (UTF-8). Filters are never built by concatenating raw input.
 */
import { InputError } from '../errors/index.ts';

/** `'value'` with single quotes doubled: the value can never end the literal early. */
export function odataString(value: string): string {
  if (!value.isWellFormed()) {
    throw new InputError('INPUT_INVALID', 'The value holds a broken Unicode character (a lone surrogate) and cannot be looked up.');
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Percent-encode a whole query option value (a `$filter` expression, a `$select` list). Also
 * guarantees the encoded text never contains `://`, which the Graph SDK would take for a host.
 */
export function odataFilterValue(expression: string): string {
  if (!expression.isWellFormed()) {
    throw new InputError('INPUT_INVALID', 'The query holds a broken Unicode character (a lone surrogate).');
  }
  return encodeURIComponent(expression);
}

/** `property eq 'value'`. `property` is one of our own constants, never user input. */
export function eqFilter(property: string, value: string): string {
  return `${property} eq ${odataString(value)}`;
}

/** `collection/any(p:p eq 'value')`: a string collection such as proxyAddresses holding a value. */
export function anyEqFilter(collection: string, value: string): string {
  return `${collection}/any(p:p eq ${odataString(value)})`;
}

export interface CollectionQuery {
  filter?: string;
  select?: readonly string[];
  /** Page size; Graph allows 1..999. */
  top?: number;
  /** `$count=true`: marks an advanced query (send `ConsistencyLevel: eventual` with it). */
  count?: boolean;
  /** `$expand`, e.g. `members($select=id)`; one of our own constants, never user input. */
  expand?: string;
}

/** `path?$filter=...&$select=...&$top=...&$count=true`, each value encoded by `odataFilterValue`. */
export function collectionUrl(path: string, query: CollectionQuery): string {
  const parts: string[] = [];
  if (query.filter !== undefined) parts.push(`$filter=${odataFilterValue(query.filter)}`);
  if (query.select !== undefined && query.select.length > 0) parts.push(`$select=${odataFilterValue(query.select.join(','))}`);
  if (query.top !== undefined) parts.push(`$top=${query.top}`);
  if (query.count === true) parts.push('$count=true');
  if (query.expand !== undefined) parts.push(`$expand=${odataFilterValue(query.expand)}`);
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

/** A path segment (object id, UPN): every reserved character encoded, so it stays one segment. */
export function pathSegment(value: string): string {
  if (!value.isWellFormed()) {
    throw new InputError('INPUT_INVALID', 'The value holds a broken Unicode character (a lone surrogate).');
  }
  return encodeURIComponent(value);
}
