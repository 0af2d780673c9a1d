/**
 * What happens to a request between the socket and a route: authentication (every HTTP request),
 * the version root, throttling and the application-permission check (every Graph operation: a
 * single request or each $batch sub-request, never the batch envelope, as Graph evaluates batched
 * requests individually), and turning any error into Graph's error body.
 */
import type { Logger } from '../../../logging/logger.ts';
import { graphErrors, isGraphServiceError, type GraphServiceError } from '../graph-errors.ts';
import { checkPermission } from '../permissions.ts';
import type { EmulatorState } from '../state.ts';
import { errorResponse, internalError } from './responses.ts';
import { createRouter, type Route } from './router.ts';
import { callerApp, type WriteQuota } from '../write-quota.ts';

/** The header a caller marks its throttling priority with (Graph reads `low`). */
const THROTTLE_PRIORITY = 'x-ms-throttle-priority';
import type { ApiVersion, EmulatorRequest, EmulatorResponse, RouteContext } from './types.ts';

export interface PipelineOptions {
  routes: readonly Route[];
  state: EmulatorState;
  /** The server's own origin; read per request because the port is bound after the pipeline exists. */
  origin: () => string;
  now: () => Date;
  random: () => number;
  /** Fraction of operations answered 429. */
  throttleRate: number;
  /** Seconds a throttled client is told to wait. */
  retryAfterSeconds: number;
  /** Graph's write quota per app and tenant (write-quota.ts); none: writes are never throttled for it. */
  writeQuota?: WriteQuota;
  newRequestId: () => string;
  acceptToken: (token: string) => boolean;
  /** Application permissions the calling app holds; an operation needing another answers 403. */
  permissions: ReadonlySet<string>;
  logger?: Logger;
}

export interface Pipeline {
  /** One HTTP request as received, `path` including the `/v1.0` or `/beta` root. */
  handle: (request: EmulatorRequest) => Promise<EmulatorResponse>;
}

const VERSION_ROOT = /^\/(v1\.0|beta)(?=\/|$)/i;

export function createPipeline(options: PipelineOptions): Pipeline {
  const router = createRouter(options.routes);
  const respond = async (request: EmulatorRequest, run: () => Promise<EmulatorResponse>): Promise<EmulatorResponse> => {
    let response: EmulatorResponse;
    try {
      response = await run();
    } catch (err) {
      response = errorResponse(asGraphError(err, options.logger), request, options.now());
    }
    response.headers['request-id'] = request.requestId;
    response.headers['client-request-id'] = request.clientRequestId;
    return response;
  };
  const execute = (request: EmulatorRequest): Promise<EmulatorResponse> =>
    respond(request, async () => {
      if (options.random() < options.throttleRate) throw graphErrors.throttled(options.retryAfterSeconds);
      if (request.method !== 'GET' && options.writeQuota) {
        const admitted = options.writeQuota.admit(`${request.caller ?? ''}@${options.state.tenant.id}`);
        if (!admitted.admitted) throw graphErrors.throttled(admitted.retryAfterSeconds);
      }
      checkPermission(options.permissions, request.method, request.path);
      const response = await router(request, contexts[request.version]);
      // Every successful write through Graph is journaled, so tests count what a bot changed.
      if (request.method !== 'GET' && response.status < 300)
        options.state.noteGraphWrite({
          method: request.method,
          version: request.version,
          path: request.path,
          body: request.body,
          status: response.status,
          ...(request.headers[THROTTLE_PRIORITY] ? { priority: request.headers[THROTTLE_PRIORITY] } : {}),
        });
      return response;
    });
  const contextFor = (version: ApiVersion): RouteContext => ({
    state: options.state,
    version,
    get root() {
      return `${options.origin()}/${version}`;
    },
    permissions: options.permissions,
    now: options.now,
    newRequestId: options.newRequestId,
    execute,
  });
  const contexts: Record<ApiVersion, RouteContext> = { 'v1.0': contextFor('v1.0'), beta: contextFor('beta') };
  const handle = (request: EmulatorRequest): Promise<EmulatorResponse> =>
    respond(request, async () => {
      authenticate(request.headers['authorization'], options.acceptToken);
      const root = VERSION_ROOT.exec(request.path);
      if (!root) throw graphErrors.segmentNotFound(firstSegment(request.path));
      const version: ApiVersion = root[1]?.toLowerCase() === 'beta' ? 'beta' : 'v1.0';
      const inner = {
        ...request,
        version,
        path: request.path.slice(root[0].length) || '/',
        caller: callerApp(request.headers['authorization']),
      };
      if (/^\/\$batch\/?$/i.test(inner.path)) return router(inner, contexts[version]);
      return execute(inner);
    });
  return { handle };
}

/** Graph wants `Authorization: Bearer <token>`; a missing or empty token is "Access token is empty." */
function authenticate(header: string | undefined, acceptToken: (token: string) => boolean): void {
  const token = /^Bearer\s+(.*)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  if (token === '') throw graphErrors.tokenEmpty();
  if (!acceptToken(token)) throw graphErrors.tokenRejected();
}

function firstSegment(path: string): string {
  return path.split('/').find((s) => s !== '') ?? '';
}

function asGraphError(err: unknown, logger: Logger | undefined): GraphServiceError {
  if (isGraphServiceError(err)) return err;
  logger?.error({ err }, 'Entra emulator: unexpected failure while answering a request');
  return internalError(err instanceof Error ? err.message : String(err));
}
