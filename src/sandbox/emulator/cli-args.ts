/**
 * Command-line options of `npm run emulator`, parsed with node:util parseArgs. Every problem is
 * reported at once as a ConfigError naming the option, like the rest of the product's config.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../../errors/index.ts';
import { GRAPH_WRITE_QUOTA, parseWriteQuota, type WriteQuotaLimit } from './write-quota.ts';

function writeQuotaOption(problems: string[], value: string | undefined): WriteQuotaLimit | null {
  if (value === undefined) return GRAPH_WRITE_QUOTA;
  const parsed = parseWriteQuota(value);
  if (parsed !== null && 'problem' in parsed) {
    problems.push(`--write-quota: ${parsed.problem}`);
    return GRAPH_WRITE_QUOTA;
  }
  return parsed;
}

export interface CliOptions {
  seedFile: string;
  port: number;
  host: string;
  latencyMs: number;
  throttleRate: number;
  /** --write-quota: Graph's write quota per app and tenant (`3000/150` by default); null: off. */
  writeQuota: WriteQuotaLimit | null;
  /** Seeds the PRNG behind throttling so the same requests are throttled on every run. */
  randomSeed: number | undefined;
  https: boolean;
  /** Where to write the self-signed certificate (PEM) for clients to trust, with --https. */
  caCertOut: string | undefined;
  logLevel: string;
  /** --permissions: the Graph application permissions the emulated app holds; undefined = all. */
  permissions: string[] | undefined;
  /** --generate: start from a generated tenant of this many users instead of --seed. */
  generate: number | undefined;
  /** --generate-seed: the generator's PRNG seed (same seed, same tenant and directory). */
  generateSeed: number;
  /** --write-directory: a folder to write the generated AD users into (users.json), for RELAY_FIXTURES. */
  writeDirectory: string | undefined;
  /** --write-tenant: a file to write the generated tenant seed into, for --seed or SANDBOX_TENANT. */
  writeTenant: string | undefined;
  help: boolean;
}

export const USAGE = `Usage: npm run emulator -- --seed <file> [options]
       npm run emulator -- --generate <users> [--generate-seed <n>] [--write-directory <folder>] [options]

  --seed <file>          tenant seed (JSON; see src/sandbox/emulator/README.md)   required unless --generate
  --generate <users>     a generated tenant of that many users (+10% deleted) with a realistic
                         mix of broken matches, instead of --seed (1..1000000)
  --generate-seed <n>    the generator's seed: same seed, same tenant and AD  default 1
  --write-directory <d>  with --generate: write the matching AD users to <d>/users.json
                         (a fixture directory for RELAY_FIXTURES)
  --write-tenant <file>  with --generate: write the generated tenant seed to <file>
  --port <n>             TCP port                                              default 5099
  --host <address>       interface to listen on                                default 127.0.0.1
  --latency-ms <n>       delay added before every HTTP response                default 0
  --throttle-rate <r>    fraction 0..1 of requests answered 429 Retry-After: 1 default 0
  --write-quota <w>/<s>  writes per app and tenant per <s> seconds, beyond which
                         writes answer Graph's 429 with Retry-After, or off  default 3000/150
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
  if (!help && values.seed === undefined && values.generate === undefined) {
    problems.push('--seed: required (a tenant seed JSON file, e.g. src/sandbox/emulator/seeds/example.json), or --generate <users>');
  }
  if (values.seed !== undefined && values.generate !== undefined) problems.push('--generate: give either --seed or --generate, not both');
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
    writeQuota: writeQuotaOption(problems, values['write-quota']),
    randomSeed:
      values['random-seed'] === undefined
        ? undefined
        : numberOption(problems, 'random-seed', values['random-seed'], {
            fallback: 0,
            check: Number.isInteger,
            rule: 'must be an integer',
          }),
    https: values.https === true,
    caCertOut: values['ca-cert-out'],
    logLevel: values['log-level'] ?? 'info',
    permissions: values.permissions
      ?.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    generate:
      values.generate === undefined
        ? undefined
        : numberOption(problems, 'generate', values.generate, {
            fallback: 0,
            check: isInt(1, 1_000_000),
            rule: 'must be a number of users 1..1000000',
          }),
    generateSeed: numberOption(problems, 'generate-seed', values['generate-seed'], {
      fallback: 1,
      check: Number.isInteger,
      rule: 'must be an integer',
    }),
    writeDirectory: values['write-directory'],
    writeTenant: values['write-tenant'],
    help,
  };
  if (!LOG_LEVELS.includes(options.logLevel)) {
    problems.push(`--log-level: must be one of ${LOG_LEVELS.join(', ')}, got "${options.logLevel}"`);
  }
  if (options.caCertOut !== undefined && !options.https) problems.push('--ca-cert-out: only meaningful with --https');
  for (const name of ['write-directory', 'write-tenant', 'generate-seed'] as const) {
    if (values[name] !== undefined && values.generate === undefined) problems.push(`--${name}: only meaningful with --generate`);
  }
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
      'write-quota': { type: 'string' },
      'random-seed': { type: 'string' },
      https: { type: 'boolean' },
      'ca-cert-out': { type: 'string' },
      'log-level': { type: 'string' },
      permissions: { type: 'string' },
      generate: { type: 'string' },
      'generate-seed': { type: 'string' },
      'write-directory': { type: 'string' },
      'write-tenant': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}
