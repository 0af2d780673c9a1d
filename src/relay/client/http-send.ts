/**
 * The relay client's HTTP leg: node:http(s) over keep-alive agents of its own. Every `match` waits
 * for one relay round trip, and on a busy host the global fetch (undici's WHATWG layer: Request,
 * Headers, Response and body streams per call) costs about 0.5-1 ms more per call than a plain
 * request on a kept-alive socket; here that is a tenth of the time the bot may spend on its own.
 * The shape is the part of fetch the client uses, so a test can still inject fetch itself.
 */
import http from 'node:http';
import https from 'node:https';

export interface RelaySendInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export interface RelayAnswer {
  status: number;
  text(): Promise<string>;
}

/** What the client sends with: this module's `createHttpSend()`, or the global fetch. */
export type RelaySend = (url: URL, init: RelaySendInit) => Promise<RelayAnswer>;

/**
 * Idle sockets are closed after this long: below Node's default server keep-alive timeout (5 s,
 * the relay agent's), so the client never writes into a socket the server is closing.
 */
export const IDLE_SOCKET_MS = 4_000;

/** The reason of an aborted signal as an Error named like fetch's (TimeoutError or AbortError). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The operation was aborted.', 'AbortError');
}

/** A sender with its own keep-alive agents (one per protocol); the answer is read whole, as text. */
export function createHttpSend(): RelaySend {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  return (url, init) =>
    new Promise<RelayAnswer>((resolve, reject) => {
      const { signal } = init;
      if (signal.aborted) {
        reject(abortReason(signal));
        return;
      }
      const protocol = url.protocol === 'https:' ? 'https:' : url.protocol === 'http:' ? 'http:' : undefined;
      if (!protocol) {
        reject(new TypeError(`The relay URL must be http or https, not ${url.protocol}`));
        return;
      }
      const headers: Record<string, string | number> = { ...init.headers };
      if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
      const request = (protocol === 'https:' ? https : http).request(url, { method: init.method, headers, agent: agents[protocol] });
      // One listener for the whole exchange: an abort while the answer is still arriving rejects too.
      const onAbort = (): void => {
        request.destroy();
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal.removeEventListener('abort', onAbort);
      // Node's errors carry the `code` (ECONNREFUSED, ECONNRESET, ...) the client words.
      request.on('error', (err) => {
        done();
        reject(err);
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (err) => {
          done();
          reject(err);
        });
        // The connection closed before the whole answer arrived (a rejection after `end` is a no-op).
        response.on('close', () => {
          done();
          if (!response.complete)
            reject(Object.assign(new Error('The relay closed the connection before its answer was complete.'), { code: 'ECONNRESET' }));
        });
        response.on('end', () => {
          done();
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, text: () => Promise.resolve(text) });
        });
      });
      request.end(init.body);
    });
}
