/**
 * The transport against the real emulator: a collection longer than one page is followed through
 * `@odata.nextLink` (with the advanced-query header sent again, which the emulator enforces), and
 * the client refuses a base URL the SDK would not send its token to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticTokenCredential } from '../../src/cloud-directory/credential.ts';
import { createDeadline } from '../../src/cloud-directory/deadline.ts';
import { createGraphClient } from '../../src/cloud-directory/graph-client.ts';
import { createGraphTransport, type GraphTransport } from '../../src/cloud-directory/graph-transport.ts';
import { ADVANCED_QUERY_HEADERS, answerOf, valuesOf } from '../../src/cloud-directory/queries.ts';
import { ConfigError } from '../../src/errors/index.ts';
import { countRequests, silentLogger, startCloud, type CloudHarness } from './harness.ts';

let h: CloudHarness;
let transport: GraphTransport;
beforeAll(async () => {
  h = await startCloud();
  const client = createGraphClient({ graphBaseUrl: h.emulator.url, credential: staticTokenCredential('t') });
  transport = createGraphTransport({
    client,
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 100 },
    logger: silentLogger,
    deadline: createDeadline(60_000),
    requestTimeoutMs: 5_000,
  });
});
afterAll(() => h.close());

const OP = { what: 'list users', permission: 'User.Read.All' };

describe('graph transport', () => {
  it('follows @odata.nextLink to the last page, re-sending ConsistencyLevel', async () => {
    const expected = h.emulator.state.activeUsers().map((u) => u.id);
    expect(expected.length).toBe(10);
    const { result, requests } = await countRequests(h.emulator, async () => {
      const answers = await transport.batch(OP, [
        { id: 'all', url: '/users?$select=id&$top=3&$count=true', headers: { ...ADVANCED_QUERY_HEADERS } },
      ]);
      return valuesOf<{ id: string }>(transport, OP, answerOf(OP, answers, 'all'), { ...ADVANCED_QUERY_HEADERS });
    });
    expect(result.map((u) => u.id)).toEqual(expected);
    // The batch, then pages 2, 3 and 4 (3 + 3 + 3 + 1 users).
    expect(requests).toBe(4);
  });

  it('answers each sub-request of a batch under its own id', async () => {
    const answers = await transport.batch(OP, [
      { id: 'a', url: '/domains/contoso.com' },
      { id: 'b', url: '/domains/nope.example' },
    ]);
    expect([answers.get('a')?.status, answers.get('b')?.status]).toEqual([200, 404]);
    expect((answers.get('a')?.body as { id: string }).id).toBe('contoso.com');
    expect(() => answerOf(OP, answers, 'b')).toThrow(/404 Request_ResourceNotFound/);
  });
});

describe('createGraphClient', () => {
  it.each([
    ['http://127.0.0.1:5099', 'must be https'],
    ['https://graph.microsoft.com/v1.0', 'without a path or version'],
    ['not a url', 'is not a URL'],
  ])('refuses %s', (url, why) => {
    expect(() => createGraphClient({ graphBaseUrl: url, credential: staticTokenCredential('t') })).toThrow(ConfigError);
    expect(() => createGraphClient({ graphBaseUrl: url, credential: staticTokenCredential('t') })).toThrow(why);
  });
});
