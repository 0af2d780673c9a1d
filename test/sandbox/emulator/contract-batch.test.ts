/**
 * Contract: POST /$batch. Up to 20 requests in one round trip, each with its own status, run
 * through the same rules as single requests; dependsOn orders them; the SDK's own
 * BatchRequestContent format is understood.
 */
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphFailure, ID, startGraph, type Harness } from './graph-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startGraph();
});
afterEach(() => h.close());

interface BatchRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}
interface BatchResponse {
  responses: { id: string; status: number; headers: Record<string, string>; body?: { error?: { code: string }; [k: string]: unknown } }[];
}

const batch = async (requests: BatchRequest[]) => (await h.client.api('/$batch').post({ requests })) as BatchResponse;
const byId = (result: BatchResponse) => new Map(result.responses.map((r) => [r.id, r]));
const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('$batch', () => {
  it('answers 20 requests in one HTTP round trip', async () => {
    const before = h.emulator.requestCount();
    const requests = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${ID.jane}?$select=id` }));
    const result = await batch(requests);
    expect(result.responses).toHaveLength(20);
    expect(result.responses.every((r) => r.status === 200 && (r.body as { id?: string }).id === ID.jane)).toBe(true);
    expect(h.emulator.requestCount() - before).toBe(1);
  });

  it('refuses 21 requests with 400', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/domains' }));
    const failure = await graphFailure(batch(requests));
    expect(failure).toMatchObject({ status: 400, code: 'BadRequest' });
    expect(failure.message).toContain('limit is 20');
  });

  it('gives each request its own status; one failing does not fail the batch', async () => {
    const result = byId(
      await batch([
        { id: 'ok', method: 'GET', url: `users/${ID.bob}` },
        { id: 'missing', method: 'GET', url: '/users/00000000-0000-4000-8000-999999999999' },
        {
          id: 'conflict',
          method: 'PATCH',
          url: `/users/${ID.jane}`,
          headers: JSON_HEADERS,
          body: { onPremisesImmutableId: 'g8Pclm4vok+vFWtMERklmg==' },
        },
        { id: 'write', method: 'PATCH', url: `/users/${ID.bob}`, headers: JSON_HEADERS, body: { displayName: 'Robert Smith' } },
        { id: 'count', method: 'GET', url: '/users?$count=true&$top=1', headers: { ConsistencyLevel: 'eventual' } },
      ]),
    );
    expect(result.get('ok')?.status).toBe(200);
    expect(result.get('missing')).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
    expect(result.get('conflict')).toMatchObject({ status: 400, body: { error: { code: 'ObjectConflict' } } });
    expect(result.get('write')?.status).toBe(204);
    expect(result.get('write')?.body).toBeUndefined();
    expect(result.get('count')?.body?.['@odata.count']).toBe(h.emulator.state.activeUsers().length);
    expect(h.emulator.state.activeUser(ID.bob)?.displayName).toBe('Robert Smith');
  });

  it('runs dependsOn in order, and answers 424 when a dependency failed', async () => {
    const result = byId(
      await batch([
        { id: 'read', method: 'GET', url: `/users/${ID.jane}?$select=onPremisesImmutableId`, dependsOn: ['set'] },
        {
          id: 'set',
          method: 'PATCH',
          url: `/users/${ID.jane}`,
          headers: JSON_HEADERS,
          body: { onPremisesImmutableId: 'batch0123456789abcdefg==' },
        },
        { id: 'bad', method: 'PATCH', url: `/users/${ID.janeSynced}`, headers: JSON_HEADERS, body: { displayName: 'X' } },
        { id: 'after-bad', method: 'GET', url: '/domains', dependsOn: ['bad'] },
      ]),
    );
    expect(result.get('read')?.body?.['onPremisesImmutableId']).toBe('batch0123456789abcdefg==');
    expect(result.get('bad')?.status).toBe(400);
    expect(result.get('after-bad')).toMatchObject({ status: 424, body: { error: { code: 'FailedDependency' } } });
  });

  it.each([
    [
      'duplicate ids',
      [
        { id: 'a', method: 'GET', url: '/domains' },
        { id: 'A', method: 'GET', url: '/domains' },
      ],
    ],
    ['an unknown dependency', [{ id: 'a', method: 'GET', url: '/domains', dependsOn: ['zz'] }]],
    [
      'a dependency cycle',
      [
        { id: 'a', method: 'GET', url: '/domains', dependsOn: ['b'] },
        { id: 'b', method: 'GET', url: '/domains', dependsOn: ['a'] },
      ],
    ],
    ['a write without Content-Type', [{ id: 'a', method: 'PATCH', url: `/users/${ID.jane}`, body: { displayName: 'X' } }]],
    ['no requests', []],
  ])('refuses a batch with %s (400)', async (_label, requests) => {
    const failure = await graphFailure(batch(requests as BatchRequest[]));
    expect(failure).toMatchObject({ status: 400, code: 'BadRequest' });
  });

  it('throttles each sub-request on its own, never the batch envelope', async () => {
    await h.close();
    h = await startGraph({ throttleRate: 1 });
    const result = await batch([{ id: '1', method: 'GET', url: '/domains' }]);
    expect(result.responses[0]).toMatchObject({
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 'TooManyRequests' } },
    });
  });

  it('accepts the format the SDK’s BatchRequestContent writes (absolute URLs, /v1.0 paths)', async () => {
    const content = new BatchRequestContent([
      { id: '1', request: new Request(`${h.emulator.url}/v1.0/users/${ID.jane}?$select=userPrincipalName`, { method: 'GET' }) },
      {
        id: '2',
        request: new Request(`${h.emulator.url}/v1.0/users/${ID.bob}`, {
          method: 'PATCH',
          body: JSON.stringify({ displayName: 'Bobby' }),
          headers: JSON_HEADERS,
        }),
      },
    ]);
    const raw: unknown = await h.client.api('/$batch').post(await content.getContent());
    const parsed = new BatchResponseContent(raw as { responses: [] });
    expect(await parsed.getResponseById('1').json()).toMatchObject({ userPrincipalName: 'jdoe@contoso.com' });
    expect(parsed.getResponseById('2').status).toBe(204);
  });
});
