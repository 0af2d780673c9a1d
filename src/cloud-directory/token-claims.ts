/**
 * What an access token says about itself. Entra's app-only tokens for Graph are JWTs whose `roles`
 * claim lists the application permissions granted to the app (the claim is absent when none is),
 * `tid` the tenant and `appid` the client. Read here without verifying the signature: the bot only
 * looks at its own token to explain a refusal; Graph is what enforces it.
 */

export interface TokenClaims {
  /** Application permissions (app roles of Microsoft Graph); [] when the claim is absent. */
  roles: string[];
  tenantId?: string;
  appId?: string;
  /** `oid`: the object id of the identity (the app's service principal, or the managed identity). */
  objectId?: string;
}

/** The claims of a JWT, or undefined when the token is not one (an opaque token, a test token). */
export function readTokenClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const { roles, tid, appid, azp, oid } = payload as Record<string, unknown>;
  const claims: TokenClaims = { roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [] };
  if (typeof tid === 'string') claims.tenantId = tid;
  const app = typeof appid === 'string' ? appid : azp;
  if (typeof app === 'string') claims.appId = app;
  if (typeof oid === 'string') claims.objectId = oid.toLowerCase();
  return claims;
}
