/**
 * The relay's default sync trigger: runs SYNC_COMMAND (by default `Start-ADSyncSyncCycle -PolicyType
 * Delta` through PowerShell) with `execFile`, never through a shell, under a time limit. The command
 * comes from the relay's own configuration only; a request carries no part of it.
 */
import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { basename, posix, win32 } from 'node:path';
import { ConfigError, SyncError } from '../../errors/index.ts';
import type { Logger } from '../../logging/logger.ts';
import type { SyncTrigger, SyncTriggerResult } from '../../ports/sync-trigger.ts';
import { MAX_SYNC_DETAIL_CHARS } from '../protocol/protocol.ts';

/** Start-ADSyncSyncCycle only starts the cycle and returns within seconds; two minutes is plenty. */
export const DEFAULT_SYNC_TIMEOUT_MS = 120_000;

/** Output kept from the command; a command printing more than this is stopped and reported. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

/** How much of a failing command's output its error message quotes (the card shows it). */
const MAX_ERROR_EXCERPT_CHARS = 500;

/**
 * Entra Connect's words when a cycle is already running, e.g. "Connector: contoso.onmicrosoft.com -
 * AAD is busy." or "Sync is already running".
 */
const BUSY_PATTERN = /\bbusy\b|\balready running\b/i;

export interface CommandSyncTriggerOptions {
  /** SYNC_COMMAND: program and arguments, split like a command line (double or single quotes group). */
  command: string;
  /** Default DEFAULT_SYNC_TIMEOUT_MS; the command is killed when it runs longer. */
  timeoutMs?: number;
  logger: Logger;
  /** Clock for startedAt/finishedAt, ms since the epoch. Default Date.now. */
  now?: () => number;
}

/**
 * Splits a command line into program and arguments. Quotes group words and are removed; there are
 * no escapes, so Windows paths (`C:\Program Files\...`) keep their backslashes.
 */
export function parseCommandLine(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new ConfigError([`SYNC_COMMAND: a ${quote} quote is not closed`]);
  if (inWord) words.push(current);
  if (words.length === 0 || words[0] === '') throw new ConfigError(['SYNC_COMMAND: names no program to run']);
  return words;
}

/** Trimmed output with runs of blank lines collapsed, cut at `max` characters. */
export function summarizeOutput(stdout: string, stderr: string, max: number = MAX_SYNC_DETAIL_CHARS): string {
  const text = [stdout, stderr]
    .map((part) =>
      part
        .replace(/\r\n?/g, '\n')
        .replace(/[ \t]+\n/g, '\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim(),
    )
    .filter((part) => part !== '')
    .join('\n');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export type CommandOutcome =
  | { kind: 'exited'; code: number; stdout: string; stderr: string }
  | { kind: 'killed'; signal: string; stdout: string; stderr: string }
  | { kind: 'timeout' }
  | { kind: 'too-much-output' }
  | { kind: 'not-started'; reason: string };

/** Runs a program with `execFile` (never a shell), stdin closed, killed after `timeoutMs`. */
export function execute(file: string, args: string[], timeoutMs: number): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: CommandOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const child = execFile(file, args, { encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return settle({ kind: 'exited', code: 0, stdout, stderr });
      if (typeof error.code === 'number') return settle({ kind: 'exited', code: error.code, stdout, stderr });
      if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return settle({ kind: 'too-much-output' });
      if (error.signal) return settle({ kind: 'killed', signal: error.signal, stdout, stderr });
      settle({ kind: 'not-started', reason: typeof error.code === 'string' ? error.code : error.message });
    });
    // PowerShell may wait for input that never comes; nothing is ever sent to the command.
    child.stdin?.end();
    // Our own timer rather than execFile's: it answers even when a grandchild keeps the pipes open.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle({ kind: 'timeout' });
    }, timeoutMs);
  });
}

export function excerpt(stdout: string, stderr: string): string {
  const text = summarizeOutput(stdout, stderr, MAX_ERROR_EXCERPT_CHARS);
  return text === '' ? 'no output' : text;
}

function toResult(outcome: CommandOutcome, program: string, timeoutMs: number): { detail: string } {
  switch (outcome.kind) {
    case 'exited': {
      if (BUSY_PATTERN.test(outcome.stdout) || BUSY_PATTERN.test(outcome.stderr)) {
        throw new SyncError('SYNC_BUSY', `Entra Connect is busy with another sync cycle (${excerpt(outcome.stdout, outcome.stderr)}).`);
      }
      if (outcome.code !== 0) {
        throw new SyncError(
          'SYNC_FAILED',
          `The sync command (${program}) failed with exit code ${outcome.code}: ${excerpt(outcome.stdout, outcome.stderr)}`,
          {
            details: { exitCode: outcome.code },
          },
        );
      }
      return { detail: summarizeOutput(outcome.stdout, outcome.stderr) || `The sync command (${program}) finished without output.` };
    }
    case 'killed':
      throw new SyncError(
        'SYNC_FAILED',
        `The sync command (${program}) was stopped by ${outcome.signal}: ${excerpt(outcome.stdout, outcome.stderr)}`,
      );
    case 'timeout':
      throw new SyncError(
        'SYNC_TIMEOUT',
        `The sync command (${program}) did not finish within ${Math.round(timeoutMs / 100) / 10} s and was stopped.`,
      );
    case 'too-much-output':
      throw new SyncError('SYNC_FAILED', `The sync command (${program}) printed more than ${MAX_OUTPUT_BYTES} bytes and was stopped.`);
    case 'not-started':
      throw new SyncError(
        'SYNC_FAILED',
        outcome.reason === 'ENOENT'
          ? `The sync command's program (${program}) was not found on the relay server; check SYNC_COMMAND.`
          : `The sync command (${program}) could not be started (${outcome.reason}); check SYNC_COMMAND.`,
      );
  }
}

/** Throws ConfigError at once when SYNC_COMMAND cannot be parsed, so start-up fails, not the first sync. */
export function createCommandSyncTrigger(options: CommandSyncTriggerOptions): SyncTrigger {
  const [file = '', ...args] = parseCommandLine(options.command);
  // Only the program's name is ever logged or shown: arguments could hold a remote host or credential.
  const program = basename(file.replaceAll('\\', '/'));
  const timeoutMs = options.timeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  return {
    async triggerSync(): Promise<SyncTriggerResult> {
      const started = now();
      options.logger.debug({ program }, 'sync command starting');
      const outcome = await execute(file, args, timeoutMs);
      const finished = now();
      options.logger.debug(
        { program, outcome: outcome.kind, exitCode: outcome.kind === 'exited' ? outcome.code : null, ms: finished - started },
        'sync command ended',
      );
      const { detail } = toResult(outcome, program, timeoutMs);
      return { startedAt: new Date(started).toISOString(), finishedAt: new Date(finished).toISOString(), detail };
    },
  };
}

export interface LocateOptions {
  /** The relay's environment: PATH (Path on Windows) and, on Windows, PATHEXT. */
  env: Readonly<Record<string, string | undefined>>;
  /** Default process.platform. */
  platform?: NodeJS.Platform;
  /** Whether a file exists and may be run. Default: fs access with X_OK (F_OK on Windows). */
  isRunnable?: (file: string) => Promise<boolean>;
}

async function runnable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    await access(file, platform === 'win32' ? constants.F_OK : constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Where the program of SYNC_COMMAND would be found, the way execFile finds it: a name with a
 * directory part is taken as it is; a bare name is searched along PATH, on Windows with each
 * PATHEXT extension when it has none. Undefined when it is nowhere.
 */
export async function locateProgram(program: string, options: LocateOptions): Promise<string | undefined> {
  const platform = options.platform ?? process.platform;
  const paths = platform === 'win32' ? win32 : posix;
  const isRunnable = options.isRunnable ?? ((file: string) => runnable(file, platform));
  const hasDirectory = platform === 'win32' ? /[\\/]/.test(program) : program.includes('/');
  const extensions =
    platform === 'win32' && paths.extname(program) === ''
      ? (options.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '')
      : [''];
  const candidates = hasDirectory
    ? extensions.map((ext) => program + ext)
    : (options.env.PATH ?? options.env.Path ?? '')
        .split(paths.delimiter)
        .filter((dir) => dir !== '')
        .flatMap((dir) => extensions.map((ext) => paths.join(dir, program + ext)));
  for (const candidate of candidates) {
    if (await isRunnable(candidate)) return candidate;
  }
  return undefined;
}
