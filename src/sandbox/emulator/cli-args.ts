/**
 * Command-line options of `npm run emulator`, parsed with node:util parseArgs. Every problem is
 * reported at once as a ConfigError naming the option, like the rest of the product's config.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../../errors/index.ts';

export interface CliOptions {
  seedFile: string;
  port: number;
  host: string;
  latencyMs: number;
  throttleRate: number;
  /** Seeds the PRNG behind throttling so the same requests are throttled on every run. */
  randomSeed: number | undefined;
  https: boolean;
  /** Where to write the self-signed certificate (PEM) for clients to trust, with --https. */
  caCertOut: string | undefined;
  logLevel: string;
  /** --permissions: the Graph application permissions the emulated app holds; undefined = all. */
  permissions: string[] | undefined;
  help: boolean;
}

export const USAGE = `Usage: npm run emulator -- --seed <file> [options]

  --seed <file>          tenant seed (JSON; see src/sandbox/emulator/README.md)        required
  --port <n>             TCP port                                              default 5099
  --host <address>       interface to listen on                                default 127.0.0.1
  --latency-ms <n>       delay added before every HTTP response                default 0
  --throttle-rate <r>    fraction 0..1 of requests answered 429 Retry-After: 1 default 0
  --random-seed <n>      make throttling repeatable (seeded PRNG)
  --https                serve HTTPS with a fresh self-signed certificate
  --ca-cert-out <file>   with --https: write that certificate (PEM) here, for NODE_EXTRA_CA_CERTS
  --log-level <level>    pino level (silent, error, warn, info, debug)        default info
  --permissions <list>   comma-separated Graph application permissions the app
                         holds; others answer 403 Authorization_RequestDenied  default all
  --help                 show this text`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

interface NumberRule {
  fallback: number;
  check: (n: number) => boolean;
  /** What a valid value is, for the error message. */
  rule: string;
}

function numberOption(problems: string[], name: string, raw: string | undefined, { fallback, check, rule }: NumberRule): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value)) {
    problems.push(`--${name}: ${rule}, got "${raw}"`);
    return fallback;
  }
  return value;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    throw new ConfigError([(err as Error).message]);
  }
  const problems: string[] = [];
  const help = values.help === true;
  if (!help && values.seed === undefined) {
    problems.push('--seed: required (a tenant seed JSON file, e.g. src/sandbox/emulator/seeds/example.json)');
  }
  const isInt = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;
  const options: CliOptions = {
    seedFile: values.seed ?? '',
    port: numberOption(problems, 'port', values.port, { fallback: 5099, check: isInt(0, 65535), rule: 'must be an integer 0..65535' }),
    host: values.host ?? '127.0.0.1',
    latencyMs: numberOption(problems, 'latency-ms', values['latency-ms'], {
      fallback: 0,
      check: (n) => n >= 0,
      rule: 'must be a number of milliseconds >= 0',
    }),
    throttleRate: numberOption(problems, 'throttle-rate', values['throttle-rate'], {
      fallback: 0,
      check: (n) => n >= 0 && n <= 1,
      rule: 'must be a fraction between 0 and 1',
    }),
    randomSeed:
      values['random-seed'] === undefined
        ? undefined
        : numberOption(problems, 'random-seed', values['random-seed'], { fallback: 0, check: Number.isInteger, rule: 'must be an integer' }),
    https: values.https === true,
    caCertOut: values['ca-cert-out'],
    logLevel: values['log-level'] ?? 'info',
    permissions: values.permissions?.split(',').map((p) => p.trim()).filter((p) => p !== ''),
    help,
  };
  if (!LOG_LEVELS.includes(options.logLevel)) {
    problems.push(`--log-level: must be one of ${LOG_LEVELS.join(', ')}, got "${options.logLevel}"`);
  }
  if (options.caCertOut !== undefined && !options.https) problems.push('--ca-cert-out: only meaningful with --https');
  if (problems.length > 0) throw new ConfigError(problems);
  return options;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      seed: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'latency-ms': { type: 'string' },
      'throttle-rate': { type: 'string' },
      'random-seed': { type: 'string' },
      https: { type: 'boolean' },
      'ca-cert-out': { type: 'string' },
      'log-level': { type: 'string' },
      permissions: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}
