/**
 * One error hierarchy for the whole product. Every error carries a stable `code` that appears in
 * logs and on cards; the user-facing wording lives in `to-user-text.ts`, nowhere else.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'INPUT_EMPTY'
  | 'INPUT_TOO_LONG'
  | 'INPUT_INVALID'
  | 'UNKNOWN_COMMAND'
  | 'ANCHOR_MALFORMED'
  | 'OU_OUTSIDE_BASE_DN'
  | 'OU_NOT_FOUND'
  | 'SCAN_CURSOR_EXPIRED'
  | 'USER_NOT_FOUND'
  | 'RELAY_UNAVAILABLE'
  | 'RELAY_TIMEOUT'
  | 'RELAY_REJECTED'
  | 'RELAY_BAD_RESPONSE'
  | 'REQUEST_UNAUTHENTICATED'
  | 'DIRECTORY_DNS'
  | 'DIRECTORY_UNREACHABLE'
  | 'DIRECTORY_TLS'
  | 'DIRECTORY_CREDENTIALS'
  | 'DIRECTORY_BASE_DN'
  | 'DIRECTORY_TIMEOUT'
  | 'DIRECTORY_FAILED'
  | 'CLOUD_REQUEST_FAILED'
  | 'CLOUD_THROTTLED'
  | 'CLOUD_UNAVAILABLE'
  | 'CLOUD_AUTH_FAILED'
  | 'SYNC_BUSY'
  | 'SYNC_FAILED'
  | 'SYNC_TIMEOUT'
  | 'SYNC_STAGING_MODE'
  | 'SYNC_CYCLE_DISABLED'
  | 'SYNC_SCHEDULER_SUSPENDED'
  | 'SYNC_VERSION_UNSUPPORTED'
  | 'APPROVAL_REFUSED'
  | 'STORE_UNAVAILABLE'
  | 'STORE_REFUSED'
  | 'INTERNAL';

export class HardmatchError extends Error {
  readonly code: ErrorCode;
  /** Safe-to-show facts (never secrets) that help the admin, e.g. the offending input. */
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, string | number> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** Configuration is missing or malformed; `problems` names each variable. */
export class ConfigError extends HardmatchError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('CONFIG_INVALID', `Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = Object.freeze([...problems]);
  }
}

export const INPUT_ERROR_CODES = [
  'INPUT_EMPTY',
  'INPUT_TOO_LONG',
  'INPUT_INVALID',
  'UNKNOWN_COMMAND',
  'ANCHOR_MALFORMED',
  'OU_OUTSIDE_BASE_DN',
  'OU_NOT_FOUND',
  'SCAN_CURSOR_EXPIRED',
] as const satisfies readonly ErrorCode[];
export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];

/** What the user typed cannot be used; the message names the input and says what is accepted. */
export class InputError extends HardmatchError {
  constructor(code: InputErrorCode, message: string, details: Record<string, string | number> = {}) {
    super(code, message, { details });
  }
}

export class UserNotFound extends HardmatchError {
  constructor(who: string) {
    super('USER_NOT_FOUND', `No on-premises user matches "${who}".`, { details: { who } });
  }
}

/** The bot could not use the relay agent (down, slow, refused us, or answered nonsense). */
export class RelayUnavailable extends HardmatchError {
  constructor(
    code: 'RELAY_UNAVAILABLE' | 'RELAY_TIMEOUT' | 'RELAY_REJECTED' | 'RELAY_BAD_RESPONSE',
    message: string,
    options: { cause?: unknown; details?: Record<string, string | number> } = {},
  ) {
    super(code, message, options);
  }
}

/** A relay request failed authentication (bad signature, stale, replayed). */
export class RequestUnauthenticated extends HardmatchError {
  readonly reason: 'missing' | 'stale' | 'replayed' | 'bad-signature' | 'malformed';
  constructor(reason: RequestUnauthenticated['reason'], message: string) {
    super('REQUEST_UNAUTHENTICATED', message, { details: { reason } });
    this.reason = reason;
  }
}

/** The relay agent could not read Active Directory. */
export class DirectoryError extends HardmatchError {
  constructor(
    code:
      | 'DIRECTORY_DNS'
      | 'DIRECTORY_UNREACHABLE'
      | 'DIRECTORY_TLS'
      | 'DIRECTORY_CREDENTIALS'
      | 'DIRECTORY_BASE_DN'
      | 'DIRECTORY_TIMEOUT'
      | 'DIRECTORY_FAILED',
    message: string,
    options: { cause?: unknown; details?: Record<string, string | number> } = {},
  ) {
    super(code, message, options);
  }
}

/**
 * Microsoft Graph (or the Entra emulator) refused or failed a request. `graphCode` and
 * `graphMessage` are Graph's own `error.code` and `error.message`, shown to the admin as they are.
 */
export class CloudError extends HardmatchError {
  readonly status: number | null;
  readonly graphCode: string | null;
  readonly graphMessage: string | null;
  /** CLOUD_THROTTLED: how long Graph's last 429 asked to wait (its Retry-After), null when it did not say. */
  readonly retryAfterMs: number | null;

  constructor(
    code: 'CLOUD_REQUEST_FAILED' | 'CLOUD_THROTTLED' | 'CLOUD_UNAVAILABLE' | 'CLOUD_AUTH_FAILED',
    message: string,
    options: {
      cause?: unknown;
      status?: number | null;
      graphCode?: string | null;
      graphMessage?: string | null;
      retryAfterMs?: number | null;
    } = {},
  ) {
    const details: Record<string, string | number> = {};
    if (options.status != null) details.status = options.status;
    if (options.graphCode) details.graphCode = options.graphCode;
    super(code, message, { cause: options.cause, details });
    this.status = options.status ?? null;
    this.graphCode = options.graphCode ?? null;
    this.graphMessage = options.graphMessage ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/**
 * The relay could not run Entra Connect's delta sync: one is already running (`SYNC_BUSY`), the
 * sync command failed or is missing (`SYNC_FAILED`), or it outran its time limit (`SYNC_TIMEOUT`);
 * or, checked before it runs (Get-ADSyncScheduler), the cycle would export nothing: the server is
 * in staging mode, its sync cycle is disabled or its scheduler suspended, or its Entra Connect
 * version is one Entra no longer accepts exports from.
 */
export const SYNC_CODES = [
  'SYNC_BUSY',
  'SYNC_FAILED',
  'SYNC_TIMEOUT',
  'SYNC_STAGING_MODE',
  'SYNC_CYCLE_DISABLED',
  'SYNC_SCHEDULER_SUSPENDED',
  'SYNC_VERSION_UNSUPPORTED',
] as const;
export type SyncErrorCode = (typeof SYNC_CODES)[number];

export class SyncError extends HardmatchError {
  constructor(code: SyncErrorCode, message: string, options: { cause?: unknown; details?: Record<string, string | number> } = {}) {
    super(code, message, options);
  }
}

/**
 * The approval rules refused an action (src/domain/approval/rules.ts). `refusal` is the rule's
 * code (`OWN_REQUEST`, `EXPIRED`, ...); a plain string because errors import nothing from domain.
 */
export class ApprovalRefused extends HardmatchError {
  readonly refusal: string;
  constructor(refusal: { code: string; message: string }, requestId?: string) {
    super('APPROVAL_REFUSED', refusal.message, {
      details: requestId === undefined ? { refusal: refusal.code } : { refusal: refusal.code, requestId },
    });
    this.refusal = refusal.code;
  }
}

/** The request store (sqlite or Table Storage) could not be used, or refused the bot. */
export class StoreError extends HardmatchError {}

export function isHardmatchError(err: unknown): err is HardmatchError {
  return err instanceof HardmatchError;
}
