/**
 * The Microsoft Graph SDK client, built the way the bot uses it everywhere: a token from any
 * `@azure/identity` credential (scope `https://graph.microsoft.com/.default`), the base URL from
 * configuration (Graph, or the Entra emulator), and that URL's host in `customHosts` so the SDK
 * attaches the token there too (it only does so for Graph's own hosts and listed ones, and only
 * over https).
 *
 * The middleware chain is the SDK's default one without its RetryHandler: graph-transport.ts
 * retries single requests and `$batch` sub-requests under one policy, and a second retry layer
 * underneath would multiply the waits (4 × 4 tries) and retry what we chose not to.
 */
import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { ConfigError } from '../errors/index.ts';
import { guardCredential } from './credential.ts';

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
    throw new ConfigError([`GRAPH_BASE_URL: must be https (the Graph client never sends its token over http), got ${url.protocol}//${url.host}`]);
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new ConfigError([`GRAPH_BASE_URL: give the host only, without a path or version (e.g. https://graph.microsoft.com), got ${graphBaseUrl}`]);
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
      new HTTPMessageHandler(),
    ],
    ...(hostname === GRAPH_HOST ? {} : { customHosts: new Set([hostname]) }),
  });
}
