/**
 * The errors Microsoft Graph answers, as the emulator reproduces them. These model a *remote
 * service's* failures (what the bot must cope with), so they live outside the product's own
 * HardmatchError hierarchy: the bot turns the Graph body it receives into its own errors.
 *
 * Codes and messages follow Graph's documented or observed wording; where Graph's exact text is
 * unknown the message says plainly what rule was hit (see README "Fidelity decisions").
 */

export interface GraphErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class GraphServiceError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: readonly GraphErrorDetail[] | undefined;
  /** Extra response headers, e.g. Retry-After on 429. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: GraphErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'GraphServiceError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = Object.freeze({ ...(options.headers ?? {}) });
  }
}

export function isGraphServiceError(err: unknown): err is GraphServiceError {
  return err instanceof GraphServiceError;
}

/** Who holds a conflicting value, named as Entra names it: `User_<id>`, `Group_<id>`. */
export interface ConflictHolder {
  kind: 'User' | 'Group';
  id: string;
}

const bad = (code: string, message: string): GraphServiceError => new GraphServiceError(400, code, message);

export const graphErrors = {
  resourceNotFound: (id: string) =>
    new GraphServiceError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  segmentNotFound: (segment: string) =>
    new GraphServiceError(404, 'Request_ResourceNotFound', `Resource not found for the segment '${segment}'.`),
  methodNotAllowed: () => new GraphServiceError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),

  /** Graph's documented body: an `ObjectConflict` detail on the property, a `ConflictingObjects` detail naming the holder in `target`. */
  objectConflict: (property: string, holder: ConflictHolder) => {
    const message = `Another object with the same value for property ${property} already exists.`;
    return new GraphServiceError(400, 'ObjectConflict', message, {
      details: [
        { code: 'ObjectConflict', message, target: property },
        { code: 'ConflictingObjects', message, target: `${holder.kind}_${holder.id}` },
      ],
    });
  },
  onPremisesMastered: () =>
    bad(
      'Request_BadRequest',
      'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
    ),
  federatedImmutableId: (domain: string, initialDomain: string) =>
    bad(
      'Request_BadRequest',
      `Unable to set onPremisesImmutableId: the user's userPrincipalName is in the federated domain '${domain}'. ` +
        `Change userPrincipalName to the initial domain (${initialDomain}) first, then set onPremisesImmutableId.`,
    ),
  unverifiedUpnDomain: () =>
    bad(
      'Request_BadRequest',
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    ),
  invalidPropertyValue: (property: string, resource = 'User') =>
    bad('Request_BadRequest', `Invalid value specified for property '${property}' of resource '${resource}'.`),
  readOnlyProperty: (property: string) => bad('Request_BadRequest', `Property '${property}' is read-only and cannot be set.`),
  unknownProperty: (property: string, type = 'microsoft.graph.user') =>
    bad(
      'BadRequest',
      `Property '${property}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    ),
  invalidJson: () =>
    bad('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),

  tokenEmpty: () =>
    new GraphServiceError(401, 'InvalidAuthenticationToken', 'Access token is empty.', {
      headers: { 'WWW-Authenticate': 'Bearer realm="", error="invalid_token", error_description="Access token is empty."' },
    }),
  tokenRejected: () =>
    new GraphServiceError(401, 'InvalidAuthenticationToken', 'Access token validation failure.', {
      headers: { 'WWW-Authenticate': 'Bearer realm="", error="invalid_token", error_description="Access token validation failure."' },
    }),
  /** Graph's 403 for an app-only token that holds none of the permissions an operation needs. */
  insufficientPrivileges: () =>
    new GraphServiceError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  throttled: (retryAfterSeconds: number) =>
    new GraphServiceError(429, 'TooManyRequests', 'Please retry again later.', {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    }),

  filterSyntax: (reason: string, position: number, filter: string) =>
    bad('BadRequest', `Invalid filter clause: ${reason} at position ${position} in '${filter}'.`),
  unsupportedFilterProperty: (property: string, resource: string) =>
    bad(
      'Request_UnsupportedQuery',
      `Unsupported or invalid query filter clause specified for property '${property}' of resource '${resource}'.`,
    ),
  unsupportedQuery: (what: string) => bad('Request_UnsupportedQuery', `Unsupported Query: ${what}.`),
  countNeedsConsistencyLevel: () => bad('Request_BadRequest', '$count is not currently supported.'),
  invalidQueryOption: (option: string, value: string) => bad('BadRequest', `Invalid value '${value}' for query option ${option}.`),
  pageSize: (value: string) =>
    bad('Request_UnsupportedQuery', `Invalid page size specified: '${value}'. Must be between 1 and 999 inclusive.`),
  expiredPageToken: () =>
    bad('Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.'),
  unknownSelectProperty: (property: string, type: string) =>
    bad('BadRequest', `Could not find a property named '${property}' on type 'microsoft.graph.${type}'.`),

  /** MC1263280 / Entra "What's new" (hard-match hardening, enforced July 1, 2026): Microsoft's exact text. */
  remapBlocked: () =>
    bad('InvalidHardMatch', 'Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.'),
  /** MC1262584 (June 2026): no hard match onto a cloud-managed user holding (or eligible for) a Microsoft Entra role. */
  roleHolderHardMatch: (userId: string, roles: readonly string[]) =>
    bad(
      'InvalidHardMatch',
      `Hard match onto cloud-managed user ${userId} is blocked: it holds or is eligible for Microsoft Entra roles (${roles.join(', ')}).`,
    ),
  /** onPremisesSyncBehavior: with isCloudManaged true, "updates from on-premises Active Directory are blocked in the cloud". */
  cloudManaged: (userId: string) =>
    bad(
      'Request_BadRequest',
      `Updates from on-premises Active Directory are blocked in the cloud for user ${userId}: its source of authority is the cloud (onPremisesSyncBehavior.isCloudManaged).`,
    ),

  batchInvalid: (why: string) => bad('BadRequest', `Invalid batch payload format: ${why}`),
  batchTooLarge: (count: number) => bad('BadRequest', `Invalid batch payload format: the batch holds ${count} requests; the limit is 20.`),
  failedDependency: (dependsOn: string) =>
    new GraphServiceError(424, 'FailedDependency', `The request depends on request '${dependsOn}', which failed.`),
};
