/**
 * Check 3 of `hardmatch check`: which engine syncs the tenant (Entra Connect Sync through the
 * relay, Entra Cloud Sync, or both), read the way `match` reads it, and whether the bot's identity
 * holds a directory role that may clear onPremisesObjectIdentifier (Hybrid Identity Administrator
 * or Global Administrator). Without the role, CLEAR_OBJECT_IDENTIFIER becomes a person's step.
 */
import { type ConfigurationCheck, type TokenClaims } from '../cloud-directory/index.ts';
import type { TenantFacts } from '../domain/cloud.ts';
import { CLEAR_ROLES } from '../domain/diagnosis/index.ts';
import { bounded, failed, failedFrom, ok, skipped, type Report } from './report.ts';

export interface EngineCheckInput {
  graph: ConfigurationCheck;
  timeoutMs: number;
  unusable: string | undefined;
  claims: TokenClaims | undefined;
}

/** What the permissions check needs to know: does the tenant run Cloud Sync (null: unknown)? */
export interface EngineState {
  cloudSync: boolean | null;
}

function engineText(facts: TenantFacts): string {
  const engine = facts.syncEngine;
  if (!engine) return 'the sync engine is unknown; the bot assumes Entra Connect Sync through the relay.';
  const cloud = engine.cloudSync.map(
    (j) => `job ${j.jobId}${j.includedContainers ? ` (${j.includedContainers.join('; ')})` : ' (whole domain)'}`,
  );
  const connect = engine.connectSync
    ? `Entra Connect Sync${engine.connectVersion ? ` ${engine.connectVersion}` : ''} (syncs run through the relay)`
    : '';
  if (cloud.length > 0 && engine.connectSync)
    return `found both ${connect} and Entra Cloud Sync: ${cloud.join(', ')}. A user in both scopes gets SYNC_ENGINES_OVERLAP and no plan.`;
  if (cloud.length > 0) return `found Entra Cloud Sync: ${cloud.join(', ')}; plans sync through PROVISION_ON_DEMAND.`;
  return `found ${connect}.`;
}

export async function engineSection(input: EngineCheckInput, report: Report): Promise<EngineState> {
  report.section('Sync engine and directory role');
  if (input.unusable) {
    report.outcome(skipped(input.unusable));
    return { cloudSync: null };
  }
  let facts: TenantFacts;
  try {
    facts = await bounded(input.timeoutMs, () => input.graph.tenantFacts());
  } catch (err) {
    report.outcome(failedFrom(err));
    return { cloudSync: null };
  }
  report.outcome(ok(engineText(facts)));
  const unknown = facts.missingPermissions ?? [];
  if (unknown.length > 0) report.line(`  (not everything could be read: the identity lacks ${unknown.join(', ')}; see Graph permissions)`);
  roleOutcome(facts, input.claims, report);
  return { cloudSync: facts.syncEngine ? facts.syncEngine.cloudSync.length > 0 : null };
}

function roleOutcome(facts: TenantFacts, claims: TokenClaims | undefined, report: Report): void {
  if (!claims?.objectId) {
    report.outcome(skipped("the token names no object id, so the identity's directory roles cannot be looked up"));
    return;
  }
  const held = (facts.roleHolders[claims.objectId] ?? []).filter((r) => (CLEAR_ROLES as readonly string[]).includes(r));
  if (held.length > 0) {
    report.outcome(ok(`the bot's identity (${claims.objectId}) holds ${held.join(' and ')}: it may clear onPremisesObjectIdentifier.`));
    return;
  }
  report.outcome(
    failed(
      `the bot's identity (${claims.objectId}) holds neither ${CLEAR_ROLES.join(' nor ')}: Graph refuses it the clear of onPremisesObjectIdentifier, so CLEAR_OBJECT_IDENTIFIER becomes a person's step.`,
      `Assign it Hybrid Identity Administrator: run infra/grant-graph-permissions.sh <principal id> (without --no-directory-role), or Entra admin center → Roles and administrators → Hybrid Identity Administrator → Add assignments.`,
    ),
  );
}
