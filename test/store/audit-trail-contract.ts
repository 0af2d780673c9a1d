/**
 * The audit trail written with its change, over any RequestStore (SQLite in the unit tier, Azure
 * Tables on Azurite in the integration tier): an entry and the change it records are one write,
 * so a crash between the write and the copy into the trail loses nothing (the next reader or
 * writer copies it), an entry never exists for a change that was not written, appends from two
 * instances chain without forking, and a truncated or re-chained trail does not verify.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainAfter } from '../../src/domain/audit/chain.ts';
import type { ApprovalRequest } from '../../src/domain/approval/types.ts';
import type { AuditEvent } from '../../src/domain/audit/types.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { createAuditTrail } from '../../src/store/audit-trail.ts';
import { request } from './fixtures.ts';

const logger = createLogger({ level: 'silent' });
const KEY = new TextEncoder().encode('a test audit key of at least 32 bytes!!');

export function describeAuditTrailOver(name: string, makeStore: () => Promise<RequestStore>): void {
  describe(`${name}: audit trail written with its change`, () => {
    let store: RequestStore;
    let r: ApprovalRequest;
    const event = (summary: string): AuditEvent => ({ requestId: r.id, at: 1_700_000_000_000, actor: null, action: 'step-done', summary });
    beforeEach(async () => {
      store = await makeStore();
      r = request();
      expect(await store.create(r)).toBe(true);
    });
    afterEach(() => store.close());

    it("chains appends from two instances in turn, one instance's concurrent appends in call order", async () => {
      const a = createAuditTrail(store, logger, KEY);
      const b = createAuditTrail(store, logger, KEY);
      for (let i = 0; i < 2; i += 1) {
        await a.append(event(`a${i}`));
        await b.append(event(`b${i}`));
      }
      await Promise.all([a.append(event('first')), a.appendAll([event('second'), event('third')]), a.append(event('fourth'))]);
      const read = await b.read(r.id);
      expect(read?.entries.map((e) => e.summary)).toEqual(['a0', 'b0', 'a1', 'b1', 'first', 'second', 'third', 'fourth']);
      expect(read?.verdict).toMatchObject({ ok: true, entries: 8 });
      expect((await store.get(r.id))?.value.auditHead?.length).toBe(8);
    });

    it('loses nothing when the instance dies between the change and the copy into the trail', async () => {
      const dying = createAuditTrail(store, logger, KEY);
      await dying.append(event('before the crash'));
      // The change and its entry written in one compare-and-swap; the process dies before `flush`.
      const stored = await store.get(r.id);
      if (!stored) throw new Error('not stored');
      const changed = await dying.stage({ ...stored.value, state: 'approved' }, [{ ...event('approved'), action: 'approved' }]);
      expect(await store.update(changed, stored.version)).not.toBeNull();
      expect((await store.auditOf(r.id)).map((e) => e.summary)).toEqual(['before the crash']);

      // Another instance reading the request copies the entry in; one writing next chains after it.
      const other = createAuditTrail(store, logger, KEY);
      await other.append(event('after the restart'));
      const read = await other.read(r.id);
      expect(read?.entries.map((e) => e.action)).toEqual(['step-done', 'approved', 'step-done']);
      expect(read?.verdict.ok).toBe(true);
      // The dead instance's flush arriving late adds nothing.
      await dying.flush(changed);
      expect(await store.auditOf(r.id)).toHaveLength(3);
    });

    it('writes no entry for a change whose compare-and-swap lost', async () => {
      const trail = createAuditTrail(store, logger, KEY);
      const stored = await store.get(r.id);
      if (!stored) throw new Error('not stored');
      await store.update({ ...stored.value, who: 'somebody else' }, stored.version);
      const lost = await trail.stage({ ...stored.value, state: 'approved' }, [{ ...event('approved'), action: 'approved' }]);
      expect(await store.update(lost, stored.version)).toBeNull();
      expect((await trail.read(r.id))?.entries).toEqual([]);
    });

    it('detects the last entries deleted and a trail re-chained without the key', async () => {
      const trail = createAuditTrail(store, logger, KEY);
      for (let i = 0; i < 4; i += 1) await trail.append(event(`e${i}`));
      const request = (await store.get(r.id))?.value as ApprovalRequest;
      const entries = await store.auditOf(r.id);
      const truncated = trail.verify(request, entries.slice(0, 2));
      expect(truncated).toMatchObject({ ok: false, brokenAt: 3 });
      if (!truncated.ok) expect(truncated.reason).toMatch(/the last 2 were removed/);
      // Somebody with write access to the store edits entry 2 and re-chains the rest (no key).
      const rechained = chainAfter(
        { seq: 1, hash: entries[0]?.hash ?? '' },
        entries.slice(1).map((e, i) => ({ ...e, summary: i === 0 ? 'edited' : e.summary })),
      );
      const forged = [entries[0], ...rechained].filter((e) => e !== undefined);
      expect(trail.verify(request, forged)).toMatchObject({ ok: false, brokenAt: 2 });
      // Even with the record's head rewritten to match the forgery, the key refuses it.
      const last = rechained.at(-1);
      expect(trail.verify({ ...request, auditHead: { length: 4, hash: last?.hash ?? '' } }, forged)).toMatchObject({
        ok: false,
        brokenAt: 2,
      });
    });
  });
}
