/**
 * The chaos run's faults: a schedule drawn from the seed before the run starts (so a seed replays
 * the same faults at the same offsets, whatever the run's own timing), and the driver that plays
 * it on the stack: relay restarts, Graph fault windows through the fault proxy (429 with
 * Retry-After, 503, silence, answers lost after the request was done) and SIGKILLed bot
 * processes, each replaced by a new one. All of them transient.
 */
import { seededRandom } from '../../src/sandbox/emulator/prng.ts';
import type { GraphFault, GraphFaultProxy } from './graph-fault-proxy.ts';
import type { BotChild, MultiBotStack } from './multi-bot-stack.ts';

export type FaultKind = 'relay' | 'kill' | Exclude<GraphFault, 'pass'>;

export const FAULT_KINDS: readonly FaultKind[] = ['relay', 'throttle', 'unavailable', 'silent', 'lost', 'kill'];

export interface Fault {
  /** When it starts, from the start of the driver. */
  atMs: number;
  kind: FaultKind;
  /** How long the relay is down / the Graph window lasts / the kill waits after it is announced. */
  ms: number;
  /** For `kill`: which bot. */
  bot: 0 | 1;
}

/**
 * Faults every 0.2–1.2 s after the previous one ends, for `chaosMs`: each kind once first (in a
 * seeded order), then kinds at random. The relay stays down up to 1.5 s, a Graph window lasts
 * 0.5–3 s, a kill comes within 0.3 s.
 */
export function faultSchedule(seed: number, chaosMs: number): Fault[] {
  const random = seededRandom(seed);
  const first = [...FAULT_KINDS].sort(() => random() - 0.5);
  const faults: Fault[] = [];
  for (let at = 0; at < chaosMs || first.length > 0;) {
    at += Math.round(200 + random() * 1000);
    const kind: FaultKind = first.shift() ?? FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)] ?? 'relay';
    const ms = Math.round(kind === 'relay' ? random() * 1500 : kind === 'kill' ? random() * 300 : 500 + random() * 2500);
    faults.push({ atMs: at, kind, ms, bot: random() < 0.5 ? 0 : 1 });
    at += ms;
  }
  return faults;
}

export function describeFault(f: Fault): string {
  if (f.kind === 'relay') return `+${f.atMs} ms relay restart (down ${f.ms} ms)`;
  if (f.kind === 'kill') return `+${f.atMs} ms SIGKILL bot ${f.bot === 0 ? 'A' : 'B'}`;
  return `+${f.atMs} ms Graph ${f.kind} for ${f.ms} ms`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export interface FaultTargets {
  stack: MultiBotStack;
  proxy: GraphFaultProxy;
  /** The two running bots; a killed one is replaced in place. */
  bots: BotChild[];
  spawnBot(): Promise<BotChild>;
}

async function play(f: Fault, on: FaultTargets): Promise<void> {
  if (f.kind === 'relay') return on.stack.restartRelay(f.ms);
  if (f.kind === 'kill') {
    await sleep(f.ms);
    const victim = on.bots[f.bot];
    victim?.child.kill('SIGKILL');
    await victim?.exited;
    on.bots[f.bot] = await on.spawnBot();
    return;
  }
  on.proxy.set(f.kind);
  await sleep(f.ms);
  on.proxy.set('pass');
}

/** Plays `faults` at their offsets (late when the previous one overran); `onFault` runs as each starts. */
export async function driveFaults(faults: readonly Fault[], on: FaultTargets, onFault: (f: Fault) => void): Promise<void> {
  const started = performance.now();
  for (const f of faults) {
    await sleep(f.atMs - (performance.now() - started));
    onFault(f);
    await play(f, on);
  }
}
