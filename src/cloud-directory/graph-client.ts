/**
 * The Microsoft Graph SDK client, built the way the bot uses it everywhere: a token from any
 * `@azure/identity` credential (scope `https://graph.microsoft.com/.default`), the base URL from
 * configuration (Graph, or the Entra emulator), and that URL's host in `customHosts` so the SDK
 * attaches the token there too (it only does so for Graph's own hosts and listed ones, and only
 * over https).
 *
 * The middleware chain is the SDK's default one without its RetryHandler: graph-transport.ts
 * retries single requests and `$batch` sub-requests under one policy, and a second retry layer
 * underneath would multiply the waits (4 × 4 tries) and retry what we chose not to. One handler is
 * added in front of the HTTP one: NetworkFailureHandler, which keeps the network's error code
 * (ECONNREFUSED, ENOTFOUND, CERT_…, UND_ERR_…) that the SDK would otherwise drop, keeping only
 * undici's "fetch failed", so errors.ts can word the failure for the admin.
 */
import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  type Context,
  type Middleware,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { ConfigError } from '../errors/index.ts';
import { guardCredential } from './credential.ts';
import { NETWORK_FAILURE_NAME, networkCodeOf } from './errors.ts';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const GRAPH_HOST = 'graph.microsoft.com';

/** `https://host[:port]` without a trailing slash or version; throws ConfigError otherwise. */
export function normaliseGraphBaseUrl(graphBaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(graphBaseUrl);
  } catch {
    throw new ConfigError([`GRAPH_BASE_URL: "${graphBaseUrl}" is not a URL (expected e.g. https://graph.microsoft.com)`]);
  }
  if (url.protocol !== 'https:') {
    throw new ConfigError([
      `GRAPH_BASE_URL: must be https (the Graph client never sends its token over http), got ${url.protocol}//${url.host}`,
    ]);
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new ConfigError([
      `GRAPH_BASE_URL: give the host only, without a path or version (e.g. https://graph.microsoft.com), got ${graphBaseUrl}`,
    ]);
  }
  return url;
}

export function createGraphClient(options: { graphBaseUrl: string; credential: TokenCredential }): Client {
  const base = normaliseGraphBaseUrl(options.graphBaseUrl);
  const authProvider = new TokenCredentialAuthenticationProvider(guardCredential(options.credential), { scopes: [GRAPH_SCOPE] });
  const hostname = base.hostname.toLowerCase();
  return Client.initWithMiddleware({
    baseUrl: base.origin,
    defaultVersion: 'v1.0',
    middleware: [
      new AuthenticationHandler(authProvider),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new NetworkFailureHandler(),
      new HTTPMessageHandler(),
    ],
    ...(hostname === GRAPH_HOST ? {} : { customHosts: new Set([hostname]) }),
  });
}

/**
 * Rethrows a request that got no answer as an Error named NETWORK_FAILURE_NAME whose message is
 * the network's error code: the SDK turns any thrown error into a GraphError keeping only `name`
 * (as `code`) and `message`, so the code has to travel in those.
 */
export class NetworkFailureHandler implements Middleware {
  #next: Middleware | undefined;

  async execute(context: Context): Promise<void> {
    if (!this.#next) throw new Error('NetworkFailureHandler must not be the last middleware');
    try {
      await this.#next.execute(context);
    } catch (err) {
      const failure = new Error(networkCodeOf(err), { cause: err });
      failure.name = NETWORK_FAILURE_NAME;
      throw failure;
    }
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}
