#!/usr/bin/env node
/**
 * `hardmatch-relay [serve]` runs the relay agent; `hardmatch-relay check [<user>]` validates its
 * configuration end to end. The only place in the relay that reads process.env (and .env).
 */
import { config as loadDotenv } from 'dotenv';
import { loadRelayConfig } from '../config/load-relay-config.ts';
import { ConfigError, isHardmatchError, toUserText } from '../errors/index.ts';
import { createLogger } from '../logging/logger.ts';
import { runCheck } from './check.ts';
import { startRelay } from './start-relay.ts';

const USAGE = [
  'Usage:',
  '  hardmatch-relay [serve]         start the relay agent (default)',
  '  hardmatch-relay check [<user>]  check the configuration, the directory and one lookup',
  '',
  'Configuration comes from environment variables or a .env file in the current directory.',
].join('\n');

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function serve(env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadRelayConfig(env);
  const logger = createLogger({ level: config.logLevel, name: 'hardmatch-relay' });
  const relay = await startRelay(config, { logger });
  const signal = await waitForStopSignal();
  logger.info({ signal }, 'stopping');
  await relay.close();
  return 0;
}

async function check(env: NodeJS.ProcessEnv, sample: string | undefined): Promise<number> {
  const config = loadRelayConfig(env);
  // Logs go to stderr so the report on stdout stays readable.
  const logger = createLogger({ level: config.logLevel, name: 'hardmatch-relay', destination: process.stderr });
  const write = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  return runCheck(config, { logger, write, ...(sample === undefined ? {} : { sample }) });
}

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...args] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'serve' && command !== 'check') {
    process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
    return 1;
  }
  loadDotenv({ quiet: true });
  return command === 'check' ? check(process.env, args.join(' ') || undefined) : serve(process.env);
}

/** Known errors print their words, never a stack trace; the exit code says it failed. */
function report(err: unknown): void {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else if (isHardmatchError(err)) {
    const text = toUserText(err);
    process.stderr.write(`${text.title}: ${text.text}\n`);
  } else {
    process.stderr.write(`hardmatch-relay failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    report(err);
    process.exitCode = 1;
  },
);
