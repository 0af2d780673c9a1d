/**
 * A tiny HTTPS server in front of the emulator that misbehaves on cue, for the failures the
 * emulator itself never produces: 5xx and 403 answers, answers that never come, a sub-response
 * inside a `$batch` replaced by a failure, a write executed but answered with an error. Every
 * request it receives is recorded (method, path, body) so tests can see what was retried.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCertificate, trustCertificateInProcess } from '../../src/sandbox/emulator/tls-certificate.ts';

export interface SeenRequest {
  n: number;
  method: string;
  path: string;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** What to do with request `n` (1-based). */
export type Behaviour =
  | { kind: 'forward' }
  | { kind: 'reply'; reply: Reply }
  | { kind: 'hang' }
  /** Forward, then answer `reply` instead of the real answer (the write happened). */
  | { kind: 'forwardThenReply'; reply: Reply }
  /** Forward and rewrite the JSON answer. */
  | { kind: 'forwardAndRewrite'; rewrite: (body: unknown) => unknown };

export interface FlakyProxy {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export function graphErrorReply(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: { error: { code, message, innerError: { date: '2026-03-05T12:00:00', 'request-id': 'r', 'client-request-id': 'c' } } },
  };
}

const FORWARDED_HEADERS = ['authorization', 'content-type', 'consistencylevel', 'client-request-id'];

export async function startFlakyProxy(target: string, behaviour: (request: SeenRequest) => Behaviour): Promise<FlakyProxy> {
  const tls = createSelfSignedCertificate(new Date());
  trustCertificateInProcess(tls.cert);
  const seen: SeenRequest[] = [];
  const forward = async (request: SeenRequest, headers: Record<string, string>): Promise<Reply> => {
    const response = await fetch(`${target}${request.path}`, {
      method: request.method,
      headers,
      ...(request.body === '' ? {} : { body: request.body }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: { 'Content-Type': 'application/json' },
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  };
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: SeenRequest = {
        n: seen.length + 1,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const send = (reply: Reply): void => {
        const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
        res.writeHead(reply.status, { ...(reply.headers ?? {}), 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      };
      const plan = behaviour(request);
      const run = async (): Promise<void> => {
        if (plan.kind === 'hang') return;
        if (plan.kind === 'reply') return send(plan.reply);
        const real = await forward(request, headers);
        if (plan.kind === 'forwardThenReply') return send(plan.reply);
        if (plan.kind === 'forwardAndRewrite') return send({ ...real, body: plan.rewrite(real.body) });
        send(real);
      };
      run().catch((err: unknown) => send(graphErrorReply(502, 'ProxyFailed', String(err))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
