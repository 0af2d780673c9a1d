/** Unit: `npm run emulator` options, each problem named by its option. */
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../src/sandbox/emulator/cli-args.ts';
import { ConfigError } from '../../../src/errors/index.ts';

function problems(argv: string[]): readonly string[] {
  try {
    parseCliArgs(argv);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseCliArgs', () => {
  it('applies the defaults: port 5099, no latency, no throttling, plain HTTP', () => {
    expect(parseCliArgs(['--seed', 'tenant.json'])).toEqual({
      seedFile: 'tenant.json',
      port: 5099,
      host: '127.0.0.1',
      latencyMs: 0,
      throttleRate: 0,
      writeQuota: { writes: 3000, windowSeconds: 150 },
      randomSeed: undefined,
      https: false,
      caCertOut: undefined,
      logLevel: 'info',
      permissions: undefined,
      generate: undefined,
      generateSeed: 1,
      writeDirectory: undefined,
      writeTenant: undefined,
      help: false,
    });
  });

  it('reads --generate and what to write, without --seed', () => {
    expect(
      parseCliArgs(['--generate', '50000', '--generate-seed', '7', '--write-directory', 'ad', '--write-tenant', 't.json']),
    ).toMatchObject({
      generate: 50000,
      generateSeed: 7,
      writeDirectory: 'ad',
      writeTenant: 't.json',
    });
  });

  it('refuses --generate with --seed, a bad count, and generator options without --generate', () => {
    expect(() => parseCliArgs(['--seed', 't.json', '--generate', '10'])).toThrow('give either --seed or --generate, not both');
    expect(() => parseCliArgs(['--generate', '0'])).toThrow('--generate: must be a number of users 1..1000000, got "0"');
    expect(() => parseCliArgs(['--generate', 'lots'])).toThrow('--generate: must be a number of users');
    expect(() => parseCliArgs(['--seed', 't.json', '--write-directory', 'ad'])).toThrow(
      '--write-directory: only meaningful with --generate',
    );
  });

  it('reads every knob', () => {
    const options = parseCliArgs([
      '--seed=t.json',
      '--port',
      '0',
      '--latency-ms',
      '25',
      '--throttle-rate',
      '0.3',
      '--random-seed',
      '42',
      '--https',
      '--ca-cert-out',
      'ca.pem',
    ]);
    expect(options).toMatchObject({ port: 0, latencyMs: 25, throttleRate: 0.3, randomSeed: 42, https: true, caCertOut: 'ca.pem' });
  });

  it('reads --permissions as a comma-separated list', () => {
    expect(parseCliArgs(['--seed', 's', '--permissions', 'User.Read.All, Domain.Read.All,']).permissions).toEqual([
      'User.Read.All',
      'Domain.Read.All',
    ]);
  });

  it('requires --seed, with a hint', () => {
    expect(problems([])).toEqual([expect.stringMatching(/^--seed: required/)]);
  });

  it('names every bad value at once', () => {
    expect(problems(['--seed', 's', '--port', 'http', '--latency-ms=-5', '--throttle-rate', '1.5', '--ca-cert-out', 'x'])).toEqual([
      '--port: must be an integer 0..65535, got "http"',
      '--latency-ms: must be a number of milliseconds >= 0, got "-5"',
      '--throttle-rate: must be a fraction between 0 and 1, got "1.5"',
      '--ca-cert-out: only meaningful with --https',
    ]);
  });

  it('refuses an unknown option', () => {
    expect(problems(['--seed', 's', '--latency', '5'])).toEqual([expect.stringContaining("'--latency'")]);
  });
});
