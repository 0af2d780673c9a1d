/**
 * An HTTPS proxy in front of the Entra emulator that the chaos run switches between passing
 * requests on and answering 429 (Graph's TooManyRequests body, Retry-After), 503 or nothing at
 * all (the socket is held, then dropped when the fault ends). The bots trust its own certificate.
 */
import { createServer, request as httpsRequest } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCertificate } from '../../src/sandbox/emulator/tls-certificate.ts';

export type GraphFault = 'pass' | 'throttle' | 'unavailable' | 'silent';

export interface GraphFaultProxy {
  url: string;
  caCertificate: string;
  set(fault: GraphFault): void;
  /** Requests answered by the proxy itself, per fault. */
  injected: Record<Exclude<GraphFault, 'pass'>, number>;
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
  const injected = { throttle: 0, unavailable: 0, silent: 0 };
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const out = httpsRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, ca: targetCa },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (fault === 'pass') return forward(req, res);
    injected[fault]++;
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
