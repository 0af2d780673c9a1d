/**
 * What an admin sees when the store itself fails: an unreachable storage account, a refused
 * identity or key, a sqlite file that cannot be opened or written. These become `STORE_REFUSED` and
 * `STORE_UNAVAILABLE` errors that name the store (never its key) and the store's own words, instead of
 * "Something went wrong inside Hardmatch". Anything else a store throws (a malformed entity, a
 * constraint) is a bug and is passed on unchanged.
 */
import { isHardmatchError, StoreError } from '../errors/index.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { STORE_TRY_TIMEOUT_MS, statusOf } from './azure-tables/tables.ts';
import { parseStoreUrl } from './store-url.ts';

export interface StoreProblem {
  /**
   * `refused`: 401/403 from Table Storage, or no token for the bot's identity. `unavailable`: the
   * account did not answer, answered 5xx, or the sqlite file cannot be opened or written.
   */
  kind: 'refused' | 'unavailable';
  status: number | undefined;
  /** The store's own code: `AuthorizationFailure`, `ECONNREFUSED`, `SQLITE_READONLY`, `TIMEOUT`... */
  reason: string | undefined;
}

/** STORE_URL without its secrets: the sqlite path, or the table endpoint and how the bot signs in. */
export function describeStore(storeUrl: string): string {
  const parsed = parseStoreUrl(storeUrl);
  if (!parsed.ok) return 'STORE_URL is malformed';
  const { location } = parsed;
  if (location.kind === 'sqlite') return `sqlite file ${location.path}`;
  const how = location.target.kind === 'endpoint' ? "the bot's Entra identity" : 'the connection string (key not shown)';
  return `Azure Table Storage at ${location.target.endpoint}, signed in with ${how}`;
}

/** Takes out anything that looks like a SAS signature or an account key. */
function withoutSecrets(text: string): string {
  return text.replace(/(\b(sig|AccountKey|SharedAccessSignature)=)[^&;\s"')]+/gi, '$1(not shown)');
}

/**
 * What Table Storage said: its `Message` (the SDK keeps it in `details`; Azurite answers XML, Azure
 * JSON), or the error's first line otherwise; without secrets, at most 300 characters. A request
 * abandoned at our time limit says so.
 */
export function storeWordsOf(err: unknown): string {
  if (err instanceof Error && err.name === 'AbortError') return `it did not answer within ${STORE_TRY_TIMEOUT_MS / 1000} s.`;
  const details = (err as { details?: Record<string, unknown> } | null)?.details;
  const text = err instanceof Error ? err.message : String(err);
  const said =
    (typeof details?.Message === 'string' ? details.Message : undefined) ??
    /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ??
    /"value"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)?.[1]?.replace(/\\n/g, '\n') ??
    text;
  return withoutSecrets(said.split('\n')[0] ?? '').slice(0, 300);
}

/** The store's own error code: `code`, or Table Storage's `errorCode` the SDK keeps in `details`. */
function reasonOf(err: unknown): string | undefined {
  const details = (err as { details?: Record<string, unknown> } | null)?.details;
  return stringField(err, 'code') ?? (typeof details?.errorCode === 'string' ? details.errorCode : undefined);
}

function stringField(err: unknown, field: string): string | undefined {
  const value = (err as Record<string, unknown> | null)?.[field];
  return typeof value === 'string' ? value : undefined;
}

/** SQLite's primary result codes that mean the file, not the statement, is the trouble. */
const SQLITE_FILE_CODES: Readonly<Record<number, string>> = {
  5: 'SQLITE_BUSY',
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  26: 'SQLITE_NOTADB',
};

/** File-system codes from creating the sqlite file's folder. */
const FILE_SYSTEM_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC', 'EISDIR', 'ENOENT', 'EEXIST']);

/** Errors of the credential chain: the bot's identity got no token for the storage account. */
const CREDENTIAL_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']);

function sqliteProblem(err: unknown): StoreProblem | undefined {
  if (stringField(err, 'code') !== 'ERR_SQLITE_ERROR') return undefined;
  const errcode = (err as { errcode?: unknown }).errcode;
  const name = typeof errcode === 'number' ? SQLITE_FILE_CODES[errcode & 0xff] : undefined;
  return name ? { kind: 'unavailable', status: undefined, reason: name } : undefined;
}

/** What kind of store failure this is, if it is one; looks through our own wrapping. */
export function storeProblemOf(err: unknown): StoreProblem | undefined {
  const raw = err instanceof StoreError ? err.cause : err;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const status = statusOf(raw);
  const code = reasonOf(raw);
  const name = stringField(raw, 'name');
  if (status === 401 || status === 403) return { kind: 'refused', status, reason: code };
  // Our per-request time limit (no abort signal is ever passed to the store otherwise).
  if (name === 'AbortError') return { kind: 'unavailable', status: undefined, reason: 'TIMEOUT' };
  if (name !== undefined && CREDENTIAL_ERRORS.has(name)) return { kind: 'refused', status: undefined, reason: name };
  if (status !== undefined && (status >= 500 || status === 408)) return { kind: 'unavailable', status, reason: code };
  // A RestError without a status never got an answer: DNS, refused, reset, timed out.
  if (name === 'RestError' && status === undefined) return { kind: 'unavailable', status: undefined, reason: code };
  if (code !== undefined && FILE_SYSTEM_CODES.has(code)) return { kind: 'unavailable', status: undefined, reason: code };
  return sqliteProblem(raw);
}

function labelOf(problem: StoreProblem): string {
  const parts = [problem.status === undefined ? undefined : `HTTP ${problem.status}`, problem.reason].filter((p) => p !== undefined);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

/** Our error for a store failure, or the error unchanged when it is not one (or is already ours). */
export function toStoreError(err: unknown, storeUrl: string): unknown {
  if (isHardmatchError(err)) return err;
  const problem = storeProblemOf(err);
  if (!problem) return err;
  const where = describeStore(storeUrl);
  const words = storeWordsOf(err);
  if (problem.kind === 'refused') {
    return new StoreError('STORE_REFUSED', `The request store refused the bot: ${where}${labelOf(problem)}: ${words}`, { cause: err });
  }
  return new StoreError('STORE_UNAVAILABLE', `The request store could not be used: ${where}${labelOf(problem)}: ${words}`, { cause: err });
}

/**
 * The store with every failure of the storage itself turned into a coded error. Requests, audit
 * entries and settings are unchanged: only the rejection is translated.
 */
export function withStoreErrors(store: RequestStore, storeUrl: string): RequestStore {
  const guard = <T>(work: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve) => resolve(work())).catch((err: unknown) => {
      throw toStoreError(err, storeUrl);
    });
  return {
    create: (request) => guard(() => store.create(request)),
    get: (id) => guard(() => store.get(id)),
    update: (next, expectedVersion) => guard(() => store.update(next, expectedVersion)),
    listByState: (tenantId, states) => guard(() => store.listByState(tenantId, states)),
    appendAudit: (entry) => guard(() => store.appendAudit(entry)),
    auditOf: (requestId) => guard(() => store.auditOf(requestId)),
    getSetting: <T>(key: string) => guard(() => store.getSetting<T>(key)),
    putSetting: <T>(key: string, value: T, expectedVersion?: string) => guard(() => store.putSetting<T>(key, value, expectedVersion)),
    deleteSetting: (key, expectedVersion) => guard(() => store.deleteSetting(key, expectedVersion)),
    markSeen: (key, ttlMs, now) => guard(() => store.markSeen(key, ttlMs, now)),
    close: () => guard(() => store.close()),
  };
}
