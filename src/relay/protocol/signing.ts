/**
 * End-to-end authentication of relay requests, whatever the transport (LAN, VPN, Azure Relay).
 * Pure functions: the clock is a parameter, so tests and both ends agree on exactly one rule.
 *
 * signature = base64url(HMAC-SHA256(RELAY_KEY, METHOD \n PATH \n TIMESTAMP \n NONCE \n SHA256-HEX(BODY)))
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { RequestUnauthenticated } from '../../errors/index.ts';

export const SIGNATURE_HEADERS = {
  timestamp: 'x-hardmatch-timestamp',
  nonce: 'x-hardmatch-nonce',
  signature: 'x-hardmatch-signature',
} as const;

/** Requests signed longer ago (or further in the future) than this are refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

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

/** The base64url form of a 32-byte HMAC-SHA256, unpadded: 43 characters, the last one from a 16-letter subset. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const TIMESTAMP_PATTERN = /^\d{1,16}$/;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The one value of a signature header. Node joins a repeated header into `a, b` in `headers`
 * and keeps each copy apart in `headersDistinct` (an array here); either way a request carrying
 * a header twice is refused, never resolved by picking one copy.
 */
function single(headers: VerifyOptions['headers'], name: string): string | undefined {
  const v = headers[name];
  if (!Array.isArray(v)) return v;
  if (v.length > 1) throw new RequestUnauthenticated('malformed', `Signature header ${name} is sent more than once.`);
  return v[0];
}

/**
 * Why a timestamp was refused, in words an admin can act on: which clock is ahead and by how
 * much. Only the two clocks are compared, so it holds nothing secret. `behindMs` > 0: the request
 * was signed before the relay's now.
 */
function skewText(behindMs: number): string {
  const seconds = Math.round(Math.abs(behindMs) / 1000);
  const window = `(at most ${MAX_CLOCK_SKEW_MS / 1000} s either way)`;
  const why =
    behindMs > 0
      ? "the bot's clock is slow or the relay's fast, or the request was sent again later"
      : "the bot's clock is fast or the relay's slow";
  return `Request timestamp is ${seconds} s ${behindMs > 0 ? 'behind' : 'ahead of'} the relay's clock ${window}: ${why}. Set both clocks from NTP.`;
}

/** Throws RequestUnauthenticated; the nonce is recorded only once the signature is valid. */
export function verifyRequest({ key, request, headers, now, nonces }: VerifyOptions): void {
  const timestamp = single(headers, SIGNATURE_HEADERS.timestamp);
  const nonce = single(headers, SIGNATURE_HEADERS.nonce);
  const signature = single(headers, SIGNATURE_HEADERS.signature);
  if (!timestamp || !nonce || !signature) {
    throw new RequestUnauthenticated('missing', 'Signature headers are missing.');
  }
  // Strict shapes: a decoder that skips stray characters would accept `sig, ` or `si!g` as `sig`.
  if (!TIMESTAMP_PATTERN.test(timestamp) || !NONCE_PATTERN.test(nonce) || !SIGNATURE_PATTERN.test(signature)) {
    throw new RequestUnauthenticated('malformed', 'Signature headers are malformed.');
  }
  const sent = Number(timestamp);
  if (Math.abs(now - sent) > MAX_CLOCK_SKEW_MS) throw new RequestUnauthenticated('stale', skewText(now - sent));
  const expected = mac(key, canonical(request, timestamp, nonce));
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new RequestUnauthenticated('bad-signature', 'Request signature does not match (wrong key or altered request).');
  }
  if (!nonces.remember(nonce, sent + MAX_CLOCK_SKEW_MS, now)) {
    throw new RequestUnauthenticated('replayed', 'Request nonce was already used (replay).');
  }
}
