/**
 * Maps `METHOD /path` to a handler. Literal segments match case-insensitively (Graph accepts
 * `/directory/deleteditems`); `:name` segments capture one percent-decoded segment. A path no
 * route knows is Graph's 404 naming the first unknown segment; a known path with another method
 * is 405.
 */
import { GraphServiceError, graphErrors } from '../graph-errors.ts';
import type { EmulatorRequest, EmulatorResponse, RouteContext, RouteHandler } from './types.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Route {
  /** e.g. `/users/:id/transitiveMemberOf/microsoft.graph.directoryRole`; listed literal-first. */
  pattern: string;
  handlers: Partial<Record<Method, RouteHandler>>;
}

interface CompiledRoute {
  segments: string[];
  handlers: Partial<Record<string, RouteHandler>>;
}

export type Router = (request: EmulatorRequest, context: RouteContext) => Promise<EmulatorResponse>;

export function createRouter(routes: readonly Route[]): Router {
  const compiled: CompiledRoute[] = routes.map((r) => ({ segments: splitPath(r.pattern), handlers: r.handlers }));
  return async (request, context) => {
    const segments = decodeSegments(request.path);
    for (const route of compiled) {
      const params = match(route.segments, segments);
      if (!params) continue;
      const handler = route.handlers[request.method.toUpperCase()];
      if (!handler) throw graphErrors.methodNotAllowed();
      return handler(request, params, context);
    }
    throw graphErrors.segmentNotFound(firstUnknownSegment(compiled, segments));
  };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function decodeSegments(path: string): string[] {
  try {
    return splitPath(path).map((s) => decodeURIComponent(s));
  } catch {
    throw new GraphServiceError(400, 'BadRequest', `The request URI is not valid: '${path}'.`);
  }
}

function match(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] ?? '';
    const actual = segments[i] ?? '';
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected.toLowerCase() !== actual.toLowerCase()) return undefined;
  }
  return params;
}

/** The deepest position any route still agrees with names the segment Graph complains about. */
function firstUnknownSegment(routes: readonly CompiledRoute[], segments: readonly string[]): string {
  let depth = 0;
  for (const route of routes) {
    let d = 0;
    while (d < segments.length && d < route.segments.length) {
      const expected = route.segments[d] ?? '';
      if (!expected.startsWith(':') && expected.toLowerCase() !== (segments[d] ?? '').toLowerCase()) break;
      d++;
    }
    depth = Math.max(depth, d);
  }
  return segments[Math.min(depth, segments.length - 1)] ?? '';
}
