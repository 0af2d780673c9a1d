/**
 * Where the time of one `match` went: the run's timeline (relay look-ups and Graph requests as the
 * relay and the emulator saw them) cut into busy blocks and the idle gaps between them. A gap is
 * time the bot spent on its own (HTTP in and out, signing, parsing, diagnosis, card, reply), so
 * the largest gap names the serial step to fix when the ratio to the bound is too high.
 */
import { percentile } from './stats.ts';

export interface Timeline {
  sent: number;
  replied: number;
  relay: readonly { start: number; end: number }[];
  graph: readonly { start: number; end: number }[];
}

interface Block {
  start: number;
  end: number;
  /** First and last kinds of work in the block (a block can hold relay and Graph overlapping). */
  first: string;
  last: string;
}

function blocks(timeline: Timeline): Block[] {
  const spans = [...timeline.relay.map((s) => ({ ...s, kind: 'relay' })), ...timeline.graph.map((s) => ({ ...s, kind: 'graph' }))]
    .map((s) => ({ ...s, start: Math.max(s.start, timeline.sent), end: Math.min(s.end, timeline.replied) }))
    .filter((s) => s.end >= s.start)
    .sort((a, b) => a.start - b.start);
  const out: Block[] = [];
  for (const span of spans) {
    const current = out.at(-1);
    if (current && span.start <= current.end) {
      if (span.end >= current.end) {
        current.end = span.end;
        current.last = span.kind;
      }
    } else {
      out.push({ start: span.start, end: span.end, first: span.kind, last: span.kind });
    }
  }
  return out;
}

/**
 * Phase name → milliseconds for one run. Busy phases: `relay busy`, `graph busy` (incl. the
 * injected latency); idle phases: `→relay` (bot ingest, relay client, relay HTTP), `relay→graph`,
 * `graph→graph` (between dependent batches), `→reply` (diagnosis, card, connector POST).
 */
export function phasesOf(timeline: Timeline): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (name: string, ms: number): void => {
    out[name] = (out[name] ?? 0) + ms;
  };
  let cursor = timeline.sent;
  let previous = '';
  for (const block of blocks(timeline)) {
    add(previous === '' ? `→${block.first}` : `${previous}→${block.first}`, block.start - cursor);
    add(block.first === block.last ? `${block.first} busy` : `${block.first}+${block.last} busy`, block.end - block.start);
    cursor = block.end;
    previous = block.last;
  }
  add(previous === '' ? 'no relay/graph→reply' : '→reply', timeline.replied - cursor);
  return out;
}

/** Median of each phase over many runs (a phase missing from a run counts as 0 there). */
export function medianPhases(runs: readonly Record<string, number>[]): [string, number][] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return names.map((name) => {
    const sorted = runs.map((r) => r[name] ?? 0).sort((a, b) => a - b);
    return [name, percentile(sorted, 50)] as [string, number];
  });
}
