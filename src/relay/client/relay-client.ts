/**
 * The bot's side of the relay: signs each request, sends it with a time limit, and trusts nothing
 * it has not parsed. Every failure becomes one of our own errors with a stable code, so the card
 * can say whether the relay is down, slow, refusing us, or the directory behind it is failing.
 */
import type { z } from 'zod';
import type { RelayClientConfig } from '../../config/load-config.ts';
import type { OnPremUser } from '../../domain/onprem-user.ts';
import { DirectoryError, INPUT_ERROR_CODES, InputError, RelayUnavailable, SYNC_CODES, SyncError } from '../../errors/index.ts';
import type { Logger } from '../../logging/logger.ts';
import type { RelayClient } from '../../ports/relay.ts';
import type { OnPremSnapshotSource, ScanScope } from '../../ports/snapshot.ts';
import {
  errorResponseSchema,
  healthResponseSchema,
  lookupResponseSchema,
  RELAY_PATHS,
  syncResponseSchema,
  usersPageResponseSchema,
  type UsersPageRequest,
  type UsersPageResponse,
  type SyncRequest,
} from '../protocol/protocol.ts';
import { signRequest } from '../protocol/signing.ts';
import { isUsersPage } from '../protocol/users-page-check.ts';
import { createHttpSend, type RelaySend } from './http-send.ts';

/**
 * Time limit of triggerSync. Longer than the relay's own limit on the sync command (two minutes),
 * so a stuck command comes back as the relay's SYNC_TIMEOUT, not as a silent relay.
 */
export const DEFAULT_SYNC_TIMEOUT_MS = 150_000;

export type CreateRelayToken = (uri: string, keyName: string, key: string) => string;

export interface RelayClientDeps {
  /**
   * Sends one HTTP request. Default: node:http(s) over the client's own keep-alive agents
   * (`createHttpSend`); the global fetch fits too (tests wrap it).
   */
  fetch?: RelaySend;
  /** Clock for signing, ms since the epoch. Default Date.now. */
  now?: () => number;
  logger?: Logger;
  /** Azure Relay SAS token maker; default hyco-https's createRelayToken, loaded only when needed. */
  createRelayToken?: CreateRelayToken;
  /** Time limit of triggerSync in ms. Default DEFAULT_SYNC_TIMEOUT_MS (lookups use config.timeoutMs). */
  syncTimeoutMs?: number;
  /** Time limit of one page of a directory read in ms. Default DEFAULT_PAGE_TIMEOUT_MS. */
  pageTimeoutMs?: number;
}

/**
 * Time limit of one page of a directory read (`streamUsers`): a domain controller answers a page
 * of 1,000 users in well under a second, but a busy one, or a slow link, may take several.
 */
export const DEFAULT_PAGE_TIMEOUT_MS = 60_000;

const DIRECTORY_CODES = [
  'DIRECTORY_DNS',
  'DIRECTORY_UNREACHABLE',
  'DIRECTORY_TLS',
  'DIRECTORY_CREDENTIALS',
  'DIRECTORY_BASE_DN',
  'DIRECTORY_TIMEOUT',
  'DIRECTORY_FAILED',
] as const;

function oneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

interface Answer {
  status: number;
  text: string;
}

interface Context {
  config: RelayClientConfig;
  fetch: RelaySend;
  now: () => number;
  logger: Logger | undefined;
  token: (() => Promise<string>) | undefined;
}

/** Where the relay is, for messages: the origin only, never a query string. */
function where(config: RelayClientConfig): string {
  return new URL(config.url).origin;
}

function transportError(err: unknown, config: RelayClientConfig, timeoutMs: number): RelayUnavailable {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    const seconds = Math.round(timeoutMs / 100) / 10;
    return new RelayUnavailable('RELAY_TIMEOUT', `The relay at ${where(config)} did not answer within ${seconds} s.`, { cause: err });
  }
  // node:http puts the system code on the error, fetch on its cause.
  const own = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof own === 'string' ? own : typeof cause?.code === 'string' ? cause.code : 'network error';
  return new RelayUnavailable('RELAY_UNAVAILABLE', `The relay at ${where(config)} could not be reached (${code}).`, {
    cause: err,
    details: { code },
  });
}

async function send(
  ctx: Context,
  method: 'GET' | 'POST',
  path: string,
  body: string,
  timeoutMs = ctx.config.timeoutMs,
  signal?: AbortSignal,
): Promise<Answer> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...signRequest(ctx.config.key, { method, path, body }, ctx.now()),
  };
  if (method === 'POST') headers['content-type'] = 'application/json';
  if (ctx.token) headers.ServiceBusAuthorization = await ctx.token();
  // Relative to RELAY_URL, so an Azure Relay URL keeps its hybrid connection name in front.
  const base = ctx.config.url.endsWith('/') ? ctx.config.url : `${ctx.config.url}/`;
  const url = new URL(path.slice(1), base);
  const started = ctx.now();
  try {
    const res = await ctx.fetch(url, {
      method,
      headers,
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      ...(method === 'POST' ? { body } : {}),
    });
    const text = await res.text();
    ctx.logger?.debug({ method, path, status: res.status, ms: ctx.now() - started }, 'relay answered');
    return { status: res.status, text };
  } catch (err) {
    const error = transportError(err, ctx.config, timeoutMs);
    ctx.logger?.warn({ method, path, code: error.code, problem: error.message }, 'relay request failed');
    throw error;
  }
}

function badResponse(message: string): RelayUnavailable {
  return new RelayUnavailable('RELAY_BAD_RESPONSE', message);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A non-2xx answer as one of our errors; the relay's own code is kept when it is one we know. */
function failure(answer: Answer): Error {
  const parsed = errorResponseSchema.safeParse(parseJson(answer.text));
  const relayError = parsed.success ? parsed.data.error : undefined;
  if (answer.status === 401) {
    return new RelayUnavailable(
      'RELAY_REJECTED',
      `The relay refused the request (HTTP 401${relayError ? `: ${relayError.message}` : ''}).`,
    );
  }
  if (relayError) {
    const { code, message } = relayError;
    if (answer.status === 400 && oneOf(INPUT_ERROR_CODES, code)) return new InputError(code, message);
    if (oneOf(DIRECTORY_CODES, code)) return new DirectoryError(code, message);
    if (oneOf(SYNC_CODES, code)) return new SyncError(code, message);
    if (answer.status >= 500)
      return new RelayUnavailable('RELAY_UNAVAILABLE', `The relay failed (HTTP ${answer.status}, ${code}): ${message}`);
    return badResponse(`The relay answered HTTP ${answer.status} ${code}: ${message}`);
  }
  // Not the relay's own words: a proxy, or Azure Relay with no listener connected.
  if (answer.status >= 500 || answer.status === 404) {
    return new RelayUnavailable('RELAY_UNAVAILABLE', `No relay agent answered (HTTP ${answer.status} from the relay address).`);
  }
  return badResponse(`The relay answered HTTP ${answer.status} with a body that is not a relay error.`);
}

function accept<S extends z.ZodType>(schema: S, answer: Answer): z.infer<S> {
  if (answer.status < 200 || answer.status > 299) throw failure(answer);
  const json = parseJson(answer.text);
  if (json === undefined) throw badResponse(`The relay answered HTTP ${answer.status} with a body that is not JSON.`);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badResponse(
      `The relay's answer does not match this bot's version (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}).`,
    );
  }
  return parsed.data;
}

/** A users page: checked by hand (no copy) when it is well formed, else by the schema, which words the problem. */
function acceptPage(answer: Answer): UsersPageResponse {
  if (answer.status >= 200 && answer.status <= 299) {
    const json = parseJson(answer.text);
    if (isUsersPage(json)) return json;
  }
  return accept(usersPageResponseSchema, answer);
}

function tokenMaker(config: RelayClientConfig, make: CreateRelayToken | undefined): (() => Promise<string>) | undefined {
  const azure = config.azureRelay;
  if (!azure) return undefined;
  let maker: Promise<CreateRelayToken> | undefined = make ? Promise.resolve(make) : undefined;
  return async () => {
    // hyco-https is loaded only for Azure Relay: loading it rewrites Node's https.Server.
    maker ??= import('hyco-https').then((m) => m.default.createRelayToken.bind(m.default));
    return (await maker)(config.url, azure.keyName, azure.key);
  };
}

/**
 * The AD users of `scope`, one page per signed request, each page parsed before it is yielded.
 * A page is never re-asked (the relay's read has moved on): any failure ends the stream, and a
 * caller that stops early simply stops asking (the relay closes the read when idle).
 */
async function* streamUsers(
  ctx: Context,
  scope: ScanScope,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<OnPremUser[]> {
  let cursor: string | null | undefined;
  do {
    signal?.throwIfAborted();
    const request: UsersPageRequest = cursor ? { scope, cursor } : { scope };
    const answer = await send(ctx, 'POST', RELAY_PATHS.usersPage, JSON.stringify(request), timeoutMs, signal).catch((err: unknown) => {
      // The caller's own abort is theirs to word, not a silent relay.
      if (signal?.aborted) throw signal.reason;
      throw err;
    });
    const page = acceptPage(answer);
    if (page.users.length > 0) yield page.users;
    cursor = page.cursor;
  } while (cursor !== null);
}

/** The relay client: the RelayClient port, and the AD side of a scan (OnPremSnapshotSource). */
export function createRelayClient(config: RelayClientConfig, deps: RelayClientDeps = {}): RelayClient & OnPremSnapshotSource {
  const syncTimeoutMs = deps.syncTimeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS;
  const pageTimeoutMs = deps.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
  const ctx: Context = {
    config,
    fetch: deps.fetch ?? createHttpSend(),
    now: deps.now ?? Date.now,
    logger: deps.logger,
    token: tokenMaker(config, deps.createRelayToken),
  };
  return {
    async lookup(who, limit) {
      const body = JSON.stringify(limit === undefined ? { who } : { who, limit });
      const data = accept(lookupResponseSchema, await send(ctx, 'POST', RELAY_PATHS.lookup, body));
      return { users: data.users, truncated: data.truncated };
    },
    streamUsers: (scope, options) => streamUsers(ctx, scope, pageTimeoutMs, options?.signal),
    async health() {
      return accept(healthResponseSchema, await send(ctx, 'GET', RELAY_PATHS.health, ''));
    },
    async triggerSync() {
      const request: SyncRequest = { policy: 'Delta' };
      const data = accept(syncResponseSchema, await send(ctx, 'POST', RELAY_PATHS.sync, JSON.stringify(request), syncTimeoutMs));
      const { startedAt, finishedAt, detail, report } = data;
      return report === undefined ? { startedAt, finishedAt, detail } : { startedAt, finishedAt, detail, report };
    },
  };
}
