/**
 * Unit: turning Graph failures into CloudError (status → code, Graph's code, message and details
 * kept) and the retry policy's arithmetic (Retry-After honoured or refused, backoff capped).
 */
import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import {
  failureFromBody,
  failureFromThrown,
  parseRetryAfter,
  toCloudError,
  type GraphFailure,
  type Operation,
} from '../../src/cloud-directory/errors.ts';
import { MIN_ATTEMPT_MS, retryDelay } from '../../src/cloud-directory/graph-transport.ts';

const OP: Operation = { what: 'purge user x', permission: 'User.DeleteRestore.All' };
const failure = (status: number, extra: Partial<GraphFailure> = {}): GraphFailure => ({
  status,
  code: 'SomeCode',
  message: 'Graph says no.',
  details: [],
  retryAfterMs: null,
  ...extra,
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, nothing else', () => {
    expect(parseRetryAfter('1')).toBe(1_000);
    expect(parseRetryAfter(' 2.5 ')).toBe(2_500);
    expect(parseRetryAfter('Thu, 05 Mar 2026 12:00:10 GMT', Date.parse('2026-03-05T12:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('Thu, 05 Mar 2026 11:00:00 GMT', Date.parse('2026-03-05T12:00:00Z'))).toBe(0);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
  });
});

describe('failureFromBody / failureFromThrown', () => {
  it("keeps Graph's code, message and detail messages from a batch sub-response", () => {
    const body = {
      error: {
        code: 'ObjectConflict',
        message: 'Another object with the same value for property onPremisesImmutableId already exists.',
        details: [{ code: 'ObjectConflict', target: 'onPremisesImmutableId', message: 'Conflicting object: User_abc' }],
      },
    };
    expect(failureFromBody(400, body, undefined)).toEqual({
      status: 400,
      code: 'ObjectConflict',
      message: 'Another object with the same value for property onPremisesImmutableId already exists.',
      details: ['Conflicting object: User_abc'],
      retryAfterMs: null,
    });
    expect(failureFromBody(429, undefined, '3')).toEqual({
      status: 429,
      code: null,
      message: 'HTTP 429',
      details: [],
      retryAfterMs: 3_000,
    });
  });

  it("reads the holder from the ConflictingObjects detail's target, as Graph documents the ObjectConflict body", () => {
    const message = 'Another object with the same value for property onPremisesImmutableId already exists.';
    const holder = 'User_70618293-a4b5-4c67-9e8f-901223344556';
    const body = {
      error: {
        code: 'ObjectConflict',
        message,
        details: [
          { code: 'ObjectConflict', message, target: 'onPremisesImmutableId' },
          { code: 'ConflictingObjects', message, target: holder },
        ],
      },
    };
    expect(failureFromBody(400, body, undefined).details).toEqual([`Conflicting object: ${holder}`]);
    const thrown = new GraphError(400, message);
    thrown.body = JSON.stringify(body);
    expect(failureFromThrown(thrown).details).toEqual([`Conflicting object: ${holder}`]);
  });

  it('reads a GraphError whether the SDK parsed the body or kept it as text', () => {
    const parsed = new GraphError(403, 'Insufficient privileges.');
    parsed.code = 'Authorization_RequestDenied';
    parsed.body = JSON.stringify({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' });
    expect(failureFromThrown(parsed)).toMatchObject({
      status: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges.',
    });
    const text = new GraphError(503);
    text.body = JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'Try later.' } });
    expect(failureFromThrown(text)).toMatchObject({ status: 503, code: 'ServiceUnavailable', message: 'Try later.' });
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    });
    expect(failureFromThrown(refused)).toMatchObject({ status: -1, code: null, network: { code: 'ECONNREFUSED' } });
    expect(failureFromThrown(refused).message).not.toContain('fetch failed');
  });
});

describe('toCloudError', () => {
  it.each([
    [400, 'CLOUD_REQUEST_FAILED'],
    [404, 'CLOUD_REQUEST_FAILED'],
    [401, 'CLOUD_AUTH_FAILED'],
    [403, 'CLOUD_AUTH_FAILED'],
    [429, 'CLOUD_THROTTLED'],
    [500, 'CLOUD_UNAVAILABLE'],
    [503, 'CLOUD_UNAVAILABLE'],
    [-1, 'CLOUD_UNAVAILABLE'],
  ])("maps status %i to %s with Graph's code and message", (status, code) => {
    const err = toCloudError(OP, failure(status));
    expect(err.code).toBe(code);
    expect(err.status).toBe(status === -1 ? null : status);
    expect(err.graphCode).toBe('SomeCode');
    expect(err.graphMessage).toBe('Graph says no.');
    expect(err.message).toContain('purge user x');
    expect(err.message).toContain('SomeCode: Graph says no.');
  });

  it('names the missing permission on a 403 and the holder from details', () => {
    expect(toCloudError(OP, failure(403)).message).toContain('needs the application permission User.DeleteRestore.All');
    const conflict = toCloudError(OP, failure(400, { code: 'ObjectConflict', details: ['Conflicting object: User_abc'] }));
    expect(conflict.message).toBe(
      'Microsoft Graph refused the request to purge user x (400 ObjectConflict: Graph says no. (Conflicting object: User_abc)).',
    );
  });

  it("a throttled request's error keeps how long Graph's last 429 asked to wait, so a bulk item can come back then", () => {
    expect(toCloudError(OP, failure(429, { retryAfterMs: 15_000 })).retryAfterMs).toBe(15_000);
    expect(toCloudError(OP, failure(429)).retryAfterMs).toBeNull();
    expect(toCloudError(OP, failure(503, { retryAfterMs: 15_000 })).retryAfterMs).toBeNull();
  });

  it('says how many attempts were made when it gave up retrying', () => {
    expect(toCloudError(OP, failure(429), { attempts: 4 }).message).toContain('after 4 attempts');
    expect(toCloudError(OP, failure(503), { attempts: 1 }).message).not.toContain('attempts');
  });
});

describe('retryDelay', () => {
  const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };
  const PLENTY = 60_000;

  it('waits exactly Retry-After on 429 whatever the attempt, while the deadline leaves time for another try', () => {
    expect(retryDelay(failure(429, { retryAfterMs: 1_000 }), 1, policy, PLENTY)).toBe(1_000);
    expect(retryDelay(failure(429, { retryAfterMs: 3_000 }), 1, policy, PLENTY)).toBe(3_000);
    expect(retryDelay(failure(429, { retryAfterMs: 1_000 }), 12, policy, PLENTY)).toBe(1_000);
    expect(retryDelay(failure(429, { retryAfterMs: 1_000 }), 1, policy, 1_000 + MIN_ATTEMPT_MS)).toBe(1_000);
    expect(retryDelay(failure(429, { retryAfterMs: 1_000 }), 1, policy, 1_000 + MIN_ATTEMPT_MS - 1)).toBeUndefined();
  });

  it('backs off exponentially with jitter between 50 % and 100 %, capped', () => {
    expect(retryDelay(failure(503), 1, policy, PLENTY, () => 0)).toBe(50);
    expect(retryDelay(failure(503), 1, policy, PLENTY, () => 1)).toBe(100);
    expect(retryDelay(failure(503), 3, policy, PLENTY, () => 1)).toBe(400);
    expect(retryDelay(failure(-1), 3, { ...policy, maxDelayMs: 300 }, PLENTY, () => 1)).toBe(300);
    expect(retryDelay(failure(429), 2, policy, PLENTY, () => 0)).toBe(100);
  });

  it('does not retry other statuses, nor 5xx / silence past the last attempt, nor past the deadline', () => {
    expect(retryDelay(failure(400), 1, policy, PLENTY)).toBeUndefined();
    expect(retryDelay(failure(404), 1, policy, PLENTY)).toBeUndefined();
    expect(retryDelay(failure(503), 4, policy, PLENTY)).toBeUndefined();
    expect(retryDelay(failure(-1), 4, policy, PLENTY)).toBeUndefined();
    expect(retryDelay(failure(503), 1, policy, 100)).toBeUndefined();
  });

  it('without a cap on tries, retries 5xx and silence for as long as the deadline leaves time', () => {
    const uncapped = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(retryDelay(failure(503), 12, uncapped, PLENTY, () => 1)).toBe(1_000);
    expect(retryDelay(failure(-1), 40, uncapped, PLENTY, () => 0)).toBe(500);
    expect(retryDelay(failure(503), 12, uncapped, 1_000 + MIN_ATTEMPT_MS - 1, () => 1)).toBeUndefined();
  });
});
