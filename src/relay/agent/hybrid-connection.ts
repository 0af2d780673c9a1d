/**
 * Listening through an Azure Relay Hybrid Connection: the agent dials out to Azure, so no inbound
 * firewall port is needed. The same request handler serves it as serves the local port; the only
 * transport detail it must not see is the hybrid connection's name in front of every path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../logging/logger.ts';
import type { RelayHandler } from './server.ts';

/** The part of `hyco-https` used here; injected in tests so nothing dials Azure. */
export interface HycoModule {
  createRelayedServer(
    options: { server: string; token: () => string },
    listener: (req: IncomingMessage, res: ServerResponse) => void,
  ): HycoServer;
  createRelayToken(uri: string, keyName: string, key: string, expirationSeconds?: number): string;
}

export interface HycoServer {
  on(event: 'listening', listener: () => void): unknown;
  on(event: 'error', listener: (event: unknown) => void): unknown;
  listen(): void;
  close(callback?: (err?: unknown) => void): void;
}

export interface AzureRelaySettings {
  /** https://<namespace>.servicebus.windows.net/<hybrid connection> (sb:// accepted too). */
  url: string;
  keyName: string;
  key: string;
}

/**
 * hyco-https asks for a new token once an hour (a fixed interval in its listener), so each token
 * lives two hours: the renewed one always arrives while the current one is still valid.
 */
export const RELAY_TOKEN_LIFETIME_SECONDS = 2 * 60 * 60;

/** Imported on demand: the module rewrites Node's `https.Server` when loaded, so only load it when used. */
export async function loadHyco(): Promise<HycoModule> {
  return (await import('hyco-https')).default;
}

export function parseHybridConnectionUrl(url: string): { namespace: string; path: string } {
  const u = new URL(url);
  const path = u.pathname.replace(/^\/+|\/+$/g, '');
  if (!u.hostname || path === '') {
    throw new TypeError(`${url} is not a hybrid connection URL (https://<namespace>.servicebus.windows.net/<name>)`);
  }
  return { namespace: u.hostname, path };
}

/** The WebSocket URI a listener connects to: wss://<namespace>:443/$hc/<path>?sb-hc-action=listen. */
export function createRelayListenUri(url: string): string {
  const { namespace, path } = parseHybridConnectionUrl(url);
  return `wss://${namespace}:443/$hc/${path}?sb-hc-action=listen`;
}

/**
 * A token provider for the listener. The token is issued for the hybrid connection's own URI,
 * which a SAS rule on the namespace and a rule on the hybrid connection both accept.
 */
export function createRelayTokenProvider(hyco: Pick<HycoModule, 'createRelayToken'>, settings: AzureRelaySettings): () => string {
  const { namespace, path } = parseHybridConnectionUrl(settings.url);
  const resource = `https://${namespace}/${path}`;
  return () => hyco.createRelayToken(resource, settings.keyName, settings.key, RELAY_TOKEN_LIFETIME_SECONDS);
}

/**
 * Remove `prefix` (the hybrid connection's name, e.g. /hardmatch) from the request path, so the
 * handler sees /v1/... exactly as the bot signed it. Case-insensitive: Azure entity names are.
 */
export function stripPathPrefix(prefix: string, handler: RelayHandler): RelayHandler {
  const p = `/${prefix.replace(/^\/+|\/+$/g, '')}`.toLowerCase();
  return (req, res) => {
    const url = req.url ?? '/';
    const head = url.slice(0, p.length).toLowerCase();
    const next = url.charAt(p.length);
    if (head === p && (next === '' || next === '/' || next === '?')) {
      const rest = url.slice(p.length);
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
    }
    handler(req, res);
  };
}

export interface HybridConnectionOptions {
  azureRelay: AzureRelaySettings;
  handler: RelayHandler;
  logger: Logger;
  /** Defaults to the real `hyco-https`. */
  hyco?: HycoModule;
}

export interface HybridConnectionListener {
  close(): Promise<void>;
}

function describe(event: unknown): string {
  if (event instanceof Error) return event.message;
  if (event && typeof event === 'object' && 'message' in event) return String(event.message);
  return 'connection error';
}

/**
 * Start listening; returns at once. hyco-https reconnects by itself (0 s, 1 s ... 30 s), so a
 * relay that starts while Azure is unreachable joins as soon as it can, and each failure is logged.
 */
export async function listenOnHybridConnection(options: HybridConnectionOptions): Promise<HybridConnectionListener> {
  const { azureRelay, logger } = options;
  const hyco = options.hyco ?? (await loadHyco());
  const { path } = parseHybridConnectionUrl(azureRelay.url);
  const server = hyco.createRelayedServer(
    { server: createRelayListenUri(azureRelay.url), token: createRelayTokenProvider(hyco, azureRelay) },
    stripPathPrefix(path, options.handler),
  );
  server.on('listening', () => logger.info({ azureRelay: azureRelay.url }, 'listening on the Azure Relay hybrid connection'));
  server.on('error', (event) => {
    logger.warn({ azureRelay: azureRelay.url, problem: describe(event) }, 'Azure Relay connection failed; retrying');
  });
  server.listen();
  return {
    close: () =>
      new Promise<void>((resolve) => {
        // A close error means the control channel was never open: nothing left to release.
        server.close(() => resolve());
      }),
  };
}
