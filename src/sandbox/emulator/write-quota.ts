/**
 * Graph's write quota, per app and tenant: Microsoft documents 3,000 writes per 150 s per app in a
 * tenant for Entra ID (directory) objects ("Microsoft Graph service-specific throttling limits",
 * identity and access). A write beyond it is answered 429 `TooManyRequests` with `Retry-After`
 * (whole seconds until the oldest write in the window leaves it), as Graph does, for single requests
 * and each `$batch` part alike; refused writes are not counted. A sliding window of the admitted
 * writes' times, per key. The bench configures a lower quota to make the limit bite in seconds.
 */
import { createHash } from 'node:crypto';

export interface WriteQuotaLimit {
  writes: number;
  windowSeconds: number;
}

/** Graph's documented limit for directory writes, per app and tenant. */
export const GRAPH_WRITE_QUOTA: WriteQuotaLimit = Object.freeze({ writes: 3_000, windowSeconds: 150 });

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export interface WriteQuota {
  readonly limit: WriteQuotaLimit;
  /** Counts the write against `key` (app and tenant) when within the quota. */
  admit(key: string): Admission;
  /** 429s answered so far, per key. */
  refusals(): Map<string, number>;
}

/** `now`: the real clock by default (the emulator's own clock may be frozen by a test). */
export function createWriteQuota(limit: WriteQuotaLimit = GRAPH_WRITE_QUOTA, now: () => number = Date.now): WriteQuota {
  const windowMs = limit.windowSeconds * 1000;
  const admitted = new Map<string, number[]>();
  const refused = new Map<string, number>();
  return {
    limit,
    admit(key) {
      const nowMs = now();
      const times = admitted.get(key) ?? [];
      let first = 0;
      while (first < times.length && (times[first] ?? 0) <= nowMs - windowMs) first += 1;
      if (first > 0) times.splice(0, first);
      if (times.length < limit.writes) {
        times.push(nowMs);
        admitted.set(key, times);
        return { admitted: true };
      }
      refused.set(key, (refused.get(key) ?? 0) + 1);
      const oldest = times[0] ?? nowMs;
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000)) };
    },
    refusals: () => new Map(refused),
  };
}

/**
 * The calling app, from its bearer token: the `appid` (v1) or `azp` (v2) claim of a JWT, else a
 * digest of the token itself (the emulator accepts opaque test tokens).
 */
export function callerApp(authorization: string | undefined): string {
  const token = /^Bearer\s+(.*)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '';
  const payload = token.split('.')[1];
  if (payload) {
    try {
      const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (typeof claims === 'object' && claims !== null) {
        const app = 'appid' in claims ? claims.appid : 'azp' in claims ? claims.azp : undefined;
        if (typeof app === 'string' && app !== '') return app;
      }
    } catch {
      // not a JWT: fall through
    }
  }
  return `token:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

/** Parses `--write-quota` / `writeQuota`: `<writes>/<seconds>` (e.g. `3000/150`) or `off`. */
export function parseWriteQuota(value: string): WriteQuotaLimit | null | { problem: string } {
  if (value.trim().toLowerCase() === 'off') return null;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const writes = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  if (!match || writes < 1 || windowSeconds < 1) return { problem: `must be <writes>/<seconds> (e.g. 3000/150) or off, got '${value}'` };
  return { writes, windowSeconds };
}
