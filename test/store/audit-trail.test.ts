/**
 * The audit trail over one store shared by two bot instances: each instance remembers the head it
 * last wrote, so an append normally costs one write; when the other instance appended meanwhile,
 * the sequence number's compare-and-swap refuses the guess and the entry is chained onto the real
 * head. Several events of one change go in one write, in order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/audit/chain.ts';
import type { AuditEvent } from '../../src/domain/audit/types.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';

const logger = createLogger({ level: 'silent' });
const event = (summary: string, requestId = 'r-1'): AuditEvent => ({ requestId, at: 1_700_000_000_000, actor: null, action: 'step-done', summary });

let store: RequestStore;
beforeEach(() => {
  store = createSqliteStore(':memory:');
});
afterEach(() => store.close());

/** The store, counting reads of a trail (what a remembered head saves). */
function counting(inner: RequestStore): { store: RequestStore; reads: () => number } {
  let reads = 0;
  return {
    store: { ...inner, auditOf: (id) => ((reads += 1), inner.auditOf(id)) },
    reads: () => reads,
  };
}

describe('audit trail', () => {
  it('chains appends from two instances in turn without losing or forking an entry', async () => {
    const a = counting(store);
    const b = counting(store);
    const trailA = createAuditTrail(a.store, logger);
    const trailB = createAuditTrail(b.store, logger);
    for (let i = 0; i < 3; i += 1) {
      await trailA.append(event(`a${i}`));
      await trailB.append(event(`b${i}`));
    }
    const entries = await store.auditOf('r-1');
    expect(entries.map((e) => e.summary)).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(verifyChain(entries).ok).toBe(true);
  });

  it('reads the trail once, then appends from the head it remembers', async () => {
    const a = counting(store);
    const trail = createAuditTrail(a.store, logger);
    for (let i = 0; i < 5; i += 1) await trail.append(event(`e${i}`));
    expect(a.reads()).toBe(1);
    expect(verifyChain(await store.auditOf('r-1')).ok).toBe(true);
  });

  it('keeps one instance\'s concurrent appends in call order, and appends several events in one write', async () => {
    const trail = createAuditTrail(store, logger);
    const writes: number[] = [];
    const spy: RequestStore = { ...store, appendAudit: (e) => (writes.push(Array.isArray(e) ? e.length : 1), store.appendAudit(e)) };
    const spied = createAuditTrail(spy, logger);
    await Promise.all([spied.append(event('first')), spied.appendAll([event('second'), event('third')]), spied.append(event('fourth'))]);
    expect((await trail.entriesOf('r-1')).map((e) => [e.seq, e.summary])).toEqual([[1, 'first'], [2, 'second'], [3, 'third'], [4, 'fourth']]);
    expect(writes).toEqual([1, 2, 1]);
    await expect(spied.appendAll([event('x', 'r-1'), event('y', 'r-2')])).rejects.toThrow(/more than one request/);
  });
});
