/**
 * The chaos run's verdict on every request once the faults stop: in a final state; done unless it
 * met the permanent fault (one of its writes refused for good: then failed, naming it); planned as
 * its catalog scenario says; no Graph write journaled twice by the emulator (same method, version,
 * path and body); its audit trail verifying against the head and length its record carries (with
 * the run's AUDIT_KEY). And the printout.
 */
import { FINAL_STATES, type ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { AuditEntry } from '../../src/domain/audit/types.ts';
import type { GraphWrite } from '../../src/sandbox/emulator/state.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import type { ChaosRemediation } from './chaos-tenant.ts';

/** The permanent fault: writes to the target refused 403 with this Graph code. */
export const PERMANENT_FAULT = 'Authorization_RequestDenied';

export interface RaisedRequest {
  id: string;
  remediation: ChaosRemediation;
  /** Met the permanent fault: must end failed naming PERMANENT_FAULT. */
  permanent: boolean;
}

export interface ChaosVerdict {
  states: Record<string, number>;
  notFinal: string[];
  /** Failed (or ended otherwise than done) although every fault it met was transient. */
  unexpected: string[];
  /** Met the permanent fault but did not end failed naming it. */
  permanentNotNamed: string[];
  /** Each failed request with what its trail says. */
  failures: string[];
  wrongPlans: string[];
  duplicateWrites: string[];
  brokenTrails: string[];
}

export function isClean(v: ChaosVerdict): boolean {
  return [v.notFinal, v.unexpected, v.permanentNotNamed, v.wrongPlans, v.duplicateWrites, v.brokenTrails].every((l) => l.length === 0);
}

function failureOf(entries: readonly AuditEntry[]): string {
  const failed = entries.find((e) => e.action === 'failed');
  const step = entries.findLast((e) => e.action === 'step-failed');
  return [failed?.summary, step?.summary].filter(Boolean).join(' ') || '(no failed entry)';
}

function judge(v: ChaosVerdict, r: RaisedRequest, record: ApprovalRequest | undefined, entries: readonly AuditEntry[]): void {
  const state = record?.state ?? 'missing';
  const label = `${r.id} (${r.remediation.scenario} ${r.remediation.who})`;
  v.states[state] = (v.states[state] ?? 0) + 1;
  if (!record || !FINAL_STATES.includes(record.state)) v.notFinal.push(`${label} ${state}`);
  const failure = failureOf(entries);
  if (state === 'failed') v.failures.push(`${label}${r.permanent ? ' [permanent fault]' : ''}: ${failure}`);
  if (r.permanent && !(state === 'failed' && failure.includes(PERMANENT_FAULT))) v.permanentNotNamed.push(`${label} ${state}`);
  if (!r.permanent && state !== 'done') v.unexpected.push(`${label} ${state}${state === 'failed' ? `: ${failure}` : ''}`);
  const planned = record?.steps.map((s) => s.kind).join(' → ');
  if (planned !== r.remediation.steps.join(' → ')) v.wrongPlans.push(`${label}: ${planned ?? 'no record'}`);
}

export async function checkRequests(
  store: RequestStore,
  raised: readonly RaisedRequest[],
  records: readonly (ApprovalRequest | undefined)[],
  writes: readonly GraphWrite[],
  auditKey: Uint8Array,
): Promise<ChaosVerdict> {
  const audit = createAuditTrail(store, createLogger({ level: 'silent' }), auditKey);
  const v: ChaosVerdict = {
    states: {},
    notFinal: [],
    unexpected: [],
    permanentNotNamed: [],
    failures: [],
    wrongPlans: [],
    duplicateWrites: [],
    brokenTrails: [],
  };
  for (const [i, r] of raised.entries()) {
    const record = records[i];
    const entries = await audit.entriesOf(r.id);
    judge(v, r, record, entries);
    const verdict = record ? audit.verify(record, entries) : { ok: false, reason: 'no record' };
    if (!verdict.ok) v.brokenTrails.push(`${r.id}: ${'reason' in verdict ? String(verdict.reason) : ''}`);
  }
  const seen = new Map<string, number>();
  for (const w of writes) {
    const key = `${w.method} /${w.version}${w.path} ${w.body}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  for (const [write, n] of seen) if (n > 1) v.duplicateWrites.push(`${write} x${n}`);
  return v;
}

const list = (items: readonly string[], sep = ', '): string => `${items.length}${items.length ? `: ${items.join(sep)}` : ''}`;
const counts = (r: Record<string, number>): string =>
  Object.entries(r)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

export interface ChaosSummary {
  seed: number;
  count: number;
  mix: Record<string, number>;
  permanent: string[];
  faults: string[];
  injected: Record<string, number>;
  verdict: ChaosVerdict;
  ms: number;
}

export function printChaos(s: ChaosSummary): void {
  const v = s.verdict;
  console.log(`chaos: ${s.count} remediations, seed ${s.seed} (replay: CHAOS_SEED=${s.seed})`);
  console.log(`catalog mix: ${counts(s.mix)}`);
  console.log(`permanent fault (${PERMANENT_FAULT} on every write to the target): ${s.permanent.join(', ')}`);
  for (const f of s.faults) console.log(`  ${f}`);
  console.log(`Graph requests faulted: ${counts(s.injected)}`);
  console.log(`final states: ${counts(v.states)}`);
  console.log(`not final (executing or other): ${list(v.notFinal)}`);
  for (const f of v.failures) console.log(`  failed ${f}`);
  console.log(`ended otherwise than done without a permanent fault: ${list(v.unexpected, '; ')}`);
  console.log(`permanent fault not named by a failure: ${list(v.permanentNotNamed)}`);
  console.log(`plans not as the catalog says: ${list(v.wrongPlans, '; ')}`);
  console.log(`writes sent twice: ${list(v.duplicateWrites)}`);
  console.log(`audit trails not verifying: ${list(v.brokenTrails, '; ')}`);
  console.log(`time: ${(s.ms / 1000).toFixed(1)} s`);
}
