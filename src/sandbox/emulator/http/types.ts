/**
 * The emulator's HTTP-free request/response: the server turns a node:http request into one of
 * these, and a $batch turns each of its sub-requests into one, so both run through the same router.
 */
import type { EmulatorState } from '../state.ts';

/** Graph's two version roots; beta carries properties (onPremisesObjectIdentifier, isPrivileged) v1.0 does not. */
export type ApiVersion = 'v1.0' | 'beta';

export interface EmulatorRequest {
  method: string;
  /** The version root the request came in under (a $batch part inherits its envelope's). */
  version: ApiVersion;
  /** Path below `/v1.0` (or `/beta`), still percent-encoded, without the query: `/users/jdoe%40contoso.com`. */
  path: string;
  /** Decoded query parameters (URLSearchParams: `%2B` is '+', a bare '+' is a space). */
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  /** Raw body text; '' when there is none. */
  body: string;
  requestId: string;
  clientRequestId: string;
  /** The calling app (from its token), set once authenticated; a $batch part inherits its envelope's. */
  caller?: string;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body; undefined for 204. */
  body?: unknown;
}

export interface RouteContext {
  state: EmulatorState;
  /** The version this context serves (a request is routed with the context of its version). */
  version: ApiVersion;
  /** Root links are built on (`@odata.context`, `@odata.nextLink`): `http://127.0.0.1:5099/v1.0`. */
  root: string;
  /** The application permissions the calling app holds, for operations whose need depends on the body. */
  permissions: ReadonlySet<string>;
  now: () => Date;
  /** Run one Graph operation through throttling and the router; $batch uses it per sub-request. */
  execute: (request: EmulatorRequest) => Promise<EmulatorResponse>;
  /** A fresh request id (for $batch sub-requests). */
  newRequestId: () => string;
}

export type RouteHandler = (
  request: EmulatorRequest,
  params: Readonly<Record<string, string>>,
  context: RouteContext,
) => EmulatorResponse | Promise<EmulatorResponse>;
