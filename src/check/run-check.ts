/**
 * `hardmatch check`: validates the bot's configuration for real, the way `hardmatch-relay check`
 * does for the relay: a Graph token and one read, each Graph permission, the relay (health and one
 * signed look-up), the store (write, read, compare-and-swap, clean-up) and the admins. Each check is
 * bounded in time, says OK or FAILED with the fix in plain words, and a check that cannot run
 * because an earlier one failed says so. No secret is printed.
 */
import type { TokenCredential } from '@azure/identity';
import { createConfigurationCheck } from '../cloud-directory/index.ts';
import type { BotConfig } from '../config/load-config.ts';
import type { Logger } from '../logging/logger.ts';
import { createRelayClient } from '../relay/client/relay-client.ts';
import { adminSection } from './admin-check.ts';
import { permissionsSection, signInSection } from './graph-checks.ts';
import { engineSection } from './engine-check.ts';
import { relaySection } from './relay-check.ts';
import { Report } from './report.ts';
import { describeStore } from '../store/index.ts';
import { storeSection } from './store-check.ts';
import { queueSection } from './queue-check.ts';

/** Default time limit of each check (a token, one Graph read, one relay call, the store steps). */
export const CHECK_TIMEOUT_MS = 30_000;

export interface CheckDeps {
  /** Receives the report one line at a time (the CLI writes it to stdout). */
  write: (line: string) => void;
  logger: Logger;
  /** The bot's Graph (and Table Storage) credential; the CLI passes DefaultAzureCredential, as `npm run bot` does. */
  credential: TokenCredential;
  /** How the credential signs in, for the report (never a secret); default "DefaultAzureCredential". */
  credentialSource?: string;
  /** Who the relay look-up asks for; default a random GUID. */
  sample?: string;
  /** Per check; default CHECK_TIMEOUT_MS. Graph and relay calls also keep their own limits. */
  timeoutMs?: number;
  now?: () => number;
}

function configurationLines(config: Readonly<BotConfig>, deps: CheckDeps): string[] {
  const { approval } = config;
  const admins = [
    approval.adminGroupId ? `group ${approval.adminGroupId}` : undefined,
    approval.adminIds.length > 0 ? `${approval.adminIds.length} in ADMIN_IDS` : undefined,
  ]
    .filter(Boolean)
    .join(' and ');
  const identity = config.botAuth.MicrosoftAppId
    ? `${config.botAuth.MicrosoftAppId} (${config.botAuth.MicrosoftAppType ?? 'type not set'})`
    : 'not set';
  return [
    `  Bot identity:   ${identity}${config.botAuth.MicrosoftAppPassword ? ', password set (not shown)' : ''}`,
    `  Tenant served:  ${config.tenantId ?? 'not set'}`,
    `  Graph:          ${config.graphBaseUrl}, signed in with ${deps.credentialSource ?? 'DefaultAzureCredential'}`,
    `  Relay:          ${config.relay ? `${new URL(config.relay.url).origin}${config.relay.azureRelay ? ' (Azure Relay, key not shown)' : ''}, RELAY_KEY set (not shown)` : 'not set'}`,
    `  Store:          ${describeStore(config.storeUrl)}`,
    `  Admins:         ${admins || 'none configured'}; REQUIRED_APPROVALS ${approval.policy.requiredApprovals}`,
  ];
}

/** Writes the report and returns the process exit code: 0 when every check passed, else 1. */
export async function runCheck(config: Readonly<BotConfig>, deps: CheckDeps): Promise<number> {
  const report = new Report(deps.write);
  const timeoutMs = deps.timeoutMs ?? CHECK_TIMEOUT_MS;
  const now = deps.now ?? Date.now;
  report.line('hardmatch check');
  report.section('Configuration');
  configurationLines(config, deps).forEach((l) => report.line(l));

  const graph = createConfigurationCheck({
    graphBaseUrl: config.graphBaseUrl,
    credential: deps.credential,
    logger: deps.logger,
    timeoutMs: config.graphTimeoutMs,
  });
  const graphInput = { graph, graphBaseUrl: config.graphBaseUrl, tenantId: config.tenantId, timeoutMs };
  const state = await signInSection(graphInput, report);
  const engine = await engineSection({ graph, timeoutMs, unusable: state.unusable, claims: state.claims }, report);
  await permissionsSection(graphInput, state, report, engine);

  const relay = config.relay ? createRelayClient(config.relay, { logger: deps.logger }) : undefined;
  await relaySection(
    { config: config.relay, client: relay, timeoutMs, now, ...(deps.sample === undefined ? {} : { sample: deps.sample }) },
    report,
  );

  await storeSection({ storeUrl: config.storeUrl, credential: deps.credential, timeoutMs }, report);
  await queueSection({ queueUrl: config.queueUrl, credential: deps.credential, timeoutMs }, report);

  await adminSection(
    {
      approval: config.approval,
      graph,
      graphUnusable: state.unusable,
      groupPermissionMissing: state.readRefused.has('GroupMember.Read.All'),
      userReadMissing: state.readRefused.has('User.ReadWrite.All'),
      timeoutMs,
    },
    report,
  );

  report.section(report.failures === 0 ? 'Result: all checks passed.' : `Result: ${report.failures} problem(s) found (see FAILED above).`);
  return report.failures === 0 ? 0 : 1;
}
