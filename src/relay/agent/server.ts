/**
 * The relay agent's HTTP handler. One handler serves plain HTTP, HTTPS and the Azure Relay Hybrid
 * Connection alike, so every transport gets the same authentication: the raw body is read, the
 * signature verified, and only then is anything parsed or looked up.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SourceAnchorSetting } from '../../domain/onprem-user.ts';
import { classifyWho } from '../../domain/who.ts';
import { DirectoryError, InputError, RequestUnauthenticated, SyncError, type ErrorCode } from '../../errors/index.ts';
import type { Logger } from '../../logging/logger.ts';
import {
  DEFAULT_LOOKUP_LIMIT,
  healthResponseSchema,
  lookupRequestSchema,
  lookupResponseSchema,
  MAX_SYNC_DETAIL_CHARS,
  RELAY_PATHS,
  syncRequestSchema,
  syncResponseSchema,
  USERS_PAGE_SIZE,
  usersPageRequestSchema,
  usersPageResponseSchema,
  type ErrorResponse,
} from '../protocol/protocol.ts';
import type { RelayHealth } from '../../ports/relay.ts';
import type { SyncTrigger } from '../../ports/sync-trigger.ts';
import { verifyRequest, type NonceStore } from '../protocol/signing.ts';
import type { Directory } from './directory.ts';
import { createScanSessions, type ScanSessions } from './scan-sessions.ts';
import { oneSyncAtATime } from './sync-lock.ts';

/** Largest request body accepted: a lookup is a few hundred bytes; anything bigger is not ours. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface RelayHandlerDeps {
  directory: Directory;
  /** RELAY_KEY, shared with the bot. */
  key: string;
  /** Milliseconds since the epoch; injected so tests control staleness. */
  now: () => number;
  nonces: NonceStore;
  logger: Logger;
  sourceAnchor: SourceAnchorSetting;
  /** Reported by /v1/health so the bot can tell a version mismatch. */
  version: string;
  /** Runs POST /v1/sync, one at a time. Absent: the relay answers that no sync is configured. */
  syncTrigger?: SyncTrigger;
  /** Directory reads held open between page requests. Default: a fresh set per handler. */
  scans?: ScanSessions;
  /** Users per page of a directory read; default USERS_PAGE_SIZE (AD's MaxPageSize). Tests lower it. */
  pageSize?: number;
}

export type RelayHandler = (req: IncomingMessage, res: ServerResponse) => void;

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The handler's deps once defaults are filled in. */
interface HandlerDeps extends RelayHandlerDeps {
  scans: ScanSessions;
}

interface Route {
  method: 'GET' | 'POST';
  run: (deps: HandlerDeps, body: string) => Promise<Reply>;
}

const ROUTES: Record<string, Route> = {
  [RELAY_PATHS.lookup]: { method: 'POST', run: lookup },
  [RELAY_PATHS.health]: { method: 'GET', run: health },
  [RELAY_PATHS.sync]: { method: 'POST', run: sync },
  [RELAY_PATHS.usersPage]: { method: 'POST', run: usersPage },
};

/** What a caller learns about an unexpected failure; the details go to the relay's log only. */
const INTERNAL_MESSAGE = 'The relay agent failed to answer; its log has the details.';

function errorBody(code: ErrorCode, message: string): ErrorResponse {
  return { error: { code, message } };
}

/**
 * Reads the body as text, or undefined once it passes `max` bytes. Reading stops there and the
 * rest is discarded, so an endless body costs nothing but the connection.
 */
export function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | string): void => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += buf.length;
      if (size > max) {
        req.off('data', onData);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(buf);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new InputError('INPUT_INVALID', 'The request body is not valid JSON.');
  }
}

function malformed(what: string, error: { issues: { path: PropertyKey[]; message: string }[] }): InputError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') || 'body';
  return new InputError('INPUT_INVALID', `The ${what} request is malformed: ${field}: ${issue?.message ?? 'invalid'}.`, { field });
}

async function lookup(deps: RelayHandlerDeps, body: string): Promise<Reply> {
  const parsed = lookupRequestSchema.safeParse(parseJson(body));
  if (!parsed.success) throw malformed('lookup', parsed.error);
  const who = classifyWho(parsed.data.who);
  const result = await deps.directory.lookup(who, parsed.data.limit ?? DEFAULT_LOOKUP_LIMIT);
  // Validate our own output: a directory that returns something off-contract is a bug, not data.
  return { status: 200, body: lookupResponseSchema.parse(result) };
}

/** One page of a whole-directory read: the first names the scope, later ones carry the cursor. */
async function usersPage(deps: HandlerDeps, body: string): Promise<Reply> {
  const parsed = usersPageRequestSchema.safeParse(parseJson(body));
  if (!parsed.success) throw malformed('users page', parsed.error);
  const { scope, cursor } = parsed.data;
  const { scans } = deps;
  const page =
    cursor === undefined
      ? await scans.start(scope, deps.directory.users(scope, deps.pageSize ?? USERS_PAGE_SIZE))
      : await scans.next(scope, cursor);
  if (cursor === undefined)
    deps.logger.info({ scope: scope.kind, first: page.users.length, last: page.cursor === null }, 'directory read started');
  return { status: 200, body: usersPageResponseSchema.parse(page) };
}

async function health(deps: RelayHandlerDeps): Promise<Reply> {
  const base = { directory: deps.directory.kind, sourceAnchor: deps.sourceAnchor, version: deps.version };
  let report: RelayHealth;
  try {
    await deps.directory.check();
    report = { status: 'ok', ...base };
  } catch (err) {
    if (!(err instanceof DirectoryError)) throw err;
    report = { status: 'failing', ...base, problem: { code: err.code, message: err.message } };
  }
  return { status: 200, body: healthResponseSchema.parse(report) };
}

/** Runs one delta sync; the request only says "Delta", what runs is the relay's own configuration. */
async function sync(deps: RelayHandlerDeps, body: string): Promise<Reply> {
  const parsed = syncRequestSchema.safeParse(parseJson(body));
  if (!parsed.success) throw malformed('sync', parsed.error);
  if (!deps.syncTrigger) throw new SyncError('SYNC_FAILED', 'This relay agent has no delta sync configured.');
  const started = deps.now();
  deps.logger.info({ policy: parsed.data.policy }, 'delta sync starting');
  const result = await deps.syncTrigger.triggerSync();
  deps.logger.info({ policy: parsed.data.policy, ms: deps.now() - started, detail: result.detail }, 'delta sync completed');
  const detail = result.detail.length <= MAX_SYNC_DETAIL_CHARS ? result.detail : `${result.detail.slice(0, MAX_SYNC_DETAIL_CHARS - 1)}…`;
  const answer = {
    status: 'completed',
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    detail,
    ...(result.report === undefined ? {} : { report: result.report }),
  };
  // An injected trigger (the sandbox's) is checked like our own output: off-contract is a bug.
  return { status: 200, body: syncResponseSchema.parse(answer) };
}

/**
 * Busy is a conflict the caller may retry later; a server that would export nothing (staging mode,
 * cycle disabled, scheduler suspended, retired version) is a precondition a person must fix; a
 * failing or stuck command is the upstream's fault.
 */
const SYNC_STATUS: Partial<Record<ErrorCode, number>> = {
  SYNC_BUSY: 409,
  SYNC_FAILED: 502,
  SYNC_TIMEOUT: 504,
  SYNC_STAGING_MODE: 412,
  SYNC_CYCLE_DISABLED: 412,
  SYNC_SCHEDULER_SUSPENDED: 412,
  SYNC_VERSION_UNSUPPORTED: 412,
};

function errorReply(err: unknown, deps: RelayHandlerDeps, path: string): Reply {
  if (err instanceof InputError) return { status: 400, body: errorBody(err.code, err.message) };
  if (err instanceof DirectoryError) {
    deps.logger.warn({ code: err.code, path, message: err.message }, 'directory request failed');
    return { status: err.code === 'DIRECTORY_TIMEOUT' ? 504 : 502, body: errorBody(err.code, err.message) };
  }
  if (err instanceof SyncError) {
    deps.logger.warn({ code: err.code, path, message: err.message }, 'delta sync failed');
    return { status: SYNC_STATUS[err.code] ?? 502, body: errorBody(err.code, err.message) };
  }
  deps.logger.error({ err, path }, 'relay request failed');
  return { status: 500, body: errorBody('INTERNAL', INTERNAL_MESSAGE) };
}

function send(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.statusCode = reply.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.end(text);
}

/** Returns a 401 reply when the request is not signed with the key; logs why (the refusal's words), never what was sent. */
function authenticate(deps: RelayHandlerDeps, req: IncomingMessage, path: string, body: string): Reply | undefined {
  const method = req.method ?? 'GET';
  try {
    // headersDistinct keeps a repeated header's copies apart (Node's own server); hyco-https's
    // request has only `headers`, where a repeat arrives joined and fails the strict format check.
    const headers = (req.headersDistinct as IncomingMessage['headersDistinct'] | undefined) ?? req.headers;
    verifyRequest({ key: deps.key, request: { method, path, body }, headers, now: deps.now(), nonces: deps.nonces });
    return undefined;
  } catch (err) {
    if (!(err instanceof RequestUnauthenticated)) throw err;
    deps.logger.warn(
      { reason: err.reason, problem: err.message, method, path, remoteAddress: req.socket?.remoteAddress ?? 'unknown' },
      'relay request refused: not authenticated',
    );
    return { status: 401, body: errorBody('REQUEST_UNAUTHENTICATED', err.message) };
  }
}

async function dispatch(deps: HandlerDeps, req: IncomingMessage, path: string, body: string): Promise<Reply> {
  const refused = authenticate(deps, req, path, body);
  if (refused) return refused;
  const pathname = path.split('?', 1)[0] ?? path;
  const route = Object.hasOwn(ROUTES, pathname) ? ROUTES[pathname] : undefined;
  if (!route) return { status: 404, body: errorBody('INPUT_INVALID', `The relay has no endpoint ${pathname}.`) };
  if (req.method !== route.method) {
    return {
      status: 405,
      body: errorBody('INPUT_INVALID', `${pathname} accepts ${route.method} only.`),
      headers: { allow: route.method },
    };
  }
  try {
    return await route.run(deps, body);
  } catch (err) {
    return errorReply(err, deps, pathname);
  }
}

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  const path = req.url ?? '/';
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) {
    send(res, {
      status: 413,
      body: errorBody('INPUT_TOO_LONG', `The request body is larger than ${MAX_BODY_BYTES} bytes.`),
      headers: { connection: 'close' },
    });
    return;
  }
  const reply = await dispatch(deps, req, path, body);
  deps.logger.debug({ method: req.method, path, status: reply.status }, 'relay request answered');
  send(res, reply);
}

/** The request listener for http.createServer, https.createServer and hyco-https alike. */
export function createRelayHandler(handlerDeps: RelayHandlerDeps): RelayHandler {
  const { syncTrigger } = handlerDeps;
  const deps: HandlerDeps = {
    ...handlerDeps,
    scans: handlerDeps.scans ?? createScanSessions(),
    ...(syncTrigger ? { syncTrigger: oneSyncAtATime(syncTrigger) } : {}),
  };
  return (req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      deps.logger.error({ err, path: req.url }, 'relay request failed before an answer');
      if (res.headersSent) res.destroy();
      else send(res, { status: 500, body: errorBody('INTERNAL', INTERNAL_MESSAGE) });
    });
  };
}
