/**
 * The user members of a group, nested groups expanded (`/groups/{id}/transitiveMembers/microsoft.graph.user`),
 * every page followed: who is an admin when ADMIN_GROUP_ID is set. Needs GroupMember.Read.All.
 */
import type { User } from '@microsoft/microsoft-graph-types';
import type { Operation } from './errors.ts';
import type { GraphTransport } from './graph-transport.ts';
import { collectionUrl, pathSegment } from './odata.ts';
import { answerOf, MAX_PAGE, valuesOf } from './queries.ts';
import { parseObjectId } from './users.ts';

export async function groupUserIds(transport: GraphTransport, groupId: string): Promise<string[]> {
  const id = parseObjectId(groupId);
  const op: Operation = { what: `read the members of the admin group ${id}`, permission: 'GroupMember.Read.All' };
  const url = collectionUrl(`/groups/${pathSegment(id)}/transitiveMembers/microsoft.graph.user`, { select: ['id'], top: MAX_PAGE });
  const answers = await transport.batch(op, [{ id: 'members', url }]);
  const users = await valuesOf<User>(transport, op, answerOf(op, answers, 'members'), {});
  return users.flatMap((u) => (typeof u.id === 'string' ? [u.id.toLowerCase()] : []));
}
