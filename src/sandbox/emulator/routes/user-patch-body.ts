/**
 * A PATCH /users/{id} body → UserPatch. Read-only properties get Graph's read-only 400, names
 * that are not user properties the emulator models get Graph's unknown-property 400, and a value
 * of the wrong JSON type is an invalid value: nothing is silently dropped.
 */
import { graphErrors } from '../graph-errors.ts';
import type { ApiVersion } from '../http/types.ts';
import { WRITABLE_USER_PROPERTIES, type UserPatch } from '../user-writes.ts';

const READ_ONLY = new Set([
  'id',
  'createdDateTime',
  'deletedDateTime',
  'proxyAddresses',
  'onPremisesSyncEnabled',
  'onPremisesLastSyncDateTime',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesUserPrincipalName',
  'onPremisesProvisioningErrors',
]);

type Check = (value: unknown) => boolean;

export const OBJECT_IDENTIFIER = 'onPremisesObjectIdentifier';

const isString: Check = (v) => typeof v === 'string';
const isStringOrNull: Check = (v) => v === null || typeof v === 'string';

const CHECKS: Record<Exclude<keyof UserPatch, 'onPremisesObjectIdentifier'>, Check> = {
  accountEnabled: (v) => typeof v === 'boolean',
  displayName: isString,
  mail: isStringOrNull,
  onPremisesImmutableId: isStringOrNull,
  userPrincipalName: isString,
  userType: (v) => v === 'Member' || v === 'Guest',
};

/**
 * `onPremisesObjectIdentifier` exists on beta only, and there the only value Graph accepts is null
 * (the 2026 recovery: clear the mapping); on v1.0 it is not a user property at all.
 */
export function parseUserPatchBody(body: Record<string, unknown>, version: ApiVersion): UserPatch {
  const patch: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    // OData annotations such as "@odata.type" describe the payload; they are not properties.
    if (name.startsWith('@')) continue;
    if (name === OBJECT_IDENTIFIER && version === 'beta') {
      if (value !== null) throw graphErrors.invalidPropertyValue(OBJECT_IDENTIFIER);
      patch[OBJECT_IDENTIFIER] = null;
      continue;
    }
    const property = WRITABLE_USER_PROPERTIES.find((p) => p === name);
    if (property === undefined) {
      if (READ_ONLY.has(name)) throw graphErrors.readOnlyProperty(name);
      throw graphErrors.unknownProperty(name);
    }
    if (!CHECKS[property](value)) throw graphErrors.invalidPropertyValue(property);
    patch[property] = value;
  }
  return patch;
}
