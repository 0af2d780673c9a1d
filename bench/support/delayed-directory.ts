/**
 * A Directory decorator that adds a fixed delay to every lookup: the bench's stand-in for the
 * round trip between the relay agent and a domain controller, so one relay call costs `delayMs`
 * on top of the real signing, HTTP and fixture matching. It also records when each lookup ran,
 * for the timeline that explains a slow run.
 */
import { preciseDelay } from '../../src/sandbox/emulator/precise-delay.ts';
import type { Directory } from '../../src/relay/agent/directory.ts';

export interface LookupSpan {
  /** Date.now() when the relay called the directory, and when it had the answer (the emulator logs in the same clock). */
  start: number;
  end: number;
}

export interface DelayedDirectory extends Directory {
  /** Every lookup so far, oldest first; the bench clears it between runs. */
  readonly spans: LookupSpan[];
}

/**
 * `pageDelayMs`: the domain controller's time for one page of a paged search (each page needs the
 * previous page's cookie, so these delays form one chain per read).
 */
export function withLookupDelay(inner: Directory, delayMs: number, pageDelayMs = 0): DelayedDirectory {
  const spans: LookupSpan[] = [];
  return {
    kind: inner.kind,
    spans,
    async lookup(who, limit) {
      const start = Date.now();
      const arrived = performance.now();
      const result = await inner.lookup(who, limit);
      // The domain controller's time to answer, its own search included (the fixture's matching stands in for it).
      if (delayMs > 0) await preciseDelay(delayMs, arrived);
      spans.push({ start, end: Date.now() });
      return result;
    },
    async *users(scope, pageSize) {
      let asked = performance.now();
      for await (const page of inner.users(scope, pageSize)) {
        if (pageDelayMs > 0) await preciseDelay(pageDelayMs, asked);
        yield page;
        asked = performance.now();
      }
    },
    check: () => inner.check(),
    close: () => inner.close(),
  };
}
