/**
 * Graph-shaped responses: OData JSON with `@odata.context`, and the error body
 * `{ error: { code, message, details?, innerError: { date, request-id, client-request-id } } }`.
 */
import { GraphServiceError } from '../graph-errors.ts';
import type { EmulatorRequest, EmulatorResponse } from './types.ts';

/** The Content-Type Graph sends with OData payloads. */
export const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function ok(body: object, status = 200): EmulatorResponse {
  return { status, headers: { 'Content-Type': ODATA_JSON, 'OData-Version': '4.0', 'Cache-Control': 'no-cache' }, body };
}

/** The text a response is sent as: its body serialized ('' for none). */
export function bodyText(response: EmulatorResponse): string {
  return response.body === undefined ? '' : JSON.stringify(response.body);
}

export function noContent(): EmulatorResponse {
  return { status: 204, headers: { 'Cache-Control': 'no-cache' } };
}

/** `https://host/v1.0/$metadata#users(id,mail)/$entity`, as Graph writes it; `root` is `https://host/v1.0` (or `/beta`). */
export function contextUrl(root: string, path: string, select?: readonly string[], entity = false): string {
  const selected = select ? `(${select.join(',')})` : '';
  return `${root}/$metadata#${path}${selected}${entity ? '/$entity' : ''}`;
}

/** innerError.date: second precision, no zone designator (e.g. 2025-02-13T10:17:05). */
function innerDate(now: Date): string {
  return now.toISOString().slice(0, 19);
}

export function errorResponse(
  err: GraphServiceError,
  request: Pick<EmulatorRequest, 'requestId' | 'clientRequestId'>,
  now: Date,
): EmulatorResponse {
  const error: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.details) error['details'] = err.details.map((d) => ({ ...d }));
  error['innerError'] = { date: innerDate(now), 'request-id': request.requestId, 'client-request-id': request.clientRequestId };
  return {
    status: err.status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', ...err.headers },
    body: { error },
  };
}

/** An unexpected failure inside the emulator still answers in Graph's shape (500). */
export function internalError(message: string): GraphServiceError {
  return new GraphServiceError(500, 'UnknownError', `The Entra emulator failed: ${message}`);
}
