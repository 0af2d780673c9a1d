/**
 * pino, with the secrets this product handles redacted wherever they appear in a log object.
 * Callers pass the logger down; nothing creates its own.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'key',
  'password',
  'secret',
  'token',
  'authorization',
  '*.key',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  'headers.authorization',
  'headers["x-hardmatch-signature"]',
  'headers.servicebusauthorization',
  'config.relay.key',
  'config.relayKey',
  'config.ldap.bindPassword',
  'config.botAuth.MicrosoftAppPassword',
];

export function createLogger(options: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const opts: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(options.name ? { name: options.name } : {}),
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
