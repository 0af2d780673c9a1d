/**
 * How `hardmatch check` writes: the look of `hardmatch-relay check` (a title per section, then
 * `OK:`, `FAILED:` with the fix in plain words on the next line, or `Skipped, because …`), and a
 * time limit on every check so a silent service cannot hang the report.
 */
import { isHardmatchError, toUserText } from '../errors/index.ts';

/** One check's result: ok, failed with a fix, or not run because an earlier check failed. */
export type Outcome =
  | { kind: 'ok'; text: string }
  /** `code`: the product's error code, when the failure is one of its errors (shown as `FAILED (CODE):`). */
  | { kind: 'failed'; text: string; fix: string; code?: string }
  | { kind: 'skipped'; because: string };

export const ok = (text: string): Outcome => ({ kind: 'ok', text });
export const failed = (text: string, fix: string, code?: string): Outcome =>
  code ? { kind: 'failed', text, fix, code } : { kind: 'failed', text, fix };
export const skipped = (because: string): Outcome => ({ kind: 'skipped', because });

/** Writes the report line by line; remembers whether anything failed. */
export class Report {
  #failures = 0;
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  line(text: string): void {
    this.#write(text);
  }

  section(title: string): void {
    this.#write('');
    this.#write(title);
  }

  outcome(outcome: Outcome): Outcome {
    if (outcome.kind === 'ok') this.#lines(`  OK: ${outcome.text}`);
    else if (outcome.kind === 'skipped') this.#lines(`  Skipped, because ${outcome.because}.`);
    else {
      this.#failures += 1;
      this.#lines(`  FAILED${outcome.code ? ` (${outcome.code})` : ''}: ${outcome.text}`);
      this.#lines(`    Fix: ${outcome.fix}`);
    }
    return outcome;
  }

  /** A text of several lines (a credential's message can be) stays indented under its outcome. */
  #lines(text: string): void {
    text
      .split(/\r?\n/)
      .filter((l, i) => i === 0 || l.trim() !== '')
      .forEach((l, i) => this.#write(i === 0 ? l : `      ${l.trim()}`));
  }

  get failures(): number {
    return this.#failures;
  }
}

/** A check that did not finish in time. */
export class CheckTimeout extends Error {
  readonly ms: number;

  constructor(ms: number) {
    super(`did not finish within ${formatSeconds(ms)}`);
    this.name = 'CheckTimeout';
    this.ms = ms;
  }
}

export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Runs `work`, rejecting with CheckTimeout after `ms` (the work itself is abandoned, not cancelled). */
export async function bounded<T>(ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(ms)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An error as a failed check: its own words (with the product's code), and `fix` when the check
 * knows better what to do here, else the product's next step for that code (errors/to-user-text.ts).
 */
export function failedFrom(err: unknown, fix?: string): Outcome {
  const fallback = 'Run the check again; if it keeps failing, look at the log on stderr (LOG_LEVEL=debug).';
  if (err instanceof CheckTimeout) return failed(`${err.message}.`, fix ?? fallback);
  if (isHardmatchError(err)) {
    const words = toUserText(err);
    const next = words.text.startsWith(err.message) ? words.text.slice(err.message.length).trim() : words.text;
    return failed(err.message, fix ?? (next || fallback), err.code);
  }
  return failed(err instanceof Error ? err.message : String(err), fix ?? fallback);
}
