/**
 * The Graph look-ups the module makes, as batchable GETs, and reading their answers. Every
 * filtered collection query is sent as an advanced query (`$count=true` with
 * `ConsistencyLevel: eventual`): Graph requires it for some of these filters
 * (`onPremisesImmutableId`, `proxyAddresses/any` on some tenants, the recycle bin) and accepts it
 * for all, so no query depends on which ones happen to be indexed. `$top=999` (Graph's maximum)
 * keeps a look-up to one page; a longer answer is followed through `@odata.nextLink`.
 */
import type { CloudUser } from '../domain/cloud.ts';
import { failureFromBody, toCloudError, type Operation } from './errors.ts';
import type { BatchAnswer, BatchGet, GraphTransport } from './graph-transport.ts';
import { BETA_USER_EXPAND, BETA_USER_SELECT, DELETED_USER_SELECT, toCloudUser, USER_SELECT, type BetaUser } from './mapping.ts';
import { anyEqFilter, collectionUrl, eqFilter } from './odata.ts';

export const ADVANCED_QUERY_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ConsistencyLevel: 'eventual' });
export const MAX_PAGE = 999;

export const USERS_PATH = '/users';
export const DELETED_USERS_PATH = '/directory/deletedItems/microsoft.graph.user';
export const GROUPS_PATH = '/groups';

/** A filtered collection GET as a batch item. */
export function filteredGet(id: string, path: string, filter: string, select: readonly string[], expand?: string): BatchGet {
  return {
    id,
    url: collectionUrl(path, { filter, select, top: MAX_PAGE, count: true, ...(expand ? { expand } : {}) }),
    headers: { ...ADVANCED_QUERY_HEADERS },
  };
}

export function activeUsersWhere(id: string, filter: string): BatchGet {
  return filteredGet(id, USERS_PATH, filter, USER_SELECT);
}

export function deletedUsersWhere(id: string, filter: string): BatchGet {
  return filteredGet(id, DELETED_USERS_PATH, filter, DELETED_USER_SELECT);
}

/**
 * The same look-ups for a `/beta/$batch`: with `onPremisesObjectIdentifier` and the expanded
 * `onPremisesSyncBehavior`, so the 2026 rules cost no extra round trip. Graph refuses `$expand` in
 * an advanced query, so the active users' look-ups are plain ones: their filters (`eq` on
 * userPrincipalName, mail, onPremisesImmutableId; `proxyAddresses/any`) are all in Graph's default
 * filter support. The recycle bin needs no expand and stays an advanced query.
 */
export function activeUsersWhereBeta(id: string, filter: string): BatchGet {
  return { id, url: collectionUrl(USERS_PATH, { filter, select: BETA_USER_SELECT, top: MAX_PAGE, expand: BETA_USER_EXPAND }) };
}

export function deletedUsersWhereBeta(id: string, filter: string): BatchGet {
  return filteredGet(id, DELETED_USERS_PATH, filter, [...BETA_USER_SELECT, 'deletedDateTime']);
}

export const byUpn = (upn: string): string => eqFilter('userPrincipalName', upn);
export const byMail = (address: string): string => eqFilter('mail', address);
export const byProxyAddress = (address: string): string => anyEqFilter('proxyAddresses', `smtp:${address}`);
export const byImmutableId = (immutableId: string): string => eqFilter('onPremisesImmutableId', immutableId);

export function isSuccess(answer: BatchAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

/** The answer to `id`, or the CloudError its failure means. */
export function answerOf(op: Operation, answers: ReadonlyMap<string, BatchAnswer>, id: string): BatchAnswer {
  const answer = answers.get(id);
  if (!answer)
    throw toCloudError(op, { status: -1, code: null, message: `no answer to sub-request ${id}`, details: [], retryAfterMs: null });
  if (!isSuccess(answer)) {
    const retryAfter = Object.entries(answer.headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
    throw toCloudError(op, failureFromBody(answer.status, answer.body, retryAfter), { attempts: answer.attempts });
  }
  return answer;
}

/** Every item of a successful collection answer, later pages included. */
export async function valuesOf<T>(
  transport: GraphTransport,
  op: Operation,
  answer: BatchAnswer,
  headers: Record<string, string>,
): Promise<T[]> {
  const first = (answer.body as { value?: T[] } | null)?.value ?? [];
  const rest = await transport.remainingPages<T>(op, answer.body, headers);
  return [...first, ...rest];
}

/** The users of a collection answer, mapped. */
export async function usersOf(
  transport: GraphTransport,
  op: Operation,
  answers: ReadonlyMap<string, BatchAnswer>,
  id: string,
): Promise<CloudUser[]> {
  const users = await valuesOf<BetaUser>(transport, op, answerOf(op, answers, id), { ...ADVANCED_QUERY_HEADERS });
  return users.map((u) => toCloudUser(u));
}
