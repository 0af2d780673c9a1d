/**
 * The Entra emulator's HTTP(S) server (node:http, no framework): turns each request into an
 * EmulatorRequest, runs it through the pipeline, waits the configured latency once per HTTP
 * request (a $batch is one round trip), and writes Graph's answer.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { preciseDelay } from './precise-delay.ts';
import { ConfigError } from '../../errors/index.ts';
import type { Logger } from '../../logging/logger.ts';
import { GraphServiceError } from './graph-errors.ts';
import { createPipeline, type Pipeline } from './http/pipeline.ts';
import { bodyText, errorResponse, internalError } from './http/responses.ts';
import type { EmulatorRequest, EmulatorResponse } from './http/types.ts';
import { grantedPermissions } from './permissions.ts';
import { GRAPH_ROUTES } from './routes/index.ts';
import type { SeedInput } from './seed.ts';
import { EmulatorState } from './state.ts';
import { createWriteQuota, GRAPH_WRITE_QUOTA, type WriteQuotaLimit } from './write-quota.ts';
import { createSelfSignedCertificate, type SelfSignedCertificate } from './tls-certificate.ts';

export interface EmulatorOptions {
  /** The tenant to emulate (validated; a bad seed throws ConfigError naming the field). */
  seed: SeedInput;
  /** TCP port; default 0 = any free port (the CLI defaults to 5099). */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Added before every HTTP response, in milliseconds; default 0. */
  latencyMs?: number;
  /** Fraction (0..1) of Graph operations answered 429 with Retry-After; default 0. */
  throttleRate?: number;
  /**
   * Graph's write quota per app and tenant, enforced with 429 + Retry-After; default Graph's
   * documented 3,000 writes per 150 s (GRAPH_WRITE_QUOTA); null turns it off.
   */
  writeQuota?: WriteQuotaLimit | null;
  /**
   * Serve HTTPS with a fresh self-signed certificate (see `caCertificate`), or with the one given
   * (several emulator processes serving one tenant behind one port share it); default false.
   */
  https?: boolean | SelfSignedCertificate;
  /** Stricter token check than "non-empty"; default accepts any token. */
  acceptToken?: (token: string) => boolean;
  /**
   * The Graph application permissions the calling app was granted (e.g. `['User.Read.All']`);
   * an operation none of them allows answers 403 `Authorization_RequestDenied`, as Graph does.
   * Default: every permission the emulator knows. An unknown name throws ConfigError.
   */
  permissions?: readonly string[];
  /** Clock for deletedDateTime, sync times, error dates; default system clock. */
  now?: () => Date;
  /** Randomness in [0, 1) for throttling and Entra's UPN substitutes; default Math.random. */
  random?: () => number;
  /** Object and request ids; default crypto.randomUUID. */
  newId?: () => string;
  logger?: Logger;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` (or https): the Graph base URL, without `/v1.0`. */
  url: string;
  /** The tenant, for inspection and for the sync simulator. */
  state: EmulatorState;
  /** HTTP requests received so far; a $batch counts once. */
  requestCount(): number;
  /** Writes answered 429 by the write quota so far, per app and tenant. */
  quotaRefusals(): Map<string, number>;
  /** With `https: true`, the certificate (PEM) clients must trust; otherwise undefined. */
  caCertificate: string | undefined;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const settings = checkOptions(options);
  const permissions = grantedPermissions(options.permissions);
  const newId = options.newId ?? randomUUID;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const state = EmulatorState.fromSeed(options.seed, { now, random, newId });
  const writeQuota = options.writeQuota === null ? undefined : createWriteQuota(options.writeQuota ?? GRAPH_WRITE_QUOTA);
  // Certificates are checked against the real clock by TLS peers, never the injected one.
  const tls = typeof options.https === 'object' ? options.https : options.https ? createSelfSignedCertificate(new Date()) : undefined;
  // Links in answers need the bound port, known only after listen: the pipeline reads it late.
  let url = '';
  const pipeline = createPipeline({
    routes: GRAPH_ROUTES,
    state,
    origin: () => url,
    now,
    random,
    throttleRate: settings.throttleRate,
    retryAfterSeconds: 1,
    ...(writeQuota ? { writeQuota } : {}),
    newRequestId: newId,
    acceptToken: options.acceptToken ?? (() => true),
    permissions,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  let count = 0;
  const deps: ServeDeps = { pipeline, newId, now, latencyMs: settings.latencyMs, logger: options.logger };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    count++;
    void serve(req, res, deps);
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  const port = await listen(server, settings.port, settings.host);
  const shownHost = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
  url = `${tls ? 'https' : 'http'}://${shownHost}:${port}`;
  options.logger?.info({ url, latencyMs: settings.latencyMs, throttleRate: settings.throttleRate }, 'Entra emulator listening');
  return {
    url,
    state,
    requestCount: () => count,
    quotaRefusals: () => writeQuota?.refusals() ?? new Map(),
    caCertificate: tls?.cert,
    close: () => close(server),
  };
}

function checkOptions(options: EmulatorOptions): { port: number; host: string; latencyMs: number; throttleRate: number } {
  const problems: string[] = [];
  const port = options.port ?? 0;
  const latencyMs = options.latencyMs ?? 0;
  const throttleRate = options.throttleRate ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`port: must be an integer 0..65535, got ${port}`);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) problems.push(`latencyMs: must be a number >= 0, got ${latencyMs}`);
  if (!Number.isFinite(throttleRate) || throttleRate < 0 || throttleRate > 1) {
    problems.push(`throttleRate: must be a fraction between 0 and 1, got ${throttleRate}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { port, host: options.host ?? '127.0.0.1', latencyMs, throttleRate };
}

interface ServeDeps {
  pipeline: Pipeline;
  newId: () => string;
  now: () => Date;
  latencyMs: number;
  logger: Logger | undefined;
}

/** Never rejects: every failure becomes a Graph error answer, or a dropped socket if the client left. */
async function serve(req: IncomingMessage, res: ServerResponse, deps: ServeDeps): Promise<void> {
  const started = Date.now();
  const arrived = performance.now();
  let response: EmulatorResponse;
  try {
    response = await deps.pipeline.handle(await toEmulatorRequest(req, deps.newId));
  } catch (err) {
    if (req.destroyed || res.destroyed) return;
    const graphError = err instanceof GraphServiceError ? err : internalError(err instanceof Error ? err.message : String(err));
    if (!(err instanceof GraphServiceError)) deps.logger?.error({ err }, 'Entra emulator: failed to read a request');
    response = errorResponse(graphError, { requestId: deps.newId(), clientRequestId: '' }, deps.now());
  }
  // Graph's latency is its time to answer: the emulator's own work, serializing included, is inside it, not added to it.
  const text = bodyText(response);
  if (deps.latencyMs > 0) await preciseDelay(deps.latencyMs, arrived);
  if (res.destroyed) return;
  write(res, response, text);
  deps.logger?.debug({ method: req.method, url: req.url, status: response.status, ms: Date.now() - started }, 'graph request');
}

async function toEmulatorRequest(req: IncomingMessage, newId: () => string): Promise<EmulatorRequest> {
  // Prefixing (not resolving against) a base keeps `//x` a path, never a host.
  const url = new URL(`http://emulator.invalid${req.url ?? '/'}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const requestId = newId();
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    // The pipeline reads the real version root from the path.
    version: 'v1.0',
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: await readBody(req),
    requestId,
    clientRequestId: headers['client-request-id'] ?? requestId,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new GraphServiceError(413, 'RequestEntityTooLarge', 'The request body is larger than 4 MB.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function write(res: ServerResponse, response: EmulatorResponse, body: string): void {
  res.writeHead(response.status, { ...response.headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
