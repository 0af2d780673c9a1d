/**
 * What $filter may touch on users (active or deleted) and how each property compares: UPN, mail
 * and proxy addresses ignore case as Entra does; the ImmutableID is compared exactly (base64 is
 * case-sensitive: `abc=` and `ABC=` are different anchors).
 */
import type { UserRecord } from '../model.ts';
import type { FilterSchema, FilterValue } from '../odata-filter.ts';
import { projectUser, USER_SHAPE, USER_SHAPE_BETA, type ResourceShape } from '../projection.ts';

export const USER_FILTER_SCHEMA: FilterSchema = {
  resource: 'User',
  scalars: {
    id: 'caseInsensitive',
    userPrincipalName: 'caseInsensitive',
    mail: 'caseInsensitive',
    displayName: 'caseInsensitive',
    onPremisesImmutableId: 'exact',
  },
  collections: { proxyAddresses: 'caseInsensitive' },
  startsWith: ['userPrincipalName', 'mail', 'displayName', 'proxyAddresses'],
  // Advanced queries only (ConsistencyLevel: eventual, $count=true): v1.0 user resource, property table.
  ranges: ['userPrincipalName', 'mail', 'displayName'],
};

export function userFilterValue(user: UserRecord, property: string): FilterValue {
  switch (property) {
    case 'id':
      return user.id;
    case 'userPrincipalName':
      return user.userPrincipalName;
    case 'mail':
      return user.mail;
    case 'displayName':
      return user.displayName;
    case 'onPremisesImmutableId':
      return user.onPremisesImmutableId;
    case 'proxyAddresses':
      return user.proxyAddresses;
    default:
      return null;
  }
}

export function renderUser(user: UserRecord, select: readonly string[] | undefined): object {
  return projectUser(user, USER_SHAPE, select);
}

/** Recycle-bin listings also show when each user was deleted. */
export const DELETED_USER_SHAPE = { ...USER_SHAPE, defaults: [...USER_SHAPE.defaults, 'deletedDateTime'] };
const DELETED_USER_SHAPE_BETA = { ...USER_SHAPE_BETA, defaults: DELETED_USER_SHAPE.defaults };

export function deletedUserShape(version: 'v1.0' | 'beta'): ResourceShape {
  return version === 'beta' ? DELETED_USER_SHAPE_BETA : DELETED_USER_SHAPE;
}

export function renderDeletedUser(user: UserRecord, select: readonly string[] | undefined): object {
  return projectUser(user, DELETED_USER_SHAPE, select);
}
