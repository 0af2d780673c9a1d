#!/usr/bin/env node
/**
 * `npm run check [-- <user>]` (deployed: `node check/cli.js` in the App Service's folder): loads the
 * bot's configuration exactly as `npm run bot` does (the environment, then `.env`), signs in to
 * Graph with the same DefaultAzureCredential, and runs every check (run-check.ts). `<user>` is whom
 * the relay look-up asks for. Exit code 0 when everything works, 1 otherwise.
 */
import { DefaultAzureCredential } from '@azure/identity';
import dotenv from 'dotenv';
import { loadConfig } from '../config/load-config.ts';
import type { Env } from '../config/parse-env.ts';
import { ConfigError } from '../errors/index.ts';
import { createLogger } from '../logging/logger.ts';
import { runCheck } from './run-check.ts';

const USAGE = [
  'Usage: npm run check [-- <user>]        (deployed: node check/cli.js [<user>])',
  '',
  "Checks the bot's configuration end to end: Graph sign-in and permissions, the relay, the store",
  'and the admins. <user> (e.g. jdoe) is looked up through the relay; default a random GUID.',
  'Configuration comes from environment variables or a .env file in the current directory.',
].join('\n');

/** Which of DefaultAzureCredential's sources the environment selects, in words; never a secret. */
function credentialSource(env: Env): string {
  if (env.AZURE_CLIENT_SECRET)
    return `the client secret of app ${env.AZURE_CLIENT_ID ?? '?'} in tenant ${env.AZURE_TENANT_ID ?? '?'} (secret not shown)`;
  if (env.AZURE_CLIENT_CERTIFICATE_PATH) return `the certificate ${env.AZURE_CLIENT_CERTIFICATE_PATH} of app ${env.AZURE_CLIENT_ID ?? '?'}`;
  if (env.AZURE_CLIENT_ID) return `the managed identity ${env.AZURE_CLIENT_ID} (DefaultAzureCredential)`;
  return 'DefaultAzureCredential (a managed identity, or a developer sign-in such as `az login`)';
}

async function main(argv: string[]): Promise<number> {
  if (argv.some((a) => a === '--help' || a === '-h' || a === 'help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  dotenv.config({ quiet: true });
  const env = process.env;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const lines = [
      'hardmatch check',
      '',
      'Configuration',
      '  FAILED: the configuration is invalid:',
      ...err.problems.map((p) => `    - ${p}`),
    ];
    lines.push(
      '    Fix: set the variables named above (README "Configuration"); the other checks need a valid configuration, so none ran.',
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    return 1;
  }
  // Logs go to stderr so the report on stdout stays readable; the report already says what failed.
  const logger = createLogger({
    level: ['debug', 'trace'].includes(config.logLevel) ? config.logLevel : 'error',
    name: 'hardmatch-check',
    destination: process.stderr,
  });
  const write = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const sample = argv.join(' ').trim();
  return runCheck(config, {
    write,
    logger,
    credential: new DefaultAzureCredential(),
    credentialSource: credentialSource(env),
    ...(sample ? { sample } : {}),
  });
}

main(process.argv.slice(2)).then(
  // Exit at once: a check abandoned at its time limit may still hold a socket open.
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`hardmatch check failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
