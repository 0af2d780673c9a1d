/**
 * Single-user look-ups: `findUser` (by object id: active, else in the recycle bin, both asked in
 * one `$batch`; by UPN: one filtered GET, which is safe for UPNs with `'`, `#` or a leading `$`
 * where the `/users/{upn}` path form is not) and `holdersOfAnchor` (active and deleted holders of
 * an ImmutableID, one `$batch`). Input that is neither a GUID nor a plausible UPN never reaches Graph.
 */
import type { User } from '@microsoft/microsoft-graph-types';
import { parseAnchor, toImmutableId } from '../domain/anchors.ts';
import type { CloudUser } from '../domain/cloud.ts';
import { InputError } from '../errors/index.ts';
import type { Operation } from './errors.ts';
import type { GraphTransport } from './graph-transport.ts';
import { DELETED_USER_SELECT, toCloudUser, USER_SELECT } from './mapping.ts';
import { collectionUrl, pathSegment } from './odata.ts';
import {
  activeUsersWhere,
  ADVANCED_QUERY_HEADERS,
  answerOf,
  byImmutableId,
  byUpn,
  deletedUsersWhere,
  MAX_PAGE,
  USERS_PATH,
  usersOf,
} from './queries.ts';

/** Longer than any UPN Entra allows (113) or an object id, with room for braces and spaces. */
export const MAX_LOOKUP_LENGTH = 256;
const GUID_RE = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
/** local@domain.tld, no whitespace or control characters; Graph decides the rest. */
const UPN_RE = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export type UserKey = { kind: 'id'; id: string } | { kind: 'upn'; upn: string };

/** Classify `idOrUpn`; InputError when it is empty, too long, or neither a GUID nor a UPN. */
export function parseUserKey(idOrUpn: string): UserKey {
  const text = idOrUpn.trim();
  if (text === '') throw new InputError('INPUT_EMPTY', 'Name a cloud user by object id or user principal name.');
  if (text.length > MAX_LOOKUP_LENGTH) {
    throw new InputError(
      'INPUT_TOO_LONG',
      `A cloud user is named by an object id or a UPN of at most ${MAX_LOOKUP_LENGTH} characters; this is ${text.length}.`,
      {
        length: text.length,
      },
    );
  }
  const guid = GUID_RE.exec(text);
  if (guid?.[1]) return { kind: 'id', id: guid[1].toLowerCase() };
  if (text.isWellFormed() && UPN_RE.test(text)) return { kind: 'upn', upn: text };
  throw new InputError('INPUT_INVALID', `"${echo(text)}" is neither a cloud object id (GUID) nor a user principal name (name@domain).`, {
    input: echo(text),
  });
}

/** An object id as writes need it; InputError otherwise. */
export function parseObjectId(userId: string): string {
  const guid = GUID_RE.exec(userId.trim());
  if (!guid?.[1]) throw new InputError('INPUT_INVALID', `"${echo(userId)}" is not a cloud object id (GUID).`, { input: echo(userId) });
  return guid[1].toLowerCase();
}

function echo(text: string): string {
  const printable = text.replace(/\p{Cc}/gu, '?');
  return printable.length > 80 ? `${printable.slice(0, 80)}…` : printable;
}

export async function findUser(transport: GraphTransport, idOrUpn: string): Promise<CloudUser | null> {
  const key = parseUserKey(idOrUpn);
  const op: Operation = {
    what: `look up the cloud user ${key.kind === 'id' ? key.id : key.upn}`,
    permission: 'User.Read.All (or User.ReadWrite.All)',
  };
  if (key.kind === 'upn') {
    const url = collectionUrl(USERS_PATH, { filter: byUpn(key.upn), select: USER_SELECT, top: MAX_PAGE, count: true });
    const page = await transport.call(
      op,
      (request) =>
        request(url)
          .headers({ ...ADVANCED_QUERY_HEADERS })
          .get() as Promise<{ value?: User[] }>,
    );
    const user = page.value?.[0];
    return user ? toCloudUser(user) : null;
  }
  const answers = await transport.batch(op, [
    { id: 'active', url: collectionUrl(`${USERS_PATH}/${pathSegment(key.id)}`, { select: USER_SELECT }) },
    { id: 'deleted', url: collectionUrl(`/directory/deletedItems/${pathSegment(key.id)}`, { select: DELETED_USER_SELECT }) },
  ]);
  for (const id of ['active', 'deleted']) {
    if (answers.get(id)?.status === 404) continue;
    return toCloudUser(answerOf(op, answers, id).body as User);
  }
  return null;
}

/** Users, active first then deleted, whose onPremisesImmutableId is this one (any anchor form accepted). */
export async function holdersOfAnchor(transport: GraphTransport, immutableId: string): Promise<CloudUser[]> {
  const anchor = toImmutableId(parseAnchor(immutableId));
  const op: Operation = {
    what: `look up the cloud users holding ImmutableID ${anchor}`,
    permission: 'User.Read.All (or User.ReadWrite.All)',
  };
  const filter = byImmutableId(anchor);
  const answers = await transport.batch(op, [activeUsersWhere('active', filter), deletedUsersWhere('deleted', filter)]);
  const [active, deleted] = await Promise.all([usersOf(transport, op, answers, 'active'), usersOf(transport, op, answers, 'deleted')]);
  return [...active, ...deleted];
}
