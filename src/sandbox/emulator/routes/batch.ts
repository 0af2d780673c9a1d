/**
 * POST /$batch (JSON batching): at most 20 requests, run concurrently through the same router as
 * single requests, each with its own status; `dependsOn` orders them, and a request whose
 * dependency failed answers 424. The batch itself fails (400) only when its payload is malformed.
 */
import { z } from 'zod';
import { GraphServiceError, graphErrors } from '../graph-errors.ts';
import { readJsonObject } from '../http/json-body.ts';
import { errorResponse, ok } from '../http/responses.ts';
import type { Route } from '../http/router.ts';
import type { ApiVersion, EmulatorRequest, EmulatorResponse, RouteContext, RouteHandler } from '../http/types.ts';

export const MAX_BATCH_REQUESTS = 20;
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT']);

const batchSchema = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.string().min(1),
      url: z.string().min(1),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});
type BatchItem = z.infer<typeof batchSchema>['requests'][number];

interface BatchResponseItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const runBatch: RouteHandler = async (request, _params, context) => {
  const items = validateBatch(readJsonObject(request));
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  const running = new Map<string, Promise<EmulatorResponse>>();
  const run = (item: BatchItem): Promise<EmulatorResponse> => {
    const key = item.id.toLowerCase();
    let promise = running.get(key);
    if (!promise) {
      promise = runItem(item, request, context, byId, run);
      running.set(key, promise);
    }
    return promise;
  };
  const responses = await Promise.all(items.map(async (item) => toBatchResponse(item.id, await run(item))));
  return ok({ responses });
};

async function runItem(
  item: BatchItem,
  envelope: EmulatorRequest,
  context: RouteContext,
  byId: ReadonlyMap<string, BatchItem>,
  run: (item: BatchItem) => Promise<EmulatorResponse>,
): Promise<EmulatorResponse> {
  const sub = subRequest(item, envelope, context.newRequestId());
  for (const dependency of item.dependsOn ?? []) {
    const dependencyItem = byId.get(dependency.toLowerCase());
    const result = dependencyItem ? await run(dependencyItem) : undefined;
    if (!result || result.status >= 400) return errorResponse(graphErrors.failedDependency(dependency), sub, context.now());
  }
  if (/^\/?\$batch(\?|$)/i.test(sub.path)) {
    return errorResponse(new GraphServiceError(400, 'BadRequest', 'A batch cannot contain another $batch request.'), sub, context.now());
  }
  return context.execute(sub);
}

function validateBatch(body: Record<string, unknown>): BatchItem[] {
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success) throw graphErrors.batchInvalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const items = parsed.data.requests;
  if (items.length === 0) throw graphErrors.batchInvalid('the batch holds no requests.');
  if (items.length > MAX_BATCH_REQUESTS) throw graphErrors.batchTooLarge(items.length);
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id.toLowerCase())) throw graphErrors.batchInvalid(`request id '${item.id}' is used more than once.`);
    ids.add(item.id.toLowerCase());
    const hasContentType = Object.keys(item.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
    if (WRITE_METHODS.has(item.method.toUpperCase()) && (item.body === undefined || !hasContentType)) {
      throw new GraphServiceError(400, 'BadRequest', `Write request id : ${item.id} does not contain Content-Type header or body.`);
    }
  }
  for (const item of items) {
    for (const dependency of item.dependsOn ?? []) {
      if (!ids.has(dependency.toLowerCase()))
        throw graphErrors.batchInvalid(`request '${item.id}' depends on unknown request '${dependency}'.`);
    }
  }
  assertNoCycle(items);
  return items;
}

function assertNoCycle(items: readonly BatchItem[]): void {
  const deps = new Map(items.map((i) => [i.id.toLowerCase(), (i.dependsOn ?? []).map((d) => d.toLowerCase())]));
  const done = new Set<string>();
  const visit = (id: string, path: Set<string>): void => {
    if (done.has(id)) return;
    if (path.has(id)) throw graphErrors.batchInvalid(`the dependsOn chain through request '${id}' is circular.`);
    path.add(id);
    for (const d of deps.get(id) ?? []) visit(d, path);
    path.delete(id);
    done.add(id);
  };
  for (const id of deps.keys()) visit(id, new Set());
}

/**
 * A batch url is relative to the envelope's version root; `/v1.0/...`, `/beta/...` and absolute URLs
 * (as the SDK writes them) are accepted, and a version prefix says which root the part runs under.
 */
function subRequest(item: BatchItem, envelope: EmulatorRequest, requestId: string): EmulatorRequest {
  let target = item.url.replace(/^https?:\/\/[^/]+/i, '');
  if (!target.startsWith('/')) target = `/${target}`;
  const prefix = /^\/(v1\.0|beta)(?=\/|\?|$)/i.exec(target);
  const version: ApiVersion = prefix ? (prefix[1]?.toLowerCase() === 'beta' ? 'beta' : 'v1.0') : envelope.version;
  if (prefix) target = target.slice(prefix[0].length) || '/';
  const queryAt = target.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(item.headers ?? {})) headers[name.toLowerCase()] = value;
  const body = item.body === undefined ? '' : typeof item.body === 'string' ? item.body : JSON.stringify(item.body);
  return {
    method: item.method.toUpperCase(),
    version,
    path: queryAt === -1 ? target : target.slice(0, queryAt),
    query: new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1)),
    headers,
    body,
    requestId,
    clientRequestId: envelope.clientRequestId,
    ...(envelope.caller ? { caller: envelope.caller } : {}),
  };
}

function toBatchResponse(id: string, response: EmulatorResponse): BatchResponseItem {
  const out: BatchResponseItem = { id, status: response.status, headers: { ...response.headers } };
  if (response.body !== undefined) out.body = response.body;
  return out;
}

export const batchRoutes: Route[] = [{ pattern: '/$batch', handlers: { POST: runBatch } }];
