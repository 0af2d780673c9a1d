/**
 * The audit trail over the request store, written with the changes it records (see the port):
 * each change's entries are chained onto the head the request record carries and stored in the
 * record's outbox by the change's own compare-and-swap; `flush` then appends them to the trail,
 * keyed by `seq`, so a repeated flush (after a crash, or by another instance) adds nothing. An
 * entry already in the trail under a different hash is not overwritten: it is logged loudly, and
 * `audit` shows the trail broken. Each new head hash also goes to the log, outside the store.
 *
 * This instance remembers how far each request's outbox was flushed (bounded), so the next change
 * drops the flushed entries from the outbox instead of carrying them; one flush per request runs
 * at a time.
 */
import { chainAfter, verifyTrail, type AuditKey } from '../domain/audit/chain.ts';
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { AuditEntry, AuditEvent } from '../domain/audit/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { casUpdate } from '../concurrency/cas-update.ts';
import { serialByKey } from '../concurrency/serial-by-key.ts';

/** Compare-and-swap attempts to add entries to a request that keeps changing. */
const MAX_ATTEMPTS = 50;
/** Requests whose flushed position is remembered; the oldest is forgotten beyond this. */
const MAX_REMEMBERED = 1000;

export function createAuditTrail(store: RequestStore, logger: Logger, key?: AuditKey): AuditTrail {
  const flushedUpTo = new Map<string, number>();
  const queue = serialByKey();
  /** One instance's entry-only appends to a request are chained in call order. */
  const appends = serialByKey();
  const remember = (requestId: string, seq: number): void => {
    if ((flushedUpTo.get(requestId) ?? 0) >= seq) return;
    flushedUpTo.delete(requestId);
    flushedUpTo.set(requestId, seq);
    const oldest = flushedUpTo.keys().next();
    if (flushedUpTo.size > MAX_REMEMBERED && !oldest.done) flushedUpTo.delete(oldest.value);
  };
  const pending = (request: ApprovalRequest): AuditEntry[] =>
    (request.auditOutbox ?? []).filter((e) => e.seq > (flushedUpTo.get(request.id) ?? 0));
  const flushNow = async (request: ApprovalRequest): Promise<void> => {
    const entries = pending(request);
    const last = entries.at(-1);
    if (!last) return;
    if (!(await store.appendAudit(entries.length === 1 ? last : entries))) await appendMissing(store, logger, request.id, entries);
    remember(request.id, last.seq);
    for (const entry of entries)
      logger.info({ requestId: entry.requestId, seq: entry.seq, action: entry.action, head: entry.hash }, 'audit head');
  };
  const appendNow = async (requestId: string, events: readonly AuditEvent[]): Promise<AuditEntry[]> => {
    let added: AuditEntry[] = [];
    const result = await casUpdate(
      store,
      requestId,
      async ({ value }) => {
        const next = await trail.stage(value, events);
        added = (next.auditOutbox ?? []).slice(-events.length);
        return next;
      },
      MAX_ATTEMPTS,
    );
    if (!result.written)
      throw new Error(
        `could not add to the audit trail of ${requestId}${result.current ? ` after ${MAX_ATTEMPTS} attempts` : ': the request does not exist'}`,
      );
    await trail.flush(result.stored.value);
    return added;
  };
  const trail: AuditTrail = {
    keyed: key !== undefined,
    async stage(request, events) {
      if (events.some((e) => e.requestId !== request.id)) throw new Error(`audit: events of another request staged on ${request.id}`);
      const added = chainAfter(await headOf(store, request), events, key);
      const last = added.at(-1);
      const kept = pending(request);
      if (!last) return kept.length === (request.auditOutbox?.length ?? 0) ? request : { ...request, auditOutbox: kept };
      return { ...request, auditHead: { length: last.seq, hash: last.hash }, auditOutbox: [...kept, ...added] };
    },
    flush: (request) => (pending(request).length === 0 ? Promise.resolve() : queue.run(request.id, () => flushNow(request))),
    appendAll(events) {
      const [first] = events;
      if (!first) return Promise.resolve([]);
      if (events.some((e) => e.requestId !== first.requestId))
        return Promise.reject(new Error('appendAll: the events belong to more than one request'));
      return appends.run(first.requestId, () => appendNow(first.requestId, events));
    },
    append: async (event) => (await trail.appendAll([event]))[0] as AuditEntry,
    async entriesOf(requestId) {
      const stored = await store.get(requestId);
      if (stored) await trail.flush(stored.value);
      return store.auditOf(requestId);
    },
    verify: (request, entries) => verifyTrail(entries, request.auditHead, key),
    async read(requestId) {
      // The trail first, then the request: entries reach the trail only after the version that
      // records them, so the version read holds a head at least as long as the trail read.
      let entries = await store.auditOf(requestId);
      const stored = await store.get(requestId);
      if (!stored) return null;
      const head = stored.value.auditHead;
      if (head && entries.length < head.length) {
        await trail.flush(stored.value);
        entries = await store.auditOf(requestId);
      }
      const seen =
        head && entries.length > head.length && entries[head.length]?.prevHash === head.hash ? entries.slice(0, head.length) : entries;
      return { entries: seen, verdict: verifyTrail(seen, head, key) };
    },
  };
  return trail;
}

/**
 * The head to chain onto: the one the request records, or for a request not stored yet or stored
 * before records carried one, the newest entry of its trail (none for a new request).
 */
async function headOf(store: RequestStore, request: ApprovalRequest): Promise<{ seq: number; hash: string } | null> {
  if (request.auditHead) return request.auditHead.length > 0 ? { seq: request.auditHead.length, hash: request.auditHead.hash } : null;
  const newest = (await store.auditOf(request.id)).at(-1);
  return newest ? { seq: newest.seq, hash: newest.hash } : null;
}

/**
 * Some of `entries` are in the trail already (an earlier flush, or another instance's): append
 * the missing ones. One present under another hash means the trail was written outside the bot.
 */
async function appendMissing(store: RequestStore, logger: Logger, requestId: string, entries: readonly AuditEntry[]): Promise<void> {
  const present = new Map((await store.auditOf(requestId)).map((e) => [e.seq, e.hash]));
  for (const entry of entries) {
    const found = present.get(entry.seq);
    if (found === undefined) {
      if (!(await store.appendAudit(entry)))
        logger.error({ requestId, seq: entry.seq }, 'audit entry appeared while it was flushed; the trail will be checked by `audit`');
    } else if (found !== entry.hash) {
      logger.error(
        { requestId, seq: entry.seq, stored: found, expected: entry.hash },
        'the audit trail holds another entry at this position than the request records',
      );
    }
  }
}
