/**
 * Server-driven paging as Graph does it: a page of at most $top items and, when more remain,
 * `@odata.nextLink` = the same request plus an opaque `$skiptoken`. The token is a cursor (the
 * last object id returned, items being ordered by id), so objects created or deleted between
 * pages neither repeat nor shift the next page.
 */
import { graphErrors } from '../graph-errors.ts';
import { optionName } from './query-options.ts';

const TOKEN_PREFIX = 'hm1:';

export interface Page<T> {
  items: T[];
  /** Present when more items follow. */
  skipToken: string | undefined;
}

export function encodeSkipToken(lastKey: string): string {
  return Buffer.from(`${TOKEN_PREFIX}${lastKey}`, 'utf8').toString('base64url');
}

/** The key after which the page starts; a token not minted here is Graph's expired-token 400. */
export function decodeSkipToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX) || encodeSkipToken(text.slice(TOKEN_PREFIX.length)) !== token) {
    throw graphErrors.expiredPageToken();
  }
  return text.slice(TOKEN_PREFIX.length);
}

/** `items` must be sorted by `key`. */
export function pageOf<T>(items: readonly T[], key: (item: T) => string, top: number, skipToken: string | undefined): Page<T> {
  const after = skipToken === undefined ? undefined : decodeSkipToken(skipToken);
  const start = after === undefined ? 0 : firstAfter(items, key, after);
  const slice = items.slice(start, start + top);
  const last = slice.at(-1);
  const more = start + top < items.length && last !== undefined;
  return { items: slice, skipToken: more ? encodeSkipToken(key(last)) : undefined };
}

/** The index of the first item whose key is above `after` (binary search: items are sorted). */
function firstAfter<T>(items: readonly T[], key: (item: T) => string, after: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (key(items[mid] as T) > after) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The request's own URL with `$skiptoken` replaced. Values are re-encoded with
 * encodeURIComponent so a `+` or `'` inside a $filter literal survives the next round trip.
 */
export function nextLink(root: string, path: string, query: URLSearchParams, skipToken: string): string {
  const parts: string[] = [];
  for (const [key, value] of query) {
    if (optionName(key) === 'skiptoken') continue;
    parts.push(`${encodeQueryPart(key)}=${encodeQueryPart(value)}`);
  }
  parts.push(`$skiptoken=${skipToken}`);
  return `${root}${path}?${parts.join('&')}`;
}

/** encodeURIComponent, but `$` and `,` stay readable as Graph writes them in links. */
function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replaceAll('%24', '$').replaceAll('%2C', ',');
}
