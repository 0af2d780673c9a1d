/**
 * What the bot's own identity may do, added to the tenant facts so the diagnosis can plan around
 * it (a step it may not run becomes a person's step that names what is missing): the write
 * permissions of the 2026 steps, read off the token's `roles`, and whether the identity holds a
 * directory role that may clear onPremisesObjectIdentifier (its `oid` among the role holders read
 * with the tenant facts). A token that is no JWT (the sandbox's, a test's) says nothing: nothing is
 * assumed missing.
 */
import type { TenantFacts } from '../domain/cloud.ts';
import { CLEAR_ROLES, STEP_PERMISSIONS } from '../domain/diagnosis/index.ts';
import type { TokenClaims } from './token-claims.ts';

export function withIdentityFacts(facts: TenantFacts, claims: TokenClaims | undefined): TenantFacts {
  if (!claims) return facts;
  const missing = new Set(facts.missingPermissions ?? []);
  // An app with no application permissions at all has no `roles` claim; it could not have read the facts either.
  if (claims.roles.length > 0) {
    if (!claims.roles.includes(STEP_PERMISSIONS.clear)) missing.add(STEP_PERMISSIONS.clear);
    const cloudSync = (facts.syncEngine?.cloudSync.length ?? 0) > 0;
    if (cloudSync && !claims.roles.includes(STEP_PERMISSIONS.provision)) missing.add(STEP_PERMISSIONS.provision);
  }
  const roles = claims.objectId ? (facts.roleHolders[claims.objectId] ?? []) : null;
  const next: TenantFacts = {
    ...facts,
    canClearObjectIdentifier: roles === null ? null : roles.some((r) => (CLEAR_ROLES as readonly string[]).includes(r)),
  };
  if (missing.size > 0) next.missingPermissions = [...missing].sort();
  return next;
}
