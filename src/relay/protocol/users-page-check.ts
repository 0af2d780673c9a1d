/**
 * A users page (`/v1/users/page` answer) checked by hand: the fast path of a scan's AD read, which
 * parses 50 such pages of 1,000 users at 50k. It accepts exactly what `usersPageResponseSchema`
 * accepts, as the parsed JSON itself (no copy); anything else answers false, and the caller lets
 * the schema say what is wrong. test/relay/protocol/users-page-check.test.ts holds the two to each other.
 */
import { USERS_PAGE_SIZE, type UsersPageResponse } from './protocol.ts';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURSOR_RE = /^[A-Za-z0-9_-]{32}$/;
const USER_KEYS = 11;
const ANCHOR_ATTRIBUTES: readonly unknown[] = ['objectGUID', 'mS-DS-ConsistencyGuid'];

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` has exactly `count` own keys: with every expected key present, none other. */
function keyCount(value: Fields, count: number): boolean {
  let n = 0;
  for (const key in value) if (Object.hasOwn(value, key)) n += 1;
  return n === count && Object.getPrototypeOf(value) === Object.prototype;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const stringOrNull = (value: unknown): boolean => value === null || typeof value === 'string';
const isGuid = (value: unknown): boolean => typeof value === 'string' && GUID_RE.test(value);

function isAnchor(value: unknown): boolean {
  return (
    isRecord(value) &&
    Object.hasOwn(value, 'attribute') &&
    ANCHOR_ATTRIBUTES.includes(value.attribute) &&
    isGuid(value.guid) &&
    isString(value.immutableId) &&
    keyCount(value, 3)
  );
}

function isStringArray(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

function isOnPremUser(u: unknown): boolean {
  return (
    isRecord(u) &&
    isString(u.dn) &&
    isString(u.samAccountName) &&
    Object.hasOwn(u, 'userPrincipalName') &&
    stringOrNull(u.userPrincipalName) &&
    Object.hasOwn(u, 'mail') &&
    stringOrNull(u.mail) &&
    isStringArray(u.proxyAddresses) &&
    Object.hasOwn(u, 'displayName') &&
    stringOrNull(u.displayName) &&
    typeof u.enabled === 'boolean' &&
    isGuid(u.objectGuid) &&
    Object.hasOwn(u, 'consistencyGuid') &&
    (u.consistencyGuid === null || isGuid(u.consistencyGuid)) &&
    Object.hasOwn(u, 'whenChanged') &&
    stringOrNull(u.whenChanged) &&
    isAnchor(u.anchor) &&
    keyCount(u, USER_KEYS)
  );
}

/** Whether `json` is a users page exactly as the protocol's schema takes it. */
export function isUsersPage(json: unknown): json is UsersPageResponse {
  if (!isRecord(json) || !keyCount(json, 2) || !Object.hasOwn(json, 'cursor')) return false;
  const { users, cursor } = json;
  if (cursor !== null && !(typeof cursor === 'string' && CURSOR_RE.test(cursor))) return false;
  if (!Array.isArray(users) || users.length > USERS_PAGE_SIZE) return false;
  for (const user of users) if (!isOnPremUser(user)) return false;
  return true;
}
