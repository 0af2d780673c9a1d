/**
 * The one contract every RequestStore passes (src/ports/request-store.ts). Each test gets a fresh,
 * empty store from `makeStore` and closes it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest, RequestState } from '../../src/domain/approval/types.ts';
import type { RequestStore } from '../../src/ports/request-store.ts';
import { auditEntry, largeRequest, OTHER_TENANT, request, requestId, TENANT } from './fixtures.ts';

const ids = (list: { value: ApprovalRequest }[]): string[] => list.map((r) => r.value.id);

export function describeStoreContract(name: string, makeStore: () => Promise<RequestStore>): void {
  describe(`${name}: RequestStore contract`, () => {
    let store: RequestStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('requests', () => {
      it('gives back exactly what was created, with a version', async () => {
        const r = request();
        expect(await store.create(r)).toBe(true);
        const got = await store.get(r.id);
        expect(got?.value).toEqual(r);
        expect(typeof got?.version).toBe('string');
        expect(await store.get('r-unknown')).toBeNull();
      });

      it('round-trips a request whose JSON is over 200 KB, non-ASCII text included', async () => {
        const r = largeRequest();
        expect(JSON.stringify(r).length).toBeGreaterThan(200_000);
        expect(await store.create(r)).toBe(true);
        expect((await store.get(r.id))?.value).toEqual(r);
        const next = { ...r, state: 'approved' as const, updatedAt: r.updatedAt + 1 };
        const version = (await store.get(r.id))?.version ?? '';
        expect((await store.update(next, version))?.value).toEqual(next);
        expect((await store.get(r.id))?.value).toEqual(next);
      });

      it('refuses a second create with the same id and keeps the first', async () => {
        const r = request();
        expect(await store.create(r)).toBe(true);
        expect(await store.create({ ...r, command: 'match someone-else' })).toBe(false);
        expect((await store.get(r.id))?.value).toEqual(r);
      });

      it('updates only from the current version; a stale version writes nothing', async () => {
        const r = request();
        await store.create(r);
        const v1 = (await store.get(r.id))?.version ?? '';
        const approved = { ...r, state: 'approved' as const, updatedAt: r.updatedAt + 1 };
        const v2 = await store.update(approved, v1);
        expect(v2?.value).toEqual(approved);
        expect(v2?.version).not.toBe(v1);
        expect(await store.get(r.id)).toEqual(v2);

        expect(await store.update({ ...r, state: 'rejected' }, v1)).toBeNull();
        expect(await store.update({ ...r, state: 'rejected' }, 'not-a-version')).toBeNull();
        expect(await store.get(r.id)).toEqual(v2);
        expect(await store.update(request(), v1)).toBeNull();
      });

      it('lets exactly one of 20 concurrent updates from the same version win', async () => {
        const r = request();
        await store.create(r);
        const v1 = (await store.get(r.id))?.version ?? '';
        const attempts = Array.from({ length: 20 }, (_, i) => ({ ...r, justification: `writer ${i}`, updatedAt: r.updatedAt + i }));
        const results = await Promise.all(attempts.map((next) => store.update(next, v1)));
        const winners = results.filter((x) => x !== null);
        expect(winners).toHaveLength(1);
        expect(await store.get(r.id)).toEqual(winners[0]);
      });

      it("lists a tenant's requests in the given states, oldest first", async () => {
        const made: ApprovalRequest[] = [
          request({ state: 'requested', createdAt: 5_000 }),
          request({ state: 'executing', createdAt: 1_000 }),
          request({ state: 'done', createdAt: 2_000 }),
          request({ state: 'requested', createdAt: 3_000 }),
          request({ state: 'requested', createdAt: 4_000, tenantId: OTHER_TENANT }),
          request({ state: 'proposed', createdAt: 500 }),
        ];
        for (const r of made) expect(await store.create(r)).toBe(true);
        const [late, executing, done, early, other, proposed] = made.map((r) => r.id);

        expect(ids(await store.listByState(TENANT, ['requested', 'executing']))).toEqual([executing, early, late]);
        expect(ids(await store.listByState(TENANT, ['done']))).toEqual([done]);
        expect(ids(await store.listByState(OTHER_TENANT, ['requested']))).toEqual([other]);
        expect(await store.listByState(TENANT, ['failed'])).toEqual([]);
        expect(await store.listByState(TENANT, [])).toEqual([]);

        const all = await store.listByState(TENANT, ['proposed', 'requested', 'executing', 'done']);
        expect(ids(all)).toEqual([proposed, executing, done, early, late]);
        expect(all[0]).toEqual(await store.get(proposed ?? ''));
      });

      it('lists by the stored state, after an update moved it', async () => {
        const r = request({ state: 'requested' });
        await store.create(r);
        const v1 = (await store.get(r.id))?.version ?? '';
        await store.update({ ...r, state: 'cancelled' }, v1);
        const states: RequestState[] = ['requested'];
        expect(await store.listByState(TENANT, states)).toEqual([]);
        expect(ids(await store.listByState(TENANT, ['cancelled']))).toEqual([r.id]);
      });
    });

    describe('audit', () => {
      it('appends entries once per seq and reads them back ordered by seq (2 before 10)', async () => {
        const id = requestId();
        const entries = Array.from({ length: 12 }, (_, i) => auditEntry(id, i + 1));
        const big = auditEntry(id, 7, { after: { note: 'ø'.repeat(90_000) } });
        entries[6] = big;
        for (const e of [...entries].reverse()) expect(await store.appendAudit(e)).toBe(true);
        expect(await store.appendAudit(auditEntry(id, 2, { summary: 'a rewrite of history' }))).toBe(false);
        await store.appendAudit(auditEntry(requestId(), 1));

        const read = await store.auditOf(id);
        expect(read.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        expect(read).toEqual(entries);
        expect(await store.auditOf('r-unknown')).toEqual([]);
      });

      it('appends several consecutive entries in one write, all or none', async () => {
        const id = requestId();
        expect(await store.appendAudit([auditEntry(id, 1), auditEntry(id, 2)])).toBe(true);
        // seq 3 is free but 2 is taken: nothing of the pair is written.
        expect(await store.appendAudit([auditEntry(id, 2, { summary: 'a rewrite' }), auditEntry(id, 3)])).toBe(false);
        expect((await store.auditOf(id)).map((e) => e.seq)).toEqual([1, 2]);
        expect(await store.appendAudit([auditEntry(id, 3), auditEntry(id, 4)])).toBe(true);
        expect(await store.auditOf(id)).toEqual([1, 2, 3, 4].map((seq) => auditEntry(id, seq)));
      });

      it('stores exactly one of several concurrent appends with the same seq', async () => {
        const id = requestId();
        const racers = Array.from({ length: 10 }, (_, i) => auditEntry(id, 1, { summary: `writer ${i}` }));
        const results = await Promise.all(racers.map((e) => store.appendAudit(e)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.auditOf(id)).toEqual([racers[results.indexOf(true)]]);
      });
    });

    describe('settings', () => {
      it('puts a setting only when absent, then only from its current version', async () => {
        const key = `approvers/${requestId()}`;
        expect(await store.getSetting(key)).toBeNull();
        expect(await store.putSetting(key, { channel: 'x' }, '1')).toBeNull();
        const first = await store.putSetting(key, { channel: '19:a@thread' });
        expect(first?.value).toEqual({ channel: '19:a@thread' });
        expect(await store.putSetting(key, { channel: '19:b@thread' })).toBeNull();
        expect(await store.getSetting(key)).toEqual(first);

        const second = await store.putSetting(key, { channel: '19:c@thread' }, first?.version);
        expect(second?.value).toEqual({ channel: '19:c@thread' });
        expect(second?.version).not.toBe(first?.version);
        expect(await store.putSetting(key, { channel: '19:d@thread' }, first?.version)).toBeNull();
        expect(await store.getSetting(key)).toEqual(second);
      });

      it('deletes a setting only from its current version', async () => {
        const key = `check/${requestId()}`;
        const first = await store.putSetting(key, { n: 1 });
        const second = await store.putSetting(key, { n: 2 }, first?.version);
        expect(await store.deleteSetting(key, first?.version ?? '')).toBe(false);
        expect(await store.deleteSetting(key, 'not-a-version')).toBe(false);
        expect(await store.getSetting(key)).toEqual(second);
        expect(await store.deleteSetting(key, second?.version ?? '')).toBe(true);
        expect(await store.getSetting(key)).toBeNull();
        expect(await store.deleteSetting(key, second?.version ?? '')).toBe(false);
        expect(await store.putSetting(key, { n: 3 })).not.toBeNull();
      });

      it('lets exactly one of concurrent first writes of a setting win', async () => {
        const key = `race-${requestId()}`;
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putSetting(key, i)));
        const winners = results.filter((x) => x !== null);
        expect(winners).toHaveLength(1);
        expect(await store.getSetting(key)).toEqual(winners[0]);
      });
    });

    describe('seen marks', () => {
      it('answers true the first time and false while the mark lasts', async () => {
        const key = `activity:${requestId()}`;
        expect(await store.markSeen(key, 60_000, 1_000_000)).toBe(true);
        expect(await store.markSeen(key, 60_000, 1_000_001)).toBe(false);
        expect(await store.markSeen(key, 60_000, 1_059_999)).toBe(false);
        expect(await store.markSeen(`${key}-other`, 60_000, 1_000_002)).toBe(true);
      });

      it('reuses an expired mark, which then lasts its new ttl', async () => {
        const key = `activity/${requestId()}#?`;
        expect(await store.markSeen(key, 1_000, 5_000)).toBe(true);
        expect(await store.markSeen(key, 1_000, 6_000)).toBe(true);
        expect(await store.markSeen(key, 1_000, 6_500)).toBe(false);
      });

      it('marks a key seen for exactly one of several concurrent callers', async () => {
        const key = `activity:${requestId()}`;
        const results = await Promise.all(Array.from({ length: 8 }, () => store.markSeen(key, 60_000, 2_000_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });
  });
}
