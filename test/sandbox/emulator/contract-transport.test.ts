/**
 * Contract: what every request goes through: the bearer token, unknown paths and methods,
 * throttling (429 + Retry-After, honoured by the SDK's retry handler), injected latency, and the
 * request counter a benchmark reads.
 */
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../src/sandbox/emulator/server.ts';
import { ConfigError } from '../../../src/errors/index.ts';
import { errorOf, graphFailure, ID, startGraph, testSeed, type Harness } from './graph-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['an empty bearer token', ''],
  ])('answers 401 InvalidAuthenticationToken for %s', async (_label, token) => {
    h = await startGraph();
    const response = await h.raw('/v1.0/users', { token });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await errorOf(response)).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
  });

  it('applies acceptToken when given: the SDK’s token passes, another is refused', async () => {
    h = await startGraph({ acceptToken: (t) => t === 'test' });
    await expect(h.client.api('/domains').get()).resolves.toBeDefined();
    const response = await h.raw('/v1.0/domains', { token: 'forged' });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toBe('Access token validation failure.');
  });

  it('echoes client-request-id and sets request-id on every answer', async () => {
    h = await startGraph();
    const response = await h.raw('/v1.0/domains', { headers: { 'client-request-id': 'abc-123' } });
    expect(response.headers.get('client-request-id')).toBe('abc-123');
    expect(response.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('routing', () => {
  it.each(['/v1.0/nonsense', '/v1.0/users/x/nonsense', '/v2.0/users', '/'])('answers 404 Request_ResourceNotFound for %s', async (path) => {
    h = await startGraph();
    const response = await h.raw(path);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('Request_ResourceNotFound');
  });

  it.each([
    ['PUT', '/v1.0/users'],
    ['POST', `/v1.0/users/${ID.jane}`],
    ['DELETE', '/v1.0/domains'],
  ])('answers 405 for %s %s', async (method, path) => {
    h = await startGraph();
    const response = await h.raw(path, {
      method,
      body: method === 'DELETE' ? null : '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(405);
    expect(await errorOf(response)).toMatchObject({
      code: 'Request_BadRequest',
      message: 'Specified HTTP method is not allowed for the request target.',
    });
  });

  it('refuses a body that is not JSON', async () => {
    h = await startGraph();
    const response = await h.raw(`/v1.0/users/${ID.jane}`, {
      method: 'PATCH',
      body: '{not json',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('BadRequest');
  });
});

describe('throttling', () => {
  it('answers 429 TooManyRequests with Retry-After: 1 at throttle-rate 1', async () => {
    h = await startGraph({ throttleRate: 1 });
    const response = await h.raw('/v1.0/users');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect((await errorOf(response)).code).toBe('TooManyRequests');
    const noRetry = await graphFailure(
      h.client
        .api('/users')
        .middlewareOptions([new RetryHandlerOptions(0, 0)])
        .get(),
    );
    expect(noRetry).toMatchObject({ status: 429, code: 'TooManyRequests' });
  });

  it('is repeatable with a seeded random source, and the SDK retries after Retry-After', async () => {
    const draws = [0.1, 0.9];
    h = await startGraph({ throttleRate: 0.5, random: () => draws.shift() ?? 0.9 });
    const started = Date.now();
    const page = (await h.client.api('/domains').get()) as { value: unknown[] };
    expect(page.value).toHaveLength(4);
    expect(h.emulator.requestCount()).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});

describe('latency and the request counter', () => {
  it('delays every HTTP response by at least latencyMs', async () => {
    h = await startGraph({ latencyMs: 150 });
    const started = performance.now();
    await h.client.api('/domains').get();
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('counts a $batch as one request and delays it once', async () => {
    h = await startGraph({ latencyMs: 100 });
    const requests = Array.from({ length: 5 }, (_, i) => ({ id: String(i), method: 'GET', url: '/domains' }));
    const started = performance.now();
    await h.client.api('/$batch').post({ requests });
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    expect(h.emulator.requestCount()).toBe(1);
  });
});

describe('plain HTTP mode', () => {
  it('serves the same API over http:// for curl and raw clients', async () => {
    const emulator = await startEmulator({ seed: testSeed() });
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${emulator.url}/v1.0/users/${ID.jane}?$select=mail`, { headers: { Authorization: 'Bearer x' } });
      expect(await response.json()).toMatchObject({ id: ID.jane, mail: 'jdoe@contoso.com' });
      expect(emulator.caCertificate).toBeUndefined();
    } finally {
      await emulator.close();
    }
  });

  it('refuses bad options with a ConfigError naming each', async () => {
    const err: unknown = await startEmulator({ seed: testSeed(), throttleRate: 2, latencyMs: -1, port: 70000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      expect.stringMatching(/^port: must be an integer/),
      expect.stringMatching(/^latencyMs: must be a number >= 0/),
      expect.stringMatching(/^throttleRate: must be a fraction between 0 and 1/),
    ]);
  });
});
