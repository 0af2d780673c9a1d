/**
 * End-to-end authentication of relay requests, whatever the transport (LAN, VPN, Azure Relay).
 * Pure functions: the clock is a parameter, so tests and both ends agree on exactly one rule.
 *
 * signature = base64url(HMAC-SHA256(RELAY_KEY, METHOD \n PATH \n TIMESTAMP \n NONCE \n SHA256-HEX(BODY)))
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { RequestUnauthenticated } from '../errors/index.ts';

export const SIGNATURE_HEADERS = {
  timestamp: 'x-hardmatch-timestamp',
  nonce: 'x-hardmatch-nonce',
  signature: 'x-hardmatch-signature',
} as const;

/** Requests signed longer ago (or further in the future) than this are refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Shortest RELAY_KEY accepted: 32 characters ≈ 190 bits from a password generator. */
export const MIN_RELAY_KEY_LENGTH = 32;

export interface SignableRequest {
  method: string;
  /** Path with query string, exactly as sent, e.g. /v1/lookup. */
  path: string;
  body: string;
}

export type SignatureHeaders = Record<(typeof SIGNATURE_HEADERS)[keyof typeof SIGNATURE_HEADERS], string>;

function canonical(req: SignableRequest, timestamp: string, nonce: string): string {
  const bodyHash = createHash('sha256').update(req.body, 'utf8').digest('hex');
  return [req.method.toUpperCase(), req.path, timestamp, nonce, bodyHash].join('\n');
}

function mac(key: string, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

export function signRequest(
  key: string,
  req: SignableRequest,
  now: number,
  nonce: string = randomBytes(16).toString('base64url'),
): SignatureHeaders {
  const timestamp = String(now);
  return {
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: mac(key, canonical(req, timestamp, nonce)).toString('base64url'),
  };
}

/** Remembers nonces for as long as their timestamp is acceptable, so a replay is caught. */
export interface NonceStore {
  /** Returns false when the nonce was already seen. */
  remember(nonce: string, expiresAt: number, now: number): boolean;
}

export function createMemoryNonceStore(maxEntries = 100_000): NonceStore {
  const seen = new Map<string, number>();
  return {
    remember(nonce, expiresAt, now) {
      if (seen.size >= maxEntries || seen.size % 1024 === 0) {
        for (const [n, exp] of seen) if (exp < now) seen.delete(n);
      }
      const known = seen.get(nonce);
      if (known !== undefined && known >= now) return false;
      if (seen.size >= maxEntries) {
        // Still full of live nonces: refuse rather than forget one (forgetting would allow a replay).
        return false;
      }
      seen.set(nonce, expiresAt);
      return true;
    },
  };
}

export interface VerifyOptions {
  key: string;
  request: SignableRequest;
  headers: Record<string, string | string[] | undefined>;
  now: number;
  nonces: NonceStore;
}

function header(headers: VerifyOptions['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Throws RequestUnauthenticated; the nonce is recorded only once the signature is valid. */
export function verifyRequest({ key, request, headers, now, nonces }: VerifyOptions): void {
  const timestamp = header(headers, SIGNATURE_HEADERS.timestamp);
  const nonce = header(headers, SIGNATURE_HEADERS.nonce);
  const signature = header(headers, SIGNATURE_HEADERS.signature);
  if (!timestamp || !nonce || !signature) {
    throw new RequestUnauthenticated('missing', 'Signature headers are missing.');
  }
  if (!/^\d{1,16}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce)) {
    throw new RequestUnauthenticated('malformed', 'Signature headers are malformed.');
  }
  const sent = Number(timestamp);
  if (Math.abs(now - sent) > MAX_CLOCK_SKEW_MS) {
    throw new RequestUnauthenticated('stale', `Request timestamp is ${Math.round((now - sent) / 1000)} s off; at most 300 s allowed.`);
  }
  const expected = mac(key, canonical(request, timestamp, nonce));
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new RequestUnauthenticated('bad-signature', 'Request signature does not match (wrong key or altered request).');
  }
  if (!nonces.remember(nonce, sent + MAX_CLOCK_SKEW_MS, now)) {
    throw new RequestUnauthenticated('replayed', 'Request nonce was already used (replay).');
  }
}
