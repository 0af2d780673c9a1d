/**
 * The three writes a plan makes through Graph (CloudWriter). Graph's refusals come back as
 * CloudError with Graph's code and message: ObjectConflict naming the holder (`User_<id>`),
 * Request_BadRequest for on-premises mastered users or a federated-domain UPN.
 *
 * Retrying a write is safe: a throttled (429) write was not executed; PATCH is idempotent. After
 * an answer that leaves it unknown whether the write happened (5xx, no response), a purge that
 * then finds nothing to delete (404) has succeeded, not failed.
 */
import { InputError } from '../errors/index.ts';
import { failureFromThrown, type Operation } from './errors.ts';
import type { GraphTransport } from './graph-transport.ts';
import { pathSegment } from './odata.ts';
import { parseObjectId } from './users.ts';

const WRITE_PERMISSION = 'User.ReadWrite.All';

function checkValue(name: string, value: string): string {
  if (value.trim() === '' || !value.isWellFormed() || /\p{Cc}/u.test(value)) {
    throw new InputError('INPUT_INVALID', `${name} must be a non-empty value without control characters.`);
  }
  return value;
}

async function patchUser(transport: GraphTransport, op: Operation, userId: string, body: Record<string, string | null>): Promise<void> {
  const path = `/users/${pathSegment(userId)}`;
  await transport.call(op, (request) => request(path).patch(body) as Promise<unknown>);
}

export async function setImmutableId(transport: GraphTransport, userId: string, immutableId: string | null): Promise<void> {
  const id = parseObjectId(userId);
  const value = immutableId === null ? null : checkValue('onPremisesImmutableId', immutableId);
  const what = value === null ? `clear the ImmutableID of cloud user ${id}` : `set the ImmutableID of cloud user ${id} to ${value}`;
  await patchUser(transport, { what, permission: WRITE_PERMISSION }, id, { onPremisesImmutableId: value });
}

export async function setUserPrincipalName(transport: GraphTransport, userId: string, userPrincipalName: string): Promise<void> {
  const id = parseObjectId(userId);
  const upn = checkValue('userPrincipalName', userPrincipalName);
  await patchUser(transport, { what: `rename cloud user ${id} to ${upn}`, permission: WRITE_PERMISSION }, id, { userPrincipalName: upn });
}

export async function purgeDeletedUser(transport: GraphTransport, userId: string): Promise<void> {
  const id = parseObjectId(userId);
  const op: Operation = { what: `permanently delete cloud user ${id} from the recycle bin`, permission: 'User.DeleteRestore.All' };
  const path = `/directory/deletedItems/${pathSegment(id)}`;
  let outcomeUnknown = false;
  await transport.call(op, async (request) => {
    try {
      await request(path).delete();
    } catch (err) {
      const failure = failureFromThrown(err);
      if (outcomeUnknown && failure.status === 404) return;
      if (failure.status === -1 || failure.status >= 500) outcomeUnknown = true;
      throw err;
    }
  });
}
