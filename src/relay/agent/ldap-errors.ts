/**
 * Every failure talking to AD becomes one DirectoryError whose code says what to fix (DNS, network,
 * certificate, credentials, base DN, slowness) and whose message names the server and base DN in
 * plain words. This is the only place that knows ldapts' and Node's error shapes.
 */
import { ResultCodeError } from 'ldapts';
import type { LdapConfig } from '../../config/load-relay-config.ts';
import { DirectoryError } from '../../errors/index.ts';

export type DirectoryErrorCode = ConstructorParameters<typeof DirectoryError>[0];

/** What was being done when it failed: a code 32 on a bind and on a search mean different things. */
export type LdapOperation = 'connect' | 'bind' | 'search';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

// Node's names for "this certificate cannot be trusted" (OpenSSL verify errors and hostname checks).
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** AD's reason for a refused bind, from "data 52e" in the diagnostic message (MS-ADTS). */
const AD_BIND_REASONS: Readonly<Record<string, string>> = {
  '525': 'the account does not exist',
  '52e': 'the password is wrong',
  '530': 'the account may not sign in at this time',
  '531': 'the account may not sign in from this computer',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '701': 'the account has expired',
  '773': 'the password must be changed first',
  '775': 'the account is locked out',
};

function nodeCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : undefined;
}

/** The LDAP result code, when the server answered with an error. */
export function ldapResultCode(err: unknown): number | undefined {
  return err instanceof ResultCodeError ? err.code : undefined;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The connection went away under a request (server restart, idle timeout, a firewall dropping
 * the flow). ldapts reports this only in words, so the words are matched here and nowhere else.
 */
export function isConnectionLost(err: unknown): boolean {
  const code = nodeCode(err);
  if (code === 'ECONNRESET' || code === 'EPIPE') return true;
  return /Connection closed before message response|^Socket error\. Message type|Socket connection not established/.test(message(err));
}

function isTimeout(err: unknown): boolean {
  if (nodeCode(err) === 'ETIMEDOUT' || ldapResultCode(err) === 3) return true;
  return /^Connection timeout$|Operation timed out$/.test(message(err));
}

function isTls(err: unknown): boolean {
  const code = nodeCode(err);
  if (code === undefined) return false;
  return TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

/** `host:port` (or `host` alone) from LDAP_URL, or the URL as written when it does not parse. */
function server(config: LdapConfig, part: 'host' | 'hostname' = 'host'): string {
  try {
    return new URL(config.url)[part];
  } catch {
    return config.url;
  }
}

function bindReason(err: unknown): string {
  const data = /\bdata ([0-9a-f]{3}),/i.exec(message(err))?.[1]?.toLowerCase();
  return (data && AD_BIND_REASONS[data]) ?? 'wrong bind DN or password, or the account is disabled, locked or expired';
}

function tlsText(err: unknown, config: LdapConfig): string {
  const host = server(config);
  const trust = config.caFile ? `the CA in LDAP_CA_FILE (${config.caFile})` : "the system's CAs (LDAP_CA_FILE is not set)";
  if (nodeCode(err) === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `The certificate of ${host} does not name that host (${message(err)}); use the name the certificate carries in LDAP_URL.`;
  }
  return `The TLS certificate of ${host} is not trusted by ${trust}: ${message(err)}.`;
}

type Mapped = { code: DirectoryErrorCode; text: string };

function fromResultCode(code: number, err: unknown, config: LdapConfig, operation: LdapOperation): Mapped {
  const host = server(config);
  if (operation === 'bind' && [32, 34, 48, 49].includes(code)) {
    return { code: 'DIRECTORY_CREDENTIALS', text: `${host} refused the bind as ${config.bindDn}: ${bindReason(err)}.` };
  }
  if (operation === 'search' && [10, 32, 34].includes(code)) {
    return { code: 'DIRECTORY_BASE_DN', text: `The search base ${config.baseDn} does not exist on ${host}.` };
  }
  if (code === 8 || code === 13) {
    return { code: 'DIRECTORY_TLS', text: `${host} requires an encrypted connection; use ldaps:// in LDAP_URL.` };
  }
  if (code === 51 || code === 52) {
    return { code: 'DIRECTORY_UNREACHABLE', text: `${host} is busy or unavailable (LDAP result ${code}); try again shortly.` };
  }
  if (code === 50) {
    return { code: 'DIRECTORY_FAILED', text: `${config.bindDn} may not read users under ${config.baseDn} on ${host}.` };
  }
  return { code: 'DIRECTORY_FAILED', text: `${host} answered the ${operation} with LDAP result ${code}: ${message(err)}` };
}

function classify(err: unknown, config: LdapConfig, operation: LdapOperation): Mapped {
  const host = server(config);
  const code = nodeCode(err);
  const result = ldapResultCode(err);
  if (code && DNS_CODES.has(code)) {
    return { code: 'DIRECTORY_DNS', text: `The host name in LDAP_URL (${server(config, 'hostname')}) cannot be resolved (${code}).` };
  }
  if (isTls(err)) return { code: 'DIRECTORY_TLS', text: tlsText(err, config) };
  if (isTimeout(err)) {
    // ldapts connects inside bind(); its connect timer says so only in its message.
    const phase = message(err) === 'Connection timeout' ? 'connect' : operation;
    const limit =
      phase === 'connect' ? `${config.connectTimeoutMs} ms (LDAP_CONNECT_TIMEOUT_MS)` : `${config.timeoutMs} ms (LDAP_TIMEOUT_MS)`;
    return { code: 'DIRECTORY_TIMEOUT', text: `${host} did not answer the ${phase} within ${limit}.` };
  }
  if (code && NETWORK_CODES.has(code)) {
    return { code: 'DIRECTORY_UNREACHABLE', text: `Cannot reach ${host} (${code}): ${message(err)}.` };
  }
  if (result !== undefined) return fromResultCode(result, err, config, operation);
  if (isConnectionLost(err)) {
    return { code: 'DIRECTORY_UNREACHABLE', text: `The connection to ${host} was lost during the ${operation}.` };
  }
  return { code: 'DIRECTORY_FAILED', text: `The ${operation} on ${host} failed: ${message(err)}` };
}

/**
 * Map any error from connecting, binding or searching to a DirectoryError. A DirectoryError passes
 * through unchanged. The bind password never appears in the message, even if a library echoed it.
 */
export function toDirectoryError(err: unknown, config: LdapConfig, operation: LdapOperation): DirectoryError {
  if (err instanceof DirectoryError) return err;
  const { code, text } = classify(err, config, operation);
  const safe = config.bindPassword ? text.split(config.bindPassword).join('[redacted]') : text;
  return new DirectoryError(code, safe, { cause: err, details: { server: server(config), baseDn: config.baseDn, operation } });
}
