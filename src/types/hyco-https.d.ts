/**
 * Types for the part of `hyco-https` (Azure Relay Hybrid Connections over HTTPS) that Hardmatch
 * uses; the package ships none. The module is CommonJS that assigns its functions onto Node's
 * `https` exports, so ES modules reach them through the default import only.
 */
declare module 'hyco-https' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface RelayedServerOptions {
    /** Listener URI from createRelayListenUri (wss://<namespace>:443/$hc/<path>?sb-hc-action=listen). */
    server: string;
    /** A token, or a function called at every (re)connect and then once an hour to renew it. */
    token: string | (() => string);
  }

  interface RelayedServer extends EventEmitter {
    listen(): void;
    close(callback?: (err?: unknown) => void): void;
  }

  interface HycoHttps {
    createRelayedServer(options: RelayedServerOptions, listener: (req: IncomingMessage, res: ServerResponse) => void): RelayedServer;
    /** `SharedAccessSignature sr=<uri>&sig=<sig>&se=<unix seconds>&skn=<keyName>`, valid for `expirationSeconds` (default 3600). */
    createRelayToken(uri: string, keyName: string, key: string, expirationSeconds?: number): string;
    createRelayListenUri(namespace: string, path: string, token?: string, id?: string): string;
  }

  const hyco: HycoHttps;
  export default hyco;
}
