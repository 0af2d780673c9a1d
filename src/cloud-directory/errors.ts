/**
 * Graph failures → CloudError, in one place. Whatever shape a failure arrives in (the SDK's
 * GraphError for a single request, a `$batch` sub-response, a credential that could not sign
 * in), it becomes a `GraphFailure` first, then one CloudError whose message names the operation,
 * the HTTP status and Graph's own code and message (plus `details`, where Entra names the
 * conflicting object as `User_<id>`). Tokens never appear: Graph does not echo them, and the
 * credential guard only passes the credential's message on.
 */
import { GraphError } from '@microsoft/microsoft-graph-client';
import { CloudError } from '../errors/index.ts';
import { isCredentialFailure } from './credential.ts';
import { formatDuration } from './deadline.ts';

/** What a call was for, so an error can say it (and which permission it needs). */
export interface Operation {
  /** e.g. "look up the users that could collide with jdoe". */
  what: string;
  /** The application permission the call needs, named on a 403. */
  permission: string;
}

/** Why no answer came: the network's own error code and, for a time-out, how long was waited. */
export interface NetworkFailure {
  /** e.g. ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, CERT_HAS_EXPIRED, TimeoutError. */
  code: string;
  /** Set when the bot stopped waiting (per-attempt limit or the command's deadline). */
  waitedMs?: number;
}

/** A failed Graph answer (or no answer: status -1), normalised. */
export interface GraphFailure {
  /** HTTP status; -1 when no response arrived (network error, timeout). */
  status: number;
  code: string | null;
  message: string;
  /** `error.details[]` as text: "Conflicting object: User_<id>" for a detail whose target names the holder. */
  details: string[];
  /** Retry-After in milliseconds, when Graph sent one. */
  retryAfterMs: number | null;
  /** Only with status -1 from the network (not from an incomplete `$batch` answer). */
  network?: NetworkFailure;
}

interface GraphErrorBody {
  code?: unknown;
  message?: unknown;
  details?: unknown;
}

/** Parse `Retry-After`: delta-seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** A `details[].target` naming a directory object, as Graph names the holder of a conflicting value. */
const OBJECT_TARGET = /^[A-Za-z]+_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `error.details[]` as text. Graph documents the ObjectConflict body with the holder only in the
 * `target` of a `ConflictingObjects` detail (`User_<id>`), its message repeating the main one, so a
 * target naming an object becomes "Conflicting object: User_<id>" and a repeated message is dropped.
 */
function detailMessages(details: unknown, main: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    const { message, target } = (d ?? {}) as { message?: unknown; target?: unknown };
    if (typeof target === 'string' && OBJECT_TARGET.test(target)) return [`Conflicting object: ${target}`];
    return typeof message === 'string' && message !== '' && message !== main ? [message] : [];
  });
}

/** `{ error: { code, message, details } }` (a batch sub-response body) → its parts. */
export function failureFromBody(status: number, body: unknown, retryAfter: string | null | undefined): GraphFailure {
  const error = (body as { error?: GraphErrorBody } | null | undefined)?.error;
  return {
    status,
    code: typeof error?.code === 'string' ? error.code : null,
    message: typeof error?.message === 'string' ? error.message : `HTTP ${status}`,
    details: detailMessages(error?.details, error?.message),
    retryAfterMs: parseRetryAfter(retryAfter),
  };
}

/**
 * The SDK's GraphError or any thrown value. For a JSON answer the SDK puts Graph's `error` object
 * in `body` (as JSON text) and its code on `code`; for an answer without a JSON Content-Type it
 * keeps the raw text, which may still be Graph's `{ "error": … }` envelope, so both are read.
 * No answer at all (status -1) becomes a network failure carrying only the network's error code
 * (graph-client.ts's NetworkFailureHandler saves it from the SDK, which keeps only the message).
 */
export function failureFromThrown(err: unknown): GraphFailure {
  if (err instanceof GraphError && err.statusCode !== -1) {
    const parsed = parseErrorBody(err.body);
    const code = err.code ?? (typeof parsed?.code === 'string' ? parsed.code : null);
    const message = typeof parsed?.message === 'string' && !err.code ? parsed.message : err.message;
    return {
      status: err.statusCode,
      code,
      message: message || `HTTP ${err.statusCode}`,
      details: detailMessages(parsed?.details, parsed?.message),
      retryAfterMs: parseRetryAfter(err.headers?.get('Retry-After')),
    };
  }
  const saved = err instanceof GraphError && err.code === NETWORK_FAILURE_NAME ? err.message : undefined;
  return networkFailure(saved ?? networkCodeOf(err));
}

/** A request that got no answer, for the network error `code` (and how long was waited, if we stopped). */
export function networkFailure(code: string, waitedMs?: number): GraphFailure {
  const network: NetworkFailure = waitedMs === undefined ? { code } : { code, waitedMs };
  return { status: -1, code: null, message: NETWORK_WORDS[networkKind(code)], details: [], retryAfterMs: null, network };
}

/** The `name` graph-client.ts gives the error it rethrows for a request without an answer; `message` is the code. */
export const NETWORK_FAILURE_NAME = 'GraphNetworkFailure';

/** Codes from the OS (errno), TLS and undici look like this; a JavaScript error's name (TypeError) does not. */
const CODE_RE = /^(E[A-Z0-9_]+|UND_ERR_[A-Z_]+|CERT_[A-Z_]+|ERR_[A-Z0-9_]+|[A-Z]+(_[A-Z0-9]+)+)$/;

/**
 * The most specific network error code in a fetch failure: undici throws `TypeError: fetch failed`
 * with the socket's error (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, UND_ERR_SOCKET …) as `cause`,
 * sometimes an AggregateError of one per address tried; an abort is a TimeoutError / AbortError.
 */
export function networkCodeOf(err: unknown, depth = 0): string {
  if (depth > 4 || err === null || typeof err !== 'object') return 'UNKNOWN';
  const { code, cause, errors, name } = err as { code?: unknown; cause?: unknown; errors?: unknown; name?: unknown };
  if (typeof code === 'string' && CODE_RE.test(code)) return code;
  if (name === 'TimeoutError' || name === 'AbortError') return name;
  if (cause !== undefined) {
    const inner = networkCodeOf(cause, depth + 1);
    if (inner !== 'UNKNOWN') return inner;
  }
  if (Array.isArray(errors)) {
    for (const e of errors as unknown[]) {
      const inner = networkCodeOf(e, depth + 1);
      if (inner !== 'UNKNOWN') return inner;
    }
  }
  return 'UNKNOWN';
}

export type NetworkKind = 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'unreachable' | 'other';

const NETWORK_KINDS: readonly (readonly [RegExp, NetworkKind])[] = [
  [/^ECONNREFUSED$/, 'refused'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EAI_NODATA)$/, 'dns'],
  [/^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|HOSTNAME_MISMATCH$|EPROTO$)/, 'tls'],
  [/^(ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|TimeoutError|AbortError)$/, 'timeout'],
  [/^(ECONNRESET|ECONNABORTED|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/, 'reset'],
  [/^(ENETUNREACH|EHOSTUNREACH|ENETDOWN|EHOSTDOWN)$/, 'unreachable'],
];

export function networkKind(code: string): NetworkKind {
  return NETWORK_KINDS.find(([re]) => re.test(code))?.[1] ?? 'other';
}

/** Network failures in an admin's words: the one place they are worded. */
const NETWORK_WORDS: Record<NetworkKind, string> = {
  refused: 'the connection was refused (nothing listens at the address GRAPH_BASE_URL names, or a firewall rejects the connection)',
  dns: 'the host name in GRAPH_BASE_URL could not be resolved (DNS)',
  tls: "the TLS connection failed (the server's certificate is not trusted by the bot, has expired or names another host; a TLS-inspecting proxy does this)",
  timeout: 'timed out',
  reset: 'the connection was closed before Graph answered',
  unreachable: 'the network has no route to the address GRAPH_BASE_URL names',
  other: 'the network request failed',
};

/** The sentence for a request that got no answer, e.g. "did not answer … within 20 s (timed out)". */
export function describeNetworkFailure(what: string, network: NetworkFailure, tries: string): string {
  const kind = networkKind(network.code);
  const code = network.code === 'UNKNOWN' || kind === 'timeout' ? '' : ` (${network.code})`;
  if (kind === 'timeout') {
    const within = network.waitedMs === undefined ? 'in time' : `within ${formatDuration(network.waitedMs)}`;
    return `Microsoft Graph did not answer the request to ${what} ${within}${tries} (timed out).`;
  }
  return `Microsoft Graph could not be reached to ${what}${tries}: ${NETWORK_WORDS[kind]}${code}.`;
}

function parseErrorBody(body: unknown): GraphErrorBody | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as (GraphErrorBody & { error?: GraphErrorBody }) | null;
    return parsed?.error ?? parsed ?? undefined;
  } catch {
    return undefined;
  }
}

/** Whether the same request may succeed later: throttled, a server error, or no answer at all. */
export function isRetryable(failure: GraphFailure): boolean {
  return failure.status === 429 || failure.status === -1 || failure.status >= 500;
}

function graphSays(f: GraphFailure): string {
  const status = f.status === -1 ? 'no response' : String(f.status);
  const code = f.code ? ` ${f.code}` : '';
  const details = f.details.length > 0 ? ` (${f.details.join('; ')})` : '';
  return `${status}${code}: ${f.message}${details}`;
}

/**
 * The CloudError for a failure that will not be retried (any more): it names the last fault
 * (status, Graph's code and message, or the network's) and, after retries, how many tries over how long.
 */
export function toCloudError(
  op: Operation,
  f: GraphFailure,
  context: { attempts?: number; triedMs?: number; cause?: unknown } = {},
): CloudError {
  const options = { status: f.status === -1 ? null : f.status, graphCode: f.code, graphMessage: f.message, cause: context.cause };
  const over = context.triedMs !== undefined && context.triedMs >= 1_000 ? ` over ${formatDuration(context.triedMs)}` : '';
  const tries = context.attempts && context.attempts > 1 ? ` after ${context.attempts} attempts${over}` : '';
  if (f.status === 429) {
    return new CloudError('CLOUD_THROTTLED', `Microsoft Graph kept throttling the request to ${op.what}${tries} (${graphSays(f)}).`, {
      ...options,
      retryAfterMs: f.retryAfterMs,
    });
  }
  if (f.status === 401) {
    return new CloudError('CLOUD_AUTH_FAILED', `Microsoft Graph refused the bot's token to ${op.what} (${graphSays(f)}).`, options);
  }
  if (f.status === 403) {
    return new CloudError(
      'CLOUD_AUTH_FAILED',
      `Microsoft Graph denied the bot permission to ${op.what}; it needs the application permission ${op.permission} (${graphSays(f)}).`,
      options,
    );
  }
  if (f.status === -1 && f.network) {
    return new CloudError('CLOUD_UNAVAILABLE', describeNetworkFailure(op.what, f.network, tries), {
      status: null,
      graphCode: null,
      graphMessage: null,
      cause: context.cause,
    });
  }
  if (f.status === -1 || f.status >= 500) {
    return new CloudError(
      'CLOUD_UNAVAILABLE',
      `Microsoft Graph did not answer the request to ${op.what}${tries} (${graphSays(f)}).`,
      options,
    );
  }
  return new CloudError('CLOUD_REQUEST_FAILED', `Microsoft Graph refused the request to ${op.what} (${graphSays(f)}).`, options);
}

/** A credential that could not produce a token: the bot cannot sign in at all. */
export function credentialError(op: Operation, err: unknown): CloudError | undefined {
  if (!isCredentialFailure(err)) return undefined;
  return new CloudError('CLOUD_AUTH_FAILED', `The bot could not get a Microsoft Graph token to ${op.what}: ${err.message}`, {
    graphCode: null,
    cause: err,
  });
}
