/**
 * `hardmatch-relay [serve]` runs the relay agent; `hardmatch-relay check [<user>]` validates its
 * configuration end to end; `hardmatch-relay sync` runs SYNC_COMMAND once, as /v1/sync would, to try
 * it on the Entra Connect server. `cli.ts` (the shipped entry) and the sandbox's relay
 * (`src/sandbox/relay-cli.ts`, which adds fixture directories) run it with the process's
 * environment (and .env).
 */
import { config as loadDotenv } from 'dotenv';
import { loadRelayConfig } from '../../config/load-relay-config.ts';
import { ConfigError, isHardmatchError, toUserText } from '../../errors/index.ts';
import { createLogger } from '../../logging/logger.ts';
import { runCheck } from './check.ts';
import type { OpenFixtures } from './create-directory.ts';
import { startRelay } from './start-relay.ts';
import { createCommandSyncTrigger, locateProgram } from './sync-command.ts';

const USAGE = [
  'Usage:',
  '  hardmatch-relay [serve]         start the relay agent (default)',
  '  hardmatch-relay check [<user>]  check the configuration, the directory and one lookup',
  '  hardmatch-relay sync            run SYNC_COMMAND once (one Entra Connect delta sync) and print its output',
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

export interface RelayCliOptions {
  /** Serves RELAY_FIXTURES; only the sandbox's relay has it. */
  openFixtures?: OpenFixtures;
}

async function serve(env: NodeJS.ProcessEnv, options: RelayCliOptions): Promise<number> {
  const config = loadRelayConfig(env);
  const logger = createLogger({ level: config.logLevel, name: 'hardmatch-relay' });
  const relay = await startRelay(config, { logger, ...options });
  const signal = await waitForStopSignal();
  logger.info({ signal }, 'stopping');
  await relay.close();
  return 0;
}

async function check(env: NodeJS.ProcessEnv, sample: string | undefined, options: RelayCliOptions): Promise<number> {
  const config = loadRelayConfig(env);
  // Logs go to stderr so the report on stdout stays readable.
  const logger = createLogger({ level: config.logLevel, name: 'hardmatch-relay', destination: process.stderr });
  const write = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  return runCheck(config, {
    logger,
    write,
    ...options,
    locate: (program) => locateProgram(program, { env }),
    ...(sample === undefined ? {} : { sample }),
  });
}

async function sync(env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadRelayConfig(env);
  const logger = createLogger({ level: config.logLevel, name: 'hardmatch-relay', destination: process.stderr });
  const result = await createCommandSyncTrigger({ command: config.syncCommand, logger }).triggerSync();
  process.stdout.write(`Delta sync completed (${result.startedAt} to ${result.finishedAt}):\n${result.detail}\n`);
  return 0;
}

const COMMANDS: Record<string, (env: NodeJS.ProcessEnv, args: string[], options: RelayCliOptions) => Promise<number>> = {
  serve: (env, _args, options) => serve(env, options),
  check: (env, args, options) => check(env, args.join(' ') || undefined, options),
  sync: (env) => sync(env),
};

async function main(argv: string[], env: NodeJS.ProcessEnv, options: RelayCliOptions): Promise<number> {
  const [command = 'serve', ...args] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
    return 1;
  }
  loadDotenv({ quiet: true, processEnv: env });
  return run(env, args, options);
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

/** Runs one `hardmatch-relay` command; resolves the process's exit code (known errors printed, never a stack trace). */
export function runRelayCli(argv: string[], env: NodeJS.ProcessEnv, options: RelayCliOptions = {}): Promise<number> {
  return main(argv, env, options).catch((err: unknown) => {
    report(err);
    return 1;
  });
}
