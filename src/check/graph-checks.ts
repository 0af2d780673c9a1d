/**
 * Checks 1 and 2 of `hardmatch check`: a Graph token from the bot's credential and one read (the
 * tenant's match switches), then each Graph application permission the bot needs, reported one by
 * one: by a read that needs it where one exists, else from the token's `roles` claim.
 */
import type { AccessToken } from '@azure/identity';
import {
  BOT_PERMISSIONS,
  readTokenClaims,
  type BotPermission,
  type ConfigurationCheck,
  type TokenClaims,
} from '../cloud-directory/index.ts';
import type { SyncSwitches } from '../domain/cloud.ts';
import { CloudError } from '../errors/index.ts';
import { bounded, failed, failedFrom, ok, skipped, type Outcome, type Report } from './report.ts';
import type { EngineState } from './engine-check.ts';

export interface GraphChecksInput {
  graph: ConfigurationCheck;
  graphBaseUrl: string;
  /** MicrosoftAppTenantId: the tenant the bot serves, compared with the token's. */
  tenantId: string | undefined;
  timeoutMs: number;
}

/** What later checks need to know: may they call Graph, and which permissions were refused. */
export interface GraphState {
  /** Why Graph cannot be used at all (no token, token refused, unreachable); undefined when it can. */
  unusable?: string;
  /** Permission name → why it is missing; filled by the permission check. */
  missing: Map<string, string>;
  /** Permissions whose read was refused (a subset of `missing`: the others lack only the write half). */
  readRefused: Set<string>;
}

const SIGN_IN_FIX =
  "Give the bot a Graph identity: on Azure the App Service's managed identity (AZURE_CLIENT_ID names a user-assigned one); elsewhere AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) of an app registration, with a secret that has not expired.";

function grantFix(permission: string): string {
  return (
    `Grant ${permission} to the bot's identity: run infra/grant-graph-permissions.sh <principal id of the identity> as a Privileged Role Administrator or Global Administrator (docs/deploy.md "Graph permissions"), ` +
    "or grant admin consent for it in the Entra admin center (Enterprise applications > the bot > Permissions). A token issued before the grant still lacks it: restart the bot (a managed identity's token can be cached for up to 24 hours) and run the check again."
  );
}

function describeToken(claims: TokenClaims | undefined): string {
  if (!claims) return 'got a Microsoft Graph token (not a JWT, so it names no tenant or permissions).';
  const who = [claims.tenantId ? `tenant ${claims.tenantId}` : undefined, claims.appId ? `app ${claims.appId}` : undefined]
    .filter(Boolean)
    .join(', ');
  return `got a Microsoft Graph token${who ? ` (${who})` : ''}.`;
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

function switchesText(s: SyncSwitches): string {
  return (
    `read the tenant's match switches: blockSoftMatchEnabled ${onOff(s.blockSoftMatchEnabled)}, ` +
    `blockCloudObjectTakeoverThroughHardMatchEnabled ${onOff(s.blockCloudObjectTakeoverThroughHardMatchEnabled)}, softMatchOnUpnEnabled ${onOff(s.softMatchOnUpnEnabled)}.`
  );
}

/** Why Graph as a whole is unusable after this error, or undefined when only this read was refused. */
function unusableBecause(err: unknown, graphBaseUrl: string): string | undefined {
  if (!(err instanceof CloudError)) return 'the Graph read failed';
  if (err.code === 'CLOUD_AUTH_FAILED' && err.status !== 403) return "Microsoft Graph refused the bot's token";
  if (err.code === 'CLOUD_UNAVAILABLE') return `Microsoft Graph at ${graphBaseUrl} could not be reached`;
  return undefined;
}

async function tokenCheck(input: GraphChecksInput, report: Report): Promise<{ token?: AccessToken; claims?: TokenClaims }> {
  try {
    const token = await bounded(input.timeoutMs, () => input.graph.token());
    const claims = readTokenClaims(token.token);
    if (claims?.tenantId && input.tenantId && claims.tenantId.toLowerCase() !== input.tenantId.toLowerCase()) {
      report.outcome(
        failed(
          `the Graph token is for tenant ${claims.tenantId}, but MicrosoftAppTenantId is ${input.tenantId}: the bot would serve one tenant and change users in another.`,
          "Use a Graph identity of the bot's own tenant (AZURE_TENANT_ID, or the managed identity's tenant), or correct MicrosoftAppTenantId.",
        ),
      );
      return {};
    }
    report.outcome(ok(describeToken(claims)));
    return claims ? { token, claims } : { token };
  } catch (err) {
    report.outcome(failedFrom(err, SIGN_IN_FIX));
    return {};
  }
}

/** Check 1: token and one read. */
export async function signInSection(input: GraphChecksInput, report: Report): Promise<GraphState & { claims?: TokenClaims }> {
  report.section(`Microsoft Graph sign-in (${input.graphBaseUrl})`);
  const { token, claims } = await tokenCheck(input, report);
  if (!token) {
    report.outcome(skipped('there is no usable Graph token'));
    return { unusable: 'there is no usable Graph token', missing: new Map(), readRefused: new Set() };
  }
  try {
    const switches = await bounded(input.timeoutMs, () => input.graph.matchSwitches());
    report.outcome(ok(switchesText(switches)));
    return { missing: new Map(), readRefused: new Set(), ...(claims ? { claims } : {}) };
  } catch (err) {
    const unusable = unusableBecause(err, input.graphBaseUrl);
    // A refused token needs another identity, a 403 the permission; anything else gets the product's own next step.
    const denied = err instanceof CloudError && err.status === 403;
    const fix = unusable?.includes('token') ? SIGN_IN_FIX : denied ? grantFix('OnPremDirectorySynchronization.Read.All') : undefined;
    report.outcome(failedFrom(err, fix));
    return { missing: new Map(), readRefused: new Set(), ...(unusable ? { unusable } : {}), ...(claims ? { claims } : {}) };
  }
}

function fromRoles(permission: BotPermission, claims: TokenClaims | undefined, readText: string | undefined): Outcome {
  const label = `${permission.name} (${permission.usedFor})`;
  if (!claims) {
    return failed(
      `${label}: cannot be verified: the token is not a JWT, so the permissions in it cannot be read, and only a write would prove this one.`,
      'Use an Entra identity (managed identity or app registration) for Graph; its tokens are JWTs listing their permissions.',
    );
  }
  if (!claims.roles.includes(permission.name)) {
    const holds = claims.roles.length > 0 ? claims.roles.join(', ') : 'no application permissions';
    return failed(`${label}: not among the token's permissions (it holds ${holds}).`, grantFix(permission.name));
  }
  return ok(`${label}: ${readText ? `${readText}; ` : ''}granted in the token's permissions (no write tried).`);
}

function permissionOutcome(
  permission: BotPermission,
  reads: Map<string, CloudError | undefined>,
  claims: TokenClaims | undefined,
): Outcome {
  const label = `${permission.name} (${permission.usedFor})`;
  if (!permission.probe) return fromRoles(permission, claims, undefined);
  const refusal = reads.get(permission.name);
  if (refusal) return failedFrom(refusal, grantFix(permission.name));
  // Writing needs more than the read proved: the token's roles say whether it is granted.
  if (permission.name.includes('ReadWrite')) return fromRoles(permission, claims, `${permission.probe.what} works`);
  return ok(`${label}: ${permission.probe.what} works.`);
}

/**
 * A Cloud Sync permission in a tenant known to run no Cloud Sync: its absence is no failure.
 * With the engine unknown, it is checked like the others.
 */
function optionalOutcome(permission: BotPermission, outcome: Outcome, engine: EngineState): Outcome {
  if (!permission.cloudSyncOnly || engine.cloudSync !== false || outcome.kind !== 'failed') return outcome;
  return ok(`${permission.name} (${permission.usedFor}): not granted; needed only in an Entra Cloud Sync tenant, and this one runs none.`);
}

/** Check 2: each permission on its own line. */
export async function permissionsSection(
  input: GraphChecksInput,
  state: GraphState & { claims?: TokenClaims },
  report: Report,
  engine: EngineState = { cloudSync: null },
): Promise<void> {
  report.section('Graph permissions');
  if (state.unusable) {
    for (const p of BOT_PERMISSIONS) report.outcome(skipped(`${state.unusable} (${p.name} not checked)`));
    return;
  }
  let reads: Map<string, CloudError | undefined>;
  try {
    reads = await bounded(input.timeoutMs, () => input.graph.probePermissions());
  } catch (err) {
    report.outcome(failedFrom(err));
    for (const p of BOT_PERMISSIONS) report.outcome(skipped(`the permission reads failed (${p.name} not checked)`));
    state.unusable = 'the permission reads failed';
    return;
  }
  for (const [name, refusal] of reads) if (refusal) state.readRefused.add(name);
  for (const permission of BOT_PERMISSIONS) {
    const outcome = report.outcome(optionalOutcome(permission, permissionOutcome(permission, reads, state.claims), engine));
    if (outcome.kind === 'failed') state.missing.set(permission.name, outcome.text);
  }
}
