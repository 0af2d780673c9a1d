/**
 * An HTTPS proxy in front of the Entra emulator that the chaos run switches between passing
 * requests on and answering 429 (Graph's TooManyRequests body, Retry-After), 503, nothing at all
 * (the socket is held, then dropped when the fault ends), or losing the answer (the request is
 * passed on and done, then the connection is dropped before the answer: a write took effect and
 * the bot cannot know). Apart from the windows, writes to the objects `refuse` names are answered
 * 403 for good (a permanent fault). The bots trust its own certificate.
 */
import { createServer, request as httpsRequest } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCertificate } from '../../src/sandbox/emulator/tls-certificate.ts';

export type GraphFault = 'pass' | 'throttle' | 'unavailable' | 'silent' | 'lost';

export interface GraphFaultProxy {
  url: string;
  caCertificate: string;
  set(fault: GraphFault): void;
  /** From now on every write (not GET) whose path names `objectId` is refused 403 Authorization_RequestDenied. */
  refuse(objectId: string): void;
  /** How many writes naming `objectId` were refused so far. */
  refusedWrites(objectId: string): number;
  /** Requests answered by the proxy itself (or whose answer it lost), per fault. */
  injected: Record<Exclude<GraphFault, 'pass'> | 'refused', number>;
  close(): Promise<void>;
}

function graphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({
    error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': crypto.randomUUID() } },
  });
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

export async function startGraphFaultProxy(target: string, targetCa: string): Promise<GraphFaultProxy> {
  const tls = createSelfSignedCertificate(new Date());
  const upstream = new URL(target);
  let fault: GraphFault = 'pass';
  const held = new Set<IncomingMessage>();
  const injected = { throttle: 0, unavailable: 0, silent: 0, lost: 0, refused: 0 };
  const refused = new Map<string, number>();
  const forward = (req: IncomingMessage, res: ServerResponse, loseAnswer: boolean): void => {
    const out = httpsRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, ca: targetCa },
      (answer) => {
        if (loseAnswer) {
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = (req.url ?? '').toLowerCase();
    const refusedId = req.method === 'GET' ? undefined : [...refused.keys()].find((id) => url.includes(id));
    if (refusedId !== undefined) {
      injected.refused++;
      refused.set(refusedId, (refused.get(refusedId) ?? 0) + 1);
      req.resume();
      return graphError(res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
    if (fault === 'pass') return forward(req, res, false);
    injected[fault]++;
    if (fault === 'lost') return forward(req, res, true);
    req.resume();
    if (fault === 'throttle') return graphError(res, 429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': '1' });
    if (fault === 'unavailable')
      return graphError(res, 503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please try again later.');
    held.add(req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caCertificate: tls.cert,
    injected,
    refuse: (objectId) => void refused.set(objectId.toLowerCase(), 0),
    refusedWrites: (objectId) => refused.get(objectId.toLowerCase()) ?? 0,
    set(next) {
      fault = next;
      if (next !== 'silent') {
        for (const req of held) req.socket.destroy();
        held.clear();
      }
    },
    close: () =>
      new Promise((resolve) => {
        for (const req of held) req.socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
