/**
 * The bot's configuration: read once from an env object, validated, typed, frozen.
 * Nothing else in the product reads process.env.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_GRAPH_TIMEOUT_MS } from '../cloud-directory/deadline.ts';
import type { ApprovalPolicy } from '../domain/approval/types.ts';
import { parseSyncScope, type SyncScope } from '../domain/sync-scope.ts';
import { ALWAYS, deepFreeze, GUID, httpUrl, MIN_RELAY_KEY_LENGTH, parseEnv, port, positiveMs, wholeNumber, type Env } from './parse-env.ts';
import { DEFAULT_STORE_URL, parseStoreUrl } from '../store/store-url.ts';
import { DEFAULT_QUEUE_URL, parseQueueUrl } from '../queue/queue-url.ts';
import { canonicalId } from '../domain/ids.ts';

/** AUDIT_KEY's least length: 32 characters of a random string carry well over 128 bits. */
export const MIN_AUDIT_KEY_LENGTH = 32;

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const schema = z
  .object({
    PORT: port(3978),
    HOST: z
      .string()
      .refine((v) => isIP(v) !== 0 || HOST_NAME.test(v), 'must be an IP address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MicrosoftAppId: z.string().optional(),
    MicrosoftAppType: z
      .enum(['UserAssignedMSI', 'SingleTenant'], {
        message:
          'must be UserAssignedMSI or SingleTenant (MultiTenant is not supported: Microsoft deprecated creating multi-tenant bots, and Hardmatch serves exactly one tenant)',
      })
      .optional(),
    MicrosoftAppTenantId: z.string().regex(GUID, 'must be the tenant id (a GUID), the form Teams puts on every activity').optional(),
    MicrosoftAppPassword: z.string().optional(),
    GRAPH_BASE_URL: httpUrl.default('https://graph.microsoft.com'),
    // One command's Graph calls together, retries included (src/cloud-directory/deadline.ts).
    GRAPH_TIMEOUT_MS: positiveMs(DEFAULT_GRAPH_TIMEOUT_MS),
    RELAY_URL: httpUrl.optional(),
    RELAY_KEY: z.string().min(MIN_RELAY_KEY_LENGTH, `must be at least ${MIN_RELAY_KEY_LENGTH} characters`).optional(),
    RELAY_TIMEOUT_MS: positiveMs(10_000),
    AZURE_RELAY_KEY_NAME: z.string().optional(),
    AZURE_RELAY_KEY: z.string().optional(),
    STORE_URL: z
      .string()
      .default(DEFAULT_STORE_URL)
      .superRefine((v, ctx) => {
        const parsed = parseStoreUrl(v);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
      }),
    QUEUE_URL: z
      .string()
      .default(DEFAULT_QUEUE_URL)
      .superRefine((v, ctx) => {
        const parsed = parseQueueUrl(v);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
      }),
    // Read by @azure/identity's DefaultAzureCredential itself; validated here only so a wrong
    // combination is reported at start-up, naming the variables, instead of at the first Graph call.
    AZURE_TENANT_ID: z.string().optional(),
    AZURE_CLIENT_ID: z.string().optional(),
    AZURE_CLIENT_SECRET: z.string().optional(),
    AZURE_CLIENT_CERTIFICATE_PATH: z.string().optional(),
    ADMIN_GROUP_ID: z.string().regex(GUID, 'must be the object id (a GUID) of an Entra group').optional(),
    ADMIN_IDS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
      )
      .refine((ids) => ids.every((id) => GUID.test(id)), 'must be comma-separated Entra object ids (GUIDs)')
      .optional(),
    // The audit chain's HMAC key, held outside the store (Key Vault in Azure; the sandbox makes one).
    AUDIT_KEY: z.string().min(MIN_AUDIT_KEY_LENGTH, `must be at least ${MIN_AUDIT_KEY_LENGTH} characters`).optional(),
    REQUIRED_APPROVALS: wholeNumber(1, 1, 10),
    APPROVAL_TTL_MINUTES: wholeNumber(60, 1, 7 * 24 * 60),
    MANUAL_STEP_TTL_DAYS: wholeNumber(7, 1, 365),
    // How long stored scans (their reports and users) are kept before the sweeper removes them.
    SCAN_RETENTION_DAYS: wholeNumber(30, 1, 3650),
    VERIFY_TIMEOUT_MINUTES: wholeNumber(45, 1, 24 * 60),
    // The write budget every bot instance shares for bulk fixes (src/bulk/write-budget.ts).
    BULK_WRITES_PER_SECOND: wholeNumber(10, 1, 20),
    // Entra Connect's OU filtering, so a person's "Done" on a scope step can be checked.
    SYNC_SCOPE_OUS: z
      .string()
      .transform((v, ctx) => {
        const parsed = parseSyncScope(v);
        if (parsed.ok) return parsed.scope;
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      })
      .optional(),
    // The bot's own address as admins' browsers reach it, for scan report links. App Service sets WEBSITE_HOSTNAME.
    PUBLIC_URL: httpUrl.optional(),
    WEBSITE_HOSTNAME: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    const need = (cond: boolean, path: string, message: string): void => {
      if (cond) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    need(
      Boolean(v.RELAY_URL) !== Boolean(v.RELAY_KEY),
      v.RELAY_URL ? 'RELAY_KEY' : 'RELAY_URL',
      'RELAY_URL and RELAY_KEY are set together',
    );
    need(
      Boolean(v.AZURE_RELAY_KEY_NAME) !== Boolean(v.AZURE_RELAY_KEY),
      v.AZURE_RELAY_KEY_NAME ? 'AZURE_RELAY_KEY' : 'AZURE_RELAY_KEY_NAME',
      'AZURE_RELAY_KEY_NAME and AZURE_RELAY_KEY are set together',
    );
    need(
      Boolean(v.AZURE_RELAY_KEY_NAME) && !v.RELAY_URL,
      'RELAY_URL',
      'required with AZURE_RELAY_KEY_NAME: the Hybrid Connection URL, https://<namespace>.servicebus.windows.net/<name>',
    );
    need(
      v.MicrosoftAppType !== undefined && !v.MicrosoftAppTenantId,
      'MicrosoftAppTenantId',
      `required when MicrosoftAppType is ${v.MicrosoftAppType}`,
    );
    need(
      v.MicrosoftAppType === 'SingleTenant' && !v.MicrosoftAppPassword,
      'MicrosoftAppPassword',
      'required when MicrosoftAppType is SingleTenant',
    );
    need(
      Boolean(v.AZURE_CLIENT_SECRET) && Boolean(v.AZURE_CLIENT_CERTIFICATE_PATH),
      'AZURE_CLIENT_CERTIFICATE_PATH',
      'set either AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, not both',
    );
    need(
      Boolean(v.AZURE_CLIENT_SECRET || v.AZURE_CLIENT_CERTIFICATE_PATH) && !v.AZURE_TENANT_ID,
      'AZURE_TENANT_ID',
      'required with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH: the Entra tenant id of the app registration',
    );
    need(
      Boolean(v.AZURE_CLIENT_SECRET || v.AZURE_CLIENT_CERTIFICATE_PATH) && !v.AZURE_CLIENT_ID,
      'AZURE_CLIENT_ID',
      'required with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH: the client id of the app registration',
    );
    need(
      Boolean(v.MicrosoftAppId) && !v.MicrosoftAppType,
      'MicrosoftAppType',
      'required with MicrosoftAppId (UserAssignedMSI or SingleTenant)',
    );
  }, ALWAYS);

export interface RelayClientConfig {
  url: string;
  key: string;
  timeoutMs: number;
  /** Set when RELAY_URL is an Azure Relay Hybrid Connection. */
  azureRelay?: { keyName: string; key: string };
}

export interface BotConfig {
  port: number;
  /**
   * Where the bot listens (HOST). Sandbox default 127.0.0.1: its endpoint is anonymous. Outside
   * the sandbox undefined, every interface (requests are authenticated there).
   */
  host?: string;
  logLevel: string;
  /** Sandbox: anonymous Bot Framework requests are accepted (only when no MicrosoftAppId is set). */
  sandbox: boolean;
  /** Passed as-is to botbuilder's ConfigurationBotFrameworkAuthentication (its own names). */
  botAuth: {
    MicrosoftAppId?: string;
    MicrosoftAppType?: string;
    MicrosoftAppTenantId?: string;
    MicrosoftAppPassword?: string;
  };
  /** Only activities from this tenant are served (MicrosoftAppTenantId), when set. */
  tenantId?: string;
  graphBaseUrl: string;
  /** How long one command may spend on Microsoft Graph in all (GRAPH_TIMEOUT_MS), default 20_000 ms. */
  graphTimeoutMs: number;
  /** Undefined: no relay configured (only pure GUID/ImmutableID conversions work). */
  relay?: RelayClientConfig;
  approval: {
    /** ADMIN_GROUP_ID: members (transitive) may request and approve. */
    adminGroupId?: string;
    /** ADMIN_IDS, lower case. */
    adminIds: string[];
    policy: ApprovalPolicy;
    /** BULK_WRITES_PER_SECOND (default 10): Graph writes per second of bulk fixes, all instances together. */
    bulkWritesPerSecond: number;
    /** SCAN_RETENTION_DAYS (default 30) in ms: stored scans older than this are removed by the sweeper. */
    scanRetentionMs: number;
    /**
     * SYNC_SCOPE_OUS: Entra Connect's OU filtering. With it, a person's Done on a step that moves
     * an AD object out of or into sync scope is checked through the relay; without it, taken on their word.
     */
    syncScope?: SyncScope;
    /** AUDIT_KEY: keys the audit trail's hash chain (HMAC-SHA256); unset, the chain is plain SHA-256. */
    auditKey?: string;
  };
  /** STORE_URL, validated: `sqlite:<path>` (default `sqlite:./data/hardmatch.db`) or `azure-tables:<...>`. */
  storeUrl: string;
  /** QUEUE_URL, validated: `store` (default: the bulk work items queued in the request store) or `azure-queues:<...>`. */
  queueUrl: string;
  /**
   * The bot's base URL as an admin's browser reaches it (scan report links): PUBLIC_URL, else
   * https://<WEBSITE_HOSTNAME> on App Service, else http://localhost:<PORT>. No trailing slash.
   */
  publicUrl: string;
}

/**
 * Outside the sandbox the bot authenticates every request and serves one tenant: without a
 * tenant id the tenant guard would let every tenant in, so start-up refuses instead.
 */
function requireIdentity(
  v: Partial<Record<'MicrosoftAppId' | 'MicrosoftAppType' | 'MicrosoftAppTenantId', unknown>>,
  ctx: z.RefinementCtx,
): void {
  const missing = (path: string, message: string): void => {
    ctx.addIssue({ code: 'custom', path: [path], message: `required outside the sandbox (${message}); run \`npm start\` for the sandbox` });
  };
  if (!v.MicrosoftAppId) missing('MicrosoftAppId', "the bot's Entra app or managed identity client id");
  // The base schema already names a missing type when MicrosoftAppId is set, and a missing
  // tenant id when the type is: one message per variable.
  if (!v.MicrosoftAppType && !v.MicrosoftAppId) missing('MicrosoftAppType', 'UserAssignedMSI or SingleTenant');
  if (!v.MicrosoftAppTenantId && !v.MicrosoftAppType)
    missing('MicrosoftAppTenantId', 'your Entra tenant id: only activities from it are served');
}

export interface LoadConfigOptions {
  /** The sandbox entry point passes true; production requires a bot identity. */
  sandbox?: boolean;
}

export function loadConfig(env: Env, options: LoadConfigOptions = {}): Readonly<BotConfig> {
  const sandbox = options.sandbox ?? false;
  const withIdentity = sandbox ? schema : schema.superRefine(requireIdentity, ALWAYS);
  const v = parseEnv(withIdentity, env);
  const botAuth: BotConfig['botAuth'] = {};
  if (v.MicrosoftAppId) botAuth.MicrosoftAppId = v.MicrosoftAppId;
  if (v.MicrosoftAppType) botAuth.MicrosoftAppType = v.MicrosoftAppType;
  if (v.MicrosoftAppTenantId) botAuth.MicrosoftAppTenantId = v.MicrosoftAppTenantId;
  if (v.MicrosoftAppPassword) botAuth.MicrosoftAppPassword = v.MicrosoftAppPassword;
  const config: BotConfig = {
    port: v.PORT,
    logLevel: v.LOG_LEVEL,
    sandbox,
    botAuth,
    graphBaseUrl: v.GRAPH_BASE_URL,
    approval: {
      ...(v.ADMIN_GROUP_ID ? { adminGroupId: canonicalId(v.ADMIN_GROUP_ID) } : {}),
      adminIds: (v.ADMIN_IDS ?? []).map(canonicalId),
      ...(v.AUDIT_KEY ? { auditKey: v.AUDIT_KEY } : {}),
      policy: {
        requiredApprovals: v.REQUIRED_APPROVALS,
        ttlMs: v.APPROVAL_TTL_MINUTES * 60_000,
        verifyTimeoutMs: v.VERIFY_TIMEOUT_MINUTES * 60_000,
        manualStepTtlMs: v.MANUAL_STEP_TTL_DAYS * 24 * 60 * 60_000,
      },
      bulkWritesPerSecond: v.BULK_WRITES_PER_SECOND,
      scanRetentionMs: v.SCAN_RETENTION_DAYS * 24 * 60 * 60_000,
      ...(v.SYNC_SCOPE_OUS ? { syncScope: v.SYNC_SCOPE_OUS } : {}),
    },
    storeUrl: v.STORE_URL,
    queueUrl: v.QUEUE_URL,
    graphTimeoutMs: v.GRAPH_TIMEOUT_MS,
    publicUrl: (v.PUBLIC_URL ?? (v.WEBSITE_HOSTNAME ? `https://${v.WEBSITE_HOSTNAME}` : `http://localhost:${v.PORT}`)).replace(/\/+$/, ''),
  };
  const host = v.HOST ?? (sandbox ? '127.0.0.1' : undefined);
  if (host) config.host = host;
  if (v.MicrosoftAppTenantId) config.tenantId = canonicalId(v.MicrosoftAppTenantId);
  if (v.RELAY_URL && v.RELAY_KEY) {
    config.relay = { url: v.RELAY_URL, key: v.RELAY_KEY, timeoutMs: v.RELAY_TIMEOUT_MS };
    if (v.AZURE_RELAY_KEY_NAME && v.AZURE_RELAY_KEY) {
      config.relay.azureRelay = { keyName: v.AZURE_RELAY_KEY_NAME, key: v.AZURE_RELAY_KEY };
    }
  }
  return deepFreeze(config);
}
