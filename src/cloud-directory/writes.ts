/**
 * The three writes a plan makes through Graph (CloudWriter). Graph's refusals come back as
 * CloudError with Graph's code and message: ObjectConflict naming the holder (`User_<id>`),
 * Request_BadRequest for on-premises mastered users or a federated-domain UPN.
 *
 * Each write takes effect at most once (`writeOnce`). A throttled (429) or refused write was not
 * executed and is simply retried. After an answer that leaves it unknown whether the write
 * happened (5xx, no response, a connection reset: the answer may be what was lost), the next try
 * first reads whether the change is in place and sends nothing when it is: a PATCH is idempotent
 * in Graph, but the audit and the write journal count what was sent, and a DELETE sent again
 * after it took effect answers 404. The steps already checked the value differed before writing
 * (write-steps.ts), so finding the target value means this write (or an equal one) took effect.
 */
import { InputError } from '../errors/index.ts';
import { failureFromThrown, type Operation } from './errors.ts';
import type { GraphTransport, RequestBuilder } from './graph-transport.ts';
import { pathSegment } from './odata.ts';
import { parseObjectId } from './users.ts';

const WRITE_PERMISSION = 'User.ReadWrite.All';

function checkValue(name: string, value: string): string {
  if (value.trim() === '' || !value.isWellFormed() || /\p{Cc}/u.test(value)) {
    throw new InputError('INPUT_INVALID', `${name} must be a non-empty value without control characters.`);
  }
  return value;
}

/** Whether a failed attempt may still have taken effect: Graph answered 5xx, or did not answer at all. */
export function outcomeUnknown(err: unknown): boolean {
  const { status } = failureFromThrown(err);
  return status === -1 || status >= 500;
}

/**
 * Sends a write within the transport's retries so that it takes effect at most once: once an
 * attempt's outcome is unknown, every later attempt first asks `tookEffect` (a read) and sends
 * again only when the write is not in place. A failing read is retried like any Graph failure.
 */
export async function writeOnce(
  transport: GraphTransport,
  op: Operation,
  send: (request: RequestBuilder) => Promise<unknown>,
  tookEffect: (request: RequestBuilder) => Promise<boolean>,
): Promise<void> {
  let unknown = false;
  await transport.call(op, async (request) => {
    if (unknown && (await tookEffect(request))) return;
    try {
      await send(request);
    } catch (err) {
      if (outcomeUnknown(err)) unknown = true;
      throw err;
    }
  });
}

async function patchUser(
  transport: GraphTransport,
  op: Operation,
  userId: string,
  body: Record<string, string | null>,
  inPlace: (user: Record<string, unknown>) => boolean,
): Promise<void> {
  const path = `/users/${pathSegment(userId)}`;
  await writeOnce(
    transport,
    op,
    (request) => request(path).patch(body) as Promise<unknown>,
    async (request) => inPlace((await request(path).select(Object.keys(body)).get()) as Record<string, unknown>),
  );
}

export async function setImmutableId(transport: GraphTransport, userId: string, immutableId: string | null): Promise<void> {
  const id = parseObjectId(userId);
  const value = immutableId === null ? null : checkValue('onPremisesImmutableId', immutableId);
  const what = value === null ? `clear the ImmutableID of cloud user ${id}` : `set the ImmutableID of cloud user ${id} to ${value}`;
  await patchUser(
    transport,
    { what, permission: WRITE_PERMISSION },
    id,
    { onPremisesImmutableId: value },
    (user) => (user.onPremisesImmutableId ?? null) === value,
  );
}

export async function setUserPrincipalName(transport: GraphTransport, userId: string, userPrincipalName: string): Promise<void> {
  const id = parseObjectId(userId);
  const upn = checkValue('userPrincipalName', userPrincipalName);
  await patchUser(
    transport,
    { what: `rename cloud user ${id} to ${upn}`, permission: WRITE_PERMISSION },
    id,
    { userPrincipalName: upn },
    (user) => typeof user.userPrincipalName === 'string' && user.userPrincipalName.toLowerCase() === upn.toLowerCase(),
  );
}

export async function purgeDeletedUser(transport: GraphTransport, userId: string): Promise<void> {
  const id = parseObjectId(userId);
  const op: Operation = { what: `permanently delete cloud user ${id} from the recycle bin`, permission: 'User.DeleteRestore.All' };
  const path = `/directory/deletedItems/${pathSegment(id)}`;
  // After an unknown outcome: purged once the recycle bin no longer holds it (a DELETE answered
  // 404 then is the same: the lost one, or another, took effect in between).
  let unknown = false;
  await writeOnce(
    transport,
    op,
    async (request) => {
      try {
        await request(path).delete();
      } catch (err) {
        if (!(unknown && failureFromThrown(err).status === 404)) throw err;
      }
    },
    async (request) => {
      unknown = true;
      try {
        await request(path).select(['id']).get();
        return false;
      } catch (err) {
        if (failureFromThrown(err).status === 404) return true;
        throw err;
      }
    },
  );
}
