/**
 * A stand-in for the Bot Framework connector service (what `serviceUrl` points at): accepts the
 * calls a bot makes to reply and records their bodies, so tests assert on what users would see.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  conversationId: string;
  /** Set for replies (`POST /v3/conversations/:id/activities/:replyToId`). */
  replyToId?: string;
  /** Set for updates (`PUT /v3/conversations/:id/activities/:activityId`). */
  activityId?: string;
  authorization?: string;
  body: Record<string, unknown>;
  /** performance.now() when the body's last byte had arrived (before parsing it): when the call reached the connector. */
  receivedAt: number;
}

export interface RecordingConnector {
  /** Base URL to use as the activity's serviceUrl (with a trailing slash, as channels send it). */
  url: string;
  calls: RecordedCall[];
  /** Resolves once at least `count` calls were recorded; rejects after `timeoutMs`. */
  waitForCalls(count: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** Resolves with the first recorded call from index `from` on that is not a typing indicator (the reply). */
  waitForMessage(timeoutMs?: number, from?: number): Promise<RecordedCall>;
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

export interface RecordingConnectorOptions {
  /**
   * Called with each recorded activity before it is answered; a promise holds the answer until it
   * settles (a slow connector, e.g. for the typing indicator). Default: answer at once.
   */
  holdAnswer?: (body: Record<string, unknown>) => Promise<void> | undefined;
}

/** Listens on `host` (default 127.0.0.1; a LAN address stands for a connector elsewhere on the network). */
export async function startRecordingConnector(host = '127.0.0.1', options: RecordingConnectorOptions = {}): Promise<RecordingConnector> {
  const calls: RecordedCall[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    void record(
      req,
      res,
      calls,
      () => {
        for (const wake of waiters) wake();
      },
      options.holdAnswer,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    calls,
    waitForCalls: (count, timeoutMs = 5000) => waitFor(calls, waiters, count, timeoutMs),
    waitForMessage: async (timeoutMs = 5000, from = 0) => {
      const deadline = performance.now() + timeoutMs;
      for (let count = from + 1; ; count += 1) {
        const seen = await waitFor(calls, waiters, count, Math.max(1, deadline - performance.now()));
        const call = seen[count - 1];
        if (call && call.body.type !== 'typing') return call;
      }
    },
    close: () => closeServer(server),
  };
}

async function record(
  req: IncomingMessage,
  res: ServerResponse,
  calls: RecordedCall[],
  recorded: () => void,
  holdAnswer?: RecordingConnectorOptions['holdAnswer'],
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://connector').pathname;
  const match = ROUTE.exec(path);
  // POST: a new message or a reply; PUT /activities/:id: updateActivity (a card replaced in place).
  if ((req.method !== 'POST' && req.method !== 'PUT') || !match?.[1]) {
    reply(res, 404, { error: { code: 'NotFound', message: path } });
    recorded();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const receivedAt = performance.now();
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  const call: RecordedCall = { method: req.method, path, conversationId: decodeURIComponent(match[1]), body, receivedAt };
  if (match[2] && req.method === 'POST') call.replyToId = decodeURIComponent(match[2]);
  if (match[2] && req.method === 'PUT') call.activityId = decodeURIComponent(match[2]);
  if (req.headers.authorization) call.authorization = req.headers.authorization;
  calls.push(call);
  const id = call.activityId ?? `recorded-${calls.length}`;
  recorded();
  await holdAnswer?.(body);
  reply(res, 200, { id });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

function waitFor(calls: RecordedCall[], waiters: Set<() => void>, count: number, timeoutMs: number): Promise<RecordedCall[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      if (calls.length < count) return false;
      cleanup();
      resolve([...calls]);
      return true;
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Expected ${count} connector call(s) within ${timeoutMs} ms, got ${calls.length}.`));
    }, timeoutMs);
    const wake = (): void => void check();
    const cleanup = (): void => {
      clearTimeout(timer);
      waiters.delete(wake);
    };
    waiters.add(wake);
    check();
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((err) => (err ? reject(err) : resolve()));
  });
}
