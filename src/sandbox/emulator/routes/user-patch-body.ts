/**
 * A PATCH /users/{id} body → UserPatch. Read-only properties get Graph's read-only 400, names
 * that are not user properties the emulator models get Graph's unknown-property 400, and a value
 * of the wrong JSON type is an invalid value: nothing is silently dropped.
 */
import { graphErrors } from '../graph-errors.ts';
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

const isString: Check = (v) => typeof v === 'string';
const isStringOrNull: Check = (v) => v === null || typeof v === 'string';

const CHECKS: Record<keyof UserPatch, Check> = {
  accountEnabled: (v) => typeof v === 'boolean',
  displayName: isString,
  mail: isStringOrNull,
  onPremisesImmutableId: isStringOrNull,
  userPrincipalName: isString,
  userType: (v) => v === 'Member' || v === 'Guest',
};

export function parseUserPatchBody(body: Record<string, unknown>): UserPatch {
  const patch: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    // OData annotations such as "@odata.type" describe the payload; they are not properties.
    if (name.startsWith('@')) continue;
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
