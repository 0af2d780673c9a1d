/**
 * A scan's report handed to the store chunk by chunk while the scan runs, so a scan holds at most a
 * few chunks of rows instead of the whole report (50,000 rows are about 30 MB in memory). Writes go
 * one after another, without the diagnosis waiting on them; the first failed write is the scan's
 * failure (`failure` says so after each page, `finish` throws it).
 */
import type { ReportRow } from '../domain/bulk/report.ts';

export interface ReportSink {
  /** Rows per chunk; chunk n holds rows n × size to (n + 1) × size − 1. */
  size: number;
  save(n: number, rows: ReportRow[]): Promise<void>;
}

export class ReportWriter {
  readonly #sink: ReportSink;
  #chunks = 0;
  #writing: Promise<void> = Promise.resolve();
  #failed: { error: unknown } | undefined;

  constructor(sink: ReportSink) {
    this.#sink = sink;
  }

  /** Takes every full chunk off the front of `rows` (every row, when `all`) and queues its write. */
  take(rows: ReportRow[], all = false): void {
    while (rows.length >= this.#sink.size || (all && rows.length > 0)) {
      const chunk = rows.splice(0, this.#sink.size);
      const n = this.#chunks++;
      this.#writing = this.#writing.then(() => this.#sink.save(n, chunk));
      // Noted at once, so a failed write is never an unhandled rejection while the scan goes on.
      this.#writing.catch((error: unknown) => (this.#failed ??= { error }));
    }
  }

  /** The first write that failed, if one has. */
  get failure(): { error: unknown } | undefined {
    return this.#failed;
  }

  /** Waits for every queued write; answers how many chunks were written. */
  async finish(): Promise<number> {
    await this.#writing;
    return this.#chunks;
  }
}
