import { z } from 'zod';
import { ConfigError } from '../errors/index.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** Empty strings count as unset: `FOO=` in a .env file means "not configured". */
export function clean(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  return out;
}

/** Validate env against a zod schema; every problem is reported at once, each naming its variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const result = schema.safeParse(clean(env));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.length > 0 ? issue.path.join('.') : 'environment';
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Deep-freeze so no code can change configuration after start-up. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Shortest RELAY_KEY accepted (bot and relay alike): 32 characters ≈ 190 bits from a password generator. */
export const MIN_RELAY_KEY_LENGTH = 32;

/**
 * Cross-field checks run even when a single field already failed, so the admin sees every
 * problem in one start-up message rather than one per attempt.
 */
export const ALWAYS = { when: () => true } as const;

/** Port 0 asks the OS for a free port (tests, side-by-side instances). */
export const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback);

export const positiveMs = (fallback: number) =>
  z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(1).max(600_000).default(fallback);

export const httpUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http(s):// URL');

/** An Entra object id. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const wholeNumber = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`)
    .default(fallback);
