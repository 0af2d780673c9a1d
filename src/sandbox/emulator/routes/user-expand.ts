/**
 * `$expand=onPremisesSyncBehavior` (optionally `($select=isCloudManaged)`) on beta users, so a
 * caller reads the source of authority with the user in one request. Graph's rules around it:
 * the navigation exists on beta only (v1.0: "Could not find a property named ..."), nothing else
 * on a user can be expanded here, `$expand` is not supported with advanced queries (`$count=true`,
 * concepts/aad-advanced-queries.md), and reading it needs the permission its own GET needs
 * (User-OnPremisesSyncBehavior.ReadWrite.All).
 */
import { GraphServiceError, graphErrors } from '../graph-errors.ts';
import { optionName } from '../http/query-options.ts';
import type { ApiVersion } from '../http/types.ts';
import type { UserRecord } from '../model.ts';
import { SYNC_BEHAVIOR_WRITE } from '../permissions.ts';

const NAVIGATION = 'onPremisesSyncBehavior';
const PROPERTIES = ['id', 'isCloudManaged'];

export interface UserExpand {
  /** Properties of the expanded object; undefined = all. */
  select: string[] | undefined;
}

function parse(raw: string, version: ApiVersion): UserExpand {
  const m = /^\s*([A-Za-z]+)\s*(?:\(\s*\$?select\s*=\s*([^)]*)\))?\s*$/.exec(raw);
  const name = m?.[1] ?? raw.split('(')[0]?.trim() ?? raw;
  if (!m || name.toLowerCase() !== NAVIGATION.toLowerCase() || version !== 'beta') {
    throw new GraphServiceError(400, 'BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.user'.`);
  }
  if (m[2] === undefined) return { select: undefined };
  const select = m[2]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const p of select) {
    if (!PROPERTIES.includes(p)) throw graphErrors.unknownSelectProperty(p, 'onPremisesSyncBehavior');
  }
  return { select };
}

/** Splits `$expand` off a user query (the collection code refuses it), checking Graph's rules. */
export function takeUserExpand(
  query: URLSearchParams,
  version: ApiVersion,
  permissions: ReadonlySet<string>,
): { expand: UserExpand | undefined; rest: URLSearchParams } {
  const rest = new URLSearchParams();
  let expand: UserExpand | undefined;
  let count = false;
  for (const [key, value] of query) {
    const name = optionName(key);
    if (name === 'expand') expand = parse(value, version);
    else rest.append(key, value);
    if (name === 'count' && value.trim().toLowerCase() === 'true') count = true;
  }
  if (expand && count) throw graphErrors.unsupportedQuery('$expand is not supported with advanced queries ($count)');
  if (expand && !SYNC_BEHAVIOR_WRITE.some((p) => permissions.has(p))) throw graphErrors.insufficientPrivileges();
  return { expand, rest };
}

/** The user's rendering with the expanded navigation added. */
export function withExpanded(body: object, user: UserRecord, expand: UserExpand | undefined): object {
  if (!expand) return body;
  const full: Record<string, unknown> = { id: user.id, isCloudManaged: user.isCloudManaged };
  const keep = expand.select ?? PROPERTIES;
  return {
    ...body,
    [NAVIGATION]: { '@odata.type': '#microsoft.graph.onPremisesSyncBehavior', ...Object.fromEntries(keep.map((p) => [p, full[p]])) },
  };
}
