/** Start-up failures and clean shutdown, shared by the production and sandbox entry points. */
import { ConfigError, isHardmatchError } from '../errors/index.ts';

/**
 * Words for an error that stopped start-up, or undefined when it is unexpected (then the caller
 * prints it whole: a stack helps whoever debugs a crash at start-up). Configuration problems and
 * a busy port are the admin's to fix, so they get a plain message and no stack.
 */
export function describeStartupError(err: unknown): string | undefined {
  if (err instanceof ConfigError) return `Hardmatch cannot start. ${err.message}`;
  if (isHardmatchError(err)) return `Hardmatch cannot start: ${err.message} (${err.code})`;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const rawPort = (err as { port?: unknown } | undefined)?.port;
  const port = typeof rawPort === 'number' || typeof rawPort === 'string' ? String(rawPort) : '(unknown)';
  if (code === 'EADDRINUSE') {
    return `Hardmatch cannot start: port ${port} is already in use by another program. Stop it, or set PORT to a free port.`;
  }
  if (code === 'EACCES') {
    return `Hardmatch cannot start: not allowed to listen on port ${port} (ports below 1024 need privileges). Set PORT to 1024 or above.`;
  }
  return undefined;
}

/** Print why start-up failed and exit 1. */
export function exitOnStartupError(err: unknown): never {
  const words = describeStartupError(err);
  if (words) console.error(words);
  else console.error('Hardmatch cannot start: unexpected error.', err);
  process.exit(1);
}

/**
 * Run `close` once on SIGINT or SIGTERM, then exit. A second signal while closing exits at once,
 * so a stuck close never leaves the admin unable to stop the process.
 */
export function onShutdown(close: () => Promise<void>, report: (message: string, err?: unknown) => void): void {
  let closing = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (closing) {
      report(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    report(`${signal}: shutting down`);
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        report('shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
