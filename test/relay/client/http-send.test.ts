import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpSend } from '../../../src/relay/client/http-send.ts';

interface Served {
  url: string;
  /** Distinct client connections the server accepted. */
  connections: () => number;
  close(): Promise<void>;
}

const servers: Served[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(listener: RequestListener): Promise<Served> {
  const server = createServer(listener);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const served: Served = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  servers.push(served);
  return served;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function echo(req: IncomingMessage, res: ServerResponse): void {
  void bodyOf(req).then((body) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, path: req.url, headers: req.headers, body }));
  });
}

const timeout = (): AbortSignal => AbortSignal.timeout(5000);

describe('createHttpSend', () => {
  it('sends the method, path, headers and body, and reads the status and text', async () => {
    const server = await serve(echo);
    const send = createHttpSend();
    const body = JSON.stringify({ who: 'zoë' });
    const answer = await send(new URL('/v1/lookup?x=1', server.url), {
      method: 'POST',
      headers: { 'x-hardmatch-nonce': 'n-1' },
      body,
      signal: timeout(),
    });
    expect(answer.status).toBe(200);
    const seen = JSON.parse(await answer.text()) as { method: string; path: string; headers: Record<string, string>; body: string };
    expect(seen).toMatchObject({ method: 'POST', path: '/v1/lookup?x=1', body });
    expect(seen.headers['x-hardmatch-nonce']).toBe('n-1');
    expect(seen.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('keeps the connection for the next request', async () => {
    const server = await serve(echo);
    const send = createHttpSend();
    for (let i = 0; i < 3; i++)
      await (await send(new URL('/v1/health', server.url), { method: 'GET', headers: {}, signal: timeout() })).text();
    expect(server.connections()).toBe(1);
  });

  it('rejects with the system code when nothing listens', async () => {
    const server = await serve(echo);
    await server.close();
    const err = await createHttpSend()(new URL('/v1/health', server.url), { method: 'GET', headers: {}, signal: timeout() }).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(err?.code).toBe('ECONNREFUSED');
  });

  it('rejects with a TimeoutError when the signal times out before an answer', async () => {
    const server = await serve(() => undefined);
    const err = await createHttpSend()(new URL('/v1/lookup', server.url), {
      method: 'POST',
      headers: {},
      body: '{}',
      signal: AbortSignal.timeout(100),
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.name).toBe('TimeoutError');
  });

  it('rejects when the answer stops halfway (the connection is cut)', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('content-length', '100');
      res.write('{"users":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const err = await createHttpSend()(new URL('/v1/lookup', server.url), {
      method: 'POST',
      headers: {},
      body: '{}',
      signal: timeout(),
    }).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(err?.code).toBe('ECONNRESET');
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(
      createHttpSend()(new URL('ftp://relay.contoso.com/v1/health'), { method: 'GET', headers: {}, signal: timeout() }),
    ).rejects.toThrow(/http or https/);
  });
});
