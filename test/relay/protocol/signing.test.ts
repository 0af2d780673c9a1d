import { describe, expect, it } from 'vitest';
import type { RequestUnauthenticated } from '../../../src/errors/index.ts';
import {
  createMemoryNonceStore,
  MAX_CLOCK_SKEW_MS,
  SIGNATURE_HEADERS,
  signRequest,
  verifyRequest,
  type SignableRequest,
} from '../../../src/relay/protocol/signing.ts';

const KEY = 'k'.repeat(40);
const T0 = Date.parse('2026-11-22T10:00:00Z');
const REQ: SignableRequest = { method: 'POST', path: '/v1/lookup', body: '{"who":"jdoe"}' };

function reason(fn: () => void): RequestUnauthenticated['reason'] | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return (err as RequestUnauthenticated).reason;
  }
}

describe('relay request signing', () => {
  it('accepts a fresh, correctly signed request', () => {
    const headers = signRequest(KEY, REQ, T0);
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers, now: T0 + 1000, nonces: createMemoryNonceStore() }))).toBe(
      'accepted',
    );
  });

  it('refuses a request older than 5 minutes, and one from more than 5 minutes in the future', () => {
    const nonces = createMemoryNonceStore();
    const old = signRequest(KEY, REQ, T0 - MAX_CLOCK_SKEW_MS - 1);
    const future = signRequest(KEY, REQ, T0 + MAX_CLOCK_SKEW_MS + 1);
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: old, now: T0, nonces }))).toBe('stale');
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: future, now: T0, nonces }))).toBe('stale');
    const edge = signRequest(KEY, REQ, T0 - MAX_CLOCK_SKEW_MS);
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: edge, now: T0, nonces }))).toBe('accepted');
  });

  it('says which clock is ahead and by how much, in words that tell skew from a wrong key', () => {
    const message = (fn: () => void): string => {
      try {
        fn();
      } catch (err) {
        return (err as RequestUnauthenticated).message;
      }
      return 'accepted';
    };
    const nonces = createMemoryNonceStore();
    const slowBot = signRequest(KEY, REQ, T0 - 7 * 60_000);
    const fastBot = signRequest(KEY, REQ, T0 + 7 * 60_000);
    expect(message(() => verifyRequest({ key: KEY, request: REQ, headers: slowBot, now: T0, nonces }))).toBe(
      "Request timestamp is 420 s behind the relay's clock (at most 300 s either way): the bot's clock is slow or the relay's fast, or the request was sent again later. Set both clocks from NTP.",
    );
    expect(message(() => verifyRequest({ key: KEY, request: REQ, headers: fastBot, now: T0, nonces }))).toBe(
      "Request timestamp is 420 s ahead of the relay's clock (at most 300 s either way): the bot's clock is fast or the relay's slow. Set both clocks from NTP.",
    );
    const wrongKey = signRequest('w'.repeat(40), REQ, T0);
    const refusal = message(() => verifyRequest({ key: KEY, request: REQ, headers: wrongKey, now: T0, nonces }));
    expect(refusal).toBe('Request signature does not match (wrong key or altered request).');
    for (const headers of [slowBot, fastBot, wrongKey]) {
      const text = message(() => verifyRequest({ key: KEY, request: REQ, headers, now: T0, nonces }));
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(headers[SIGNATURE_HEADERS.signature]);
    }
  });

  it('refuses a replayed nonce, even with a new valid signature over the same nonce', () => {
    const nonces = createMemoryNonceStore();
    const headers = signRequest(KEY, REQ, T0, 'nonce-0123456789abcdef');
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers, now: T0, nonces }))).toBe('accepted');
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers, now: T0 + 10, nonces }))).toBe('replayed');
    const resigned = signRequest(KEY, REQ, T0 + 20, 'nonce-0123456789abcdef');
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: resigned, now: T0 + 20, nonces }))).toBe('replayed');
  });

  it('forgets a nonce only once its request could no longer be accepted anyway', () => {
    const nonces = createMemoryNonceStore();
    const headers = signRequest(KEY, REQ, T0, 'nonce-0123456789abcdef');
    verifyRequest({ key: KEY, request: REQ, headers, now: T0, nonces });
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers, now: T0 + MAX_CLOCK_SKEW_MS, nonces }))).toBe('replayed');
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers, now: T0 + MAX_CLOCK_SKEW_MS + 1, nonces }))).toBe('stale');
  });

  it('refuses a tampered body, path, method or timestamp', () => {
    const headers = signRequest(KEY, REQ, T0);
    const tampered: SignableRequest[] = [
      { ...REQ, body: '{"who":"administrator"}' },
      { ...REQ, path: '/v1/health' },
      { ...REQ, method: 'PUT' },
    ];
    for (const request of tampered) {
      expect(reason(() => verifyRequest({ key: KEY, request, headers, now: T0, nonces: createMemoryNonceStore() }))).toBe('bad-signature');
    }
    const shifted = { ...headers, [SIGNATURE_HEADERS.timestamp]: String(T0 + 1) };
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: shifted, now: T0, nonces: createMemoryNonceStore() }))).toBe(
      'bad-signature',
    );
  });

  it('refuses a request signed with another key', () => {
    const headers = signRequest('x'.repeat(40), REQ, T0);
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers, now: T0, nonces: createMemoryNonceStore() }))).toBe(
      'bad-signature',
    );
  });

  it('does not burn a nonce on a forged request (an attacker cannot block the real one)', () => {
    const nonces = createMemoryNonceStore();
    const real = signRequest(KEY, REQ, T0, 'nonce-0123456789abcdef');
    const forged = { ...real, [SIGNATURE_HEADERS.signature]: 'A'.repeat(43) };
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: forged, now: T0, nonces }))).toBe('bad-signature');
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: real, now: T0, nonces }))).toBe('accepted');
  });

  it('refuses missing and malformed headers', () => {
    const nonces = createMemoryNonceStore();
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: {}, now: T0, nonces }))).toBe('missing');
    const bad = { ...signRequest(KEY, REQ, T0), [SIGNATURE_HEADERS.timestamp]: 'yesterday' };
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: bad, now: T0, nonces }))).toBe('malformed');
    const shortNonce = { ...signRequest(KEY, REQ, T0), [SIGNATURE_HEADERS.nonce]: 'x' };
    expect(reason(() => verifyRequest({ key: KEY, request: REQ, headers: shortNonce, now: T0, nonces }))).toBe('malformed');
  });

  it('refuses new nonces rather than forgetting live ones when the store is full', () => {
    const nonces = createMemoryNonceStore(2);
    expect(nonces.remember('a'.repeat(16), T0 + 1000, T0)).toBe(true);
    expect(nonces.remember('b'.repeat(16), T0 + 1000, T0)).toBe(true);
    expect(nonces.remember('c'.repeat(16), T0 + 1000, T0)).toBe(false);
    expect(nonces.remember('c'.repeat(16), T0 + 3000, T0 + 2000)).toBe(true);
  });
});
