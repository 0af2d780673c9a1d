/**
 * A Graph transport over a fake HTTP layer and a fake clock, for retry tests that need no network
 * and no waiting: the real SDK client and middleware (NetworkFailureHandler included) with the
 * HTTP handler replaced by a script answering each request, and a deadline whose clock moves only
 * when the transport sleeps. The retry policy is the product's default unless a test names one.
 */
import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { NetworkFailureHandler } from '../../src/cloud-directory/graph-client.ts';
import { createDeadline } from '../../src/cloud-directory/deadline.ts';
import { createGraphTransport, type GraphTransport, type RetryPolicy } from '../../src/cloud-directory/graph-transport.ts';
import { DEFAULT_RETRY } from '../../src/cloud-directory/index.ts';
import { silentLogger } from './harness.ts';

export interface FakeRequest {
  method: string;
  /** Path below the version root, with the query: `/users/x?$select=id`. */
  path: string;
  body: unknown;
  /** The fake clock when it was sent. */
  at: number;
}

/** An answer, or a thrown error (a request that got none). */
export type FakeAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | { error: string };

export interface FakeGraph {
  transport: GraphTransport;
  requests: FakeRequest[];
  /** Every wait the transport made, in ms. */
  sleeps: number[];
  now(): number;
}

class ScriptedHandler implements Middleware {
  readonly #answer: (request: FakeRequest) => FakeAnswer;

  constructor(answer: (request: FakeRequest) => FakeAnswer) {
    this.#answer = answer;
  }

  execute(context: Context): Promise<void> {
    // The SDK passes the URL as a string (RequestInfo's Request form is typed from the DOM lib).
    const url = new URL(String(context.request as unknown));
    const method = context.options?.method ?? 'GET';
    const text = typeof context.options?.body === 'string' ? context.options.body : '';
    const request: FakeRequest = {
      method,
      path: `${url.pathname.replace(/^\/(v1\.0|beta)/, '')}${url.search}`,
      body: text ? JSON.parse(text) : null,
      at: 0,
    };
    const answer = this.#answer(request);
    if ('error' in answer) return Promise.reject(Object.assign(new Error(`fake: ${answer.error}`), { code: answer.error }));
    const headers = { 'content-type': 'application/json', ...answer.headers };
    context.response = new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers });
    return Promise.resolve();
  }

  setNext(): void {
    throw new Error('the scripted handler is the last middleware');
  }
}

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): FakeAnswer {
  return { status, headers, body: { error: { code, message } } };
}

export function fakeGraph(
  answer: (request: FakeRequest, now: number) => FakeAnswer,
  options: { budgetMs?: number; retry?: RetryPolicy } = {},
): FakeGraph {
  let clock = 0;
  const requests: FakeRequest[] = [];
  const sleeps: number[] = [];
  const handler = new ScriptedHandler((request) => {
    const seen = { ...request, at: clock };
    requests.push(seen);
    return answer(seen, clock);
  });
  const client = Client.initWithMiddleware({ baseUrl: 'https://graph.test', middleware: [new NetworkFailureHandler(), handler] });
  const transport = createGraphTransport({
    client,
    retry: options.retry ?? DEFAULT_RETRY,
    logger: silentLogger,
    deadline: createDeadline(options.budgetMs ?? 20_000, () => clock),
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
  });
  return { transport, requests, sleeps, now: () => clock };
}
