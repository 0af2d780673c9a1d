/** Configuration of the relay agent (`hardmatch-relay`), read once, validated, frozen. */
import { z } from 'zod';
import { parseDn } from '../domain/dn.ts';
import type { SourceAnchorSetting } from '../domain/onprem-user.ts';
import { ALWAYS, deepFreeze, MIN_RELAY_KEY_LENGTH, parseEnv, port, positiveMs, type Env } from './parse-env.ts';

/** Stop on the first error, so a missing ADSync module fails the command instead of a later line. */
export const DEFAULT_SYNC_COMMAND = `powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = 'Stop'; Import-Module ADSync; Start-ADSyncSyncCycle -PolicyType Delta"`;

/** Get-ADSyncScheduler's facts and the Entra Connect version, as one line of JSON. */
export const DEFAULT_SYNC_STATUS_COMMAND =
  `powershell.exe -NoProfile -NonInteractive -Command "$ErrorActionPreference = 'Stop'; Import-Module ADSync; $s = Get-ADSyncScheduler; ` +
  `$v = (Get-ADSyncGlobalSettings).Parameters | Where-Object Name -eq 'Microsoft.Synchronize.ServerConfigurationVersion' | Select-Object -ExpandProperty Value; ` +
  `[pscustomobject]@{ SyncCycleEnabled = $s.SyncCycleEnabled; StagingModeEnabled = $s.StagingModeEnabled; SchedulerSuspended = $s.SchedulerSuspended; ` +
  `SyncCycleInProgress = $s.SyncCycleInProgress; Version = $v } | ConvertTo-Json -Compress"`;

const schema = z
  .object({
    RELAY_PORT: port(7443),
    RELAY_HOST: z.string().default('127.0.0.1'),
    RELAY_KEY: z
      .string({ message: 'required: the shared secret the bot signs requests with' })
      .min(MIN_RELAY_KEY_LENGTH, `must be at least ${MIN_RELAY_KEY_LENGTH} characters`),
    RELAY_TLS_CERT_FILE: z.string().optional(),
    RELAY_TLS_KEY_FILE: z.string().optional(),
    RELAY_FIXTURES: z.string().optional(),
    LDAP_URL: z
      .string()
      .refine((v) => /^ldaps?:\/\/[^/]+/i.test(v), 'must look like ldaps://dc1.contoso.com:636')
      .optional(),
    LDAP_BIND_DN: z.string().optional(),
    LDAP_BIND_PASSWORD: z.string().optional(),
    // Every look-up is bounded by it (DN look-ups too), so it must parse as one, e.g. OU=Staff,DC=contoso,DC=com.
    LDAP_BASE_DN: z
      .string()
      .refine((v) => (parseDn(v)?.length ?? 0) > 0, 'must be a DN like DC=contoso,DC=com or OU=Staff,DC=contoso,DC=com')
      .optional(),
    LDAP_CA_FILE: z.string().optional(),
    LDAP_CONNECT_TIMEOUT_MS: positiveMs(5_000),
    LDAP_TIMEOUT_MS: positiveMs(10_000),
    SYNC_COMMAND: z.string().default(''),
    SYNC_STATUS_COMMAND: z.string().default(''),
    SOURCE_ANCHOR: z.enum(['auto', 'objectGUID', 'mS-DS-ConsistencyGuid']).default('auto'),
    AZURE_RELAY_URL: z
      .string()
      .refine((v) => /^(https|sb):\/\/[^/]+\/.+/i.test(v), 'must be https://<namespace>.servicebus.windows.net/<hybrid connection>')
      .optional(),
    AZURE_RELAY_KEY_NAME: z.string().optional(),
    AZURE_RELAY_KEY: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string): void => {
      ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (!v.RELAY_FIXTURES) {
      for (const name of ['LDAP_URL', 'LDAP_BIND_DN', 'LDAP_BIND_PASSWORD', 'LDAP_BASE_DN'] as const) {
        if (!v[name]) issue(name, 'required (or set RELAY_FIXTURES to serve a fixture directory)');
      }
      if (v.LDAP_URL && !/^ldaps:/i.test(v.LDAP_URL)) {
        issue('LDAP_URL', 'must use ldaps:// so the bind password and user data are encrypted');
      }
    }
    if (Boolean(v.RELAY_TLS_CERT_FILE) !== Boolean(v.RELAY_TLS_KEY_FILE)) {
      issue(
        v.RELAY_TLS_CERT_FILE ? 'RELAY_TLS_KEY_FILE' : 'RELAY_TLS_CERT_FILE',
        'RELAY_TLS_CERT_FILE and RELAY_TLS_KEY_FILE are set together',
      );
    }
    const azure = [v.AZURE_RELAY_URL, v.AZURE_RELAY_KEY_NAME, v.AZURE_RELAY_KEY];
    if (azure.some(Boolean) && !azure.every(Boolean)) {
      for (const [name, value] of [
        ['AZURE_RELAY_URL', v.AZURE_RELAY_URL],
        ['AZURE_RELAY_KEY_NAME', v.AZURE_RELAY_KEY_NAME],
        ['AZURE_RELAY_KEY', v.AZURE_RELAY_KEY],
      ] as const) {
        if (!value) issue(name, 'required: AZURE_RELAY_URL, AZURE_RELAY_KEY_NAME and AZURE_RELAY_KEY are set together');
      }
    }
  }, ALWAYS);

export interface LdapConfig {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  caFile?: string;
  connectTimeoutMs: number;
  timeoutMs: number;
}

export interface RelayAgentConfig {
  port: number;
  host: string;
  key: string;
  tls?: { certFile: string; keyFile: string };
  /** Exactly one of `ldap` and `fixturesDir` is set. */
  ldap?: LdapConfig;
  fixturesDir?: string;
  /** LDAP_BASE_DN with fixtures: bounds the fixture look-ups as it bounds LDAP ones. */
  fixturesBaseDn?: string;
  syncCommand: string;
  /**
   * SYNC_STATUS_COMMAND: reports Get-ADSyncScheduler's state before each sync (sync-preflight.ts).
   * Default: DEFAULT_SYNC_STATUS_COMMAND with the default SYNC_COMMAND; none with a custom one
   * (it may run elsewhere) unless set; `none` turns the check off. Absent: no check.
   */
  syncStatusCommand?: string;
  sourceAnchor: SourceAnchorSetting;
  azureRelay?: { url: string; keyName: string; key: string };
  logLevel: string;
}

function statusCommand(sync: string, status: string): { syncStatusCommand?: string } {
  if (status.trim().toLowerCase() === 'none') return {};
  if (status.trim() !== '') return { syncStatusCommand: status };
  return sync.trim() === '' ? { syncStatusCommand: DEFAULT_SYNC_STATUS_COMMAND } : {};
}

export function loadRelayConfig(env: Env): Readonly<RelayAgentConfig> {
  const v = parseEnv(schema, env);
  const config: RelayAgentConfig = {
    port: v.RELAY_PORT,
    host: v.RELAY_HOST,
    key: v.RELAY_KEY,
    syncCommand: v.SYNC_COMMAND || DEFAULT_SYNC_COMMAND,
    ...statusCommand(v.SYNC_COMMAND, v.SYNC_STATUS_COMMAND),
    sourceAnchor: v.SOURCE_ANCHOR,
    logLevel: v.LOG_LEVEL,
  };
  if (v.RELAY_TLS_CERT_FILE && v.RELAY_TLS_KEY_FILE) {
    config.tls = { certFile: v.RELAY_TLS_CERT_FILE, keyFile: v.RELAY_TLS_KEY_FILE };
  }
  if (v.RELAY_FIXTURES) {
    config.fixturesDir = v.RELAY_FIXTURES;
    if (v.LDAP_BASE_DN) config.fixturesBaseDn = v.LDAP_BASE_DN;
  } else if (v.LDAP_URL && v.LDAP_BIND_DN && v.LDAP_BIND_PASSWORD && v.LDAP_BASE_DN) {
    config.ldap = {
      url: v.LDAP_URL,
      bindDn: v.LDAP_BIND_DN,
      bindPassword: v.LDAP_BIND_PASSWORD,
      baseDn: v.LDAP_BASE_DN,
      connectTimeoutMs: v.LDAP_CONNECT_TIMEOUT_MS,
      timeoutMs: v.LDAP_TIMEOUT_MS,
      ...(v.LDAP_CA_FILE ? { caFile: v.LDAP_CA_FILE } : {}),
    };
  }
  if (v.AZURE_RELAY_URL && v.AZURE_RELAY_KEY_NAME && v.AZURE_RELAY_KEY) {
    config.azureRelay = { url: v.AZURE_RELAY_URL, keyName: v.AZURE_RELAY_KEY_NAME, key: v.AZURE_RELAY_KEY };
  }
  return deepFreeze(config);
}
