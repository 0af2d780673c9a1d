/**
 * The audit trail's hash chain. Each entry stores the hash of its own canonical JSON and the
 * hash of the entry before it, so editing, reordering or deleting any entry breaks the chain at
 * that entry. Canonical JSON (sorted keys, no whitespace) makes the hash independent of key order
 * and of how a store serialises rows.
 *
 * With a key (AUDIT_KEY, held outside the store) the hash is an HMAC-SHA256: somebody who can
 * write to the store but does not hold the key cannot compute a valid entry, so cannot edit an
 * entry and re-chain the rest. The request record carries the chain's length and head hash
 * (`verifyTrail`), so deleting the last entries is detected too. Without a key it is a plain
 * SHA-256 chain, which detects accidents but not a writer who re-computes it.
 */
import { createHash, createHmac } from 'node:crypto';
import { HardmatchError } from '../../errors/index.ts';
import { GENESIS_HASH, type AuditEntry, type AuditEvent, type ChainVerdict } from './types.ts';

/**
 * JSON with object keys sorted (by UTF-16 code unit), no whitespace, undefined fields omitted and
 * undefined array items as null: JSON.stringify's rules, made independent of insertion order.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, open: Set<object>): string {
  if (value !== null && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function') {
    return write((value.toJSON as () => unknown).call(value), open);
  }
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') throw new TypeError('canonicalJson: a bigint has no JSON form');
    return JSON.stringify(value) ?? 'null';
  }
  if (open.has(value)) throw new TypeError('canonicalJson: the value refers to itself');
  open.add(value);
  const text = Array.isArray(value) ? writeArray(value, open) : writeObject(value as Record<string, unknown>, open);
  open.delete(value);
  return text;
}

function writeArray(items: readonly unknown[], open: Set<object>): string {
  return `[${items.map((item) => (isOmitted(item) ? 'null' : write(item, open))).join(',')}]`;
}

function writeObject(object: Record<string, unknown>, open: Set<object>): string {
  const keys = Object.keys(object)
    .filter((k) => !isOmitted(object[k]))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${write(object[k], open)}`).join(',')}}`;
}

/** What JSON.stringify leaves out of an object. */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** The chain's key (AUDIT_KEY's bytes); undefined for an unkeyed (plain SHA-256) chain. */
export type AuditKey = Uint8Array | undefined;

/** The hash an entry must carry: over every field but `hash`, keyed when there is a key. */
export function entryHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }, key?: AuditKey): string {
  const text = canonicalJson(withoutKeys(entry, ['hash']));
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(text, 'utf8').digest('hex');
}

function withoutKeys(value: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}

/** The next entry of a request's chain (`previous` null for its first). */
export function chainEntry(previous: AuditEntry | null, event: AuditEvent, key?: AuditKey): AuditEntry {
  if (previous !== null && previous.requestId !== event.requestId) {
    throw new HardmatchError('INTERNAL', `Audit entry for ${event.requestId} cannot follow an entry of ${previous.requestId}.`);
  }
  // Only the event's own fields: a caller passing an entry back in must not smuggle an old link.
  const fields = withoutKeys(event, ['seq', 'prevHash', 'hash']) as unknown as AuditEvent;
  const unhashed = { ...fields, seq: previous === null ? 1 : previous.seq + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unhashed, hash: entryHash(unhashed, key) };
}

/** The entries of `events` chained after the head `previous` (its seq and hash), in order. */
export function chainAfter(previous: { seq: number; hash: string } | null, events: readonly AuditEvent[], key?: AuditKey): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const event of events) {
    // chainEntry reads only the previous entry's seq, hash and request id.
    const last: AuditEntry | null =
      entries.at(-1) ?? (previous ? { ...event, seq: previous.seq, prevHash: '', hash: previous.hash } : null);
    entries.push(chainEntry(last, event, key));
  }
  return entries;
}

/**
 * Checks a request's entries as read (ordered by seq). `brokenAt` is the position (1-based, the
 * seq the entry there should have) of the first entry that does not hold; `reason` says why.
 */
export function verifyChain(entries: readonly AuditEntry[], key?: AuditKey): ChainVerdict {
  for (let i = 0; i < entries.length; i++) {
    const reason = brokenReason(entries, i, key);
    if (reason !== null) return { ok: false, entries: entries.length, brokenAt: i + 1, reason };
  }
  return { ok: true, entries: entries.length, head: entries[entries.length - 1]?.hash ?? GENESIS_HASH };
}

/**
 * `verifyChain`, and the trail's length and last hash against the head the request record
 * carries: a trail whose last entries were deleted, or that was rebuilt, does not match it.
 * A request stored before records carried a head is checked as a chain only.
 */
export function verifyTrail(
  entries: readonly AuditEntry[],
  head: { length: number; hash: string } | undefined,
  key?: AuditKey,
): ChainVerdict {
  const chain = verifyChain(entries, key);
  if (!chain.ok || !head) return chain;
  if (entries.length < head.length) {
    return {
      ok: false,
      entries: entries.length,
      brokenAt: entries.length + 1,
      reason: `the trail ends at entry ${entries.length} but the request records ${head.length} entries: the last ${head.length - entries.length} were removed`,
    };
  }
  if (entries.length > head.length) {
    return {
      ok: false,
      entries: entries.length,
      brokenAt: head.length + 1,
      reason: `the trail has ${entries.length} entries but the request records ${head.length}: entries were added outside the bot`,
    };
  }
  if (chain.head !== head.hash) {
    return {
      ok: false,
      entries: entries.length,
      brokenAt: entries.length,
      reason: `the trail's last hash is not the one the request records: the trail was rebuilt`,
    };
  }
  return chain;
}

function brokenReason(entries: readonly AuditEntry[], i: number, key: AuditKey): string | null {
  const entry = entries[i] as AuditEntry;
  const position = i + 1;
  const computed = entryHash(entry, key);
  if (computed !== entry.hash) {
    // When the next entry still links to the recomputed hash, only the stored hash was touched.
    const onlyHash = entries[i + 1]?.prevHash === computed;
    return onlyHash ? `entry ${position}'s hash was changed after it was written` : `entry ${position} was changed after it was written`;
  }
  if (entry.seq !== position) return sequenceReason(entries, i);
  const expected = i === 0 ? GENESIS_HASH : (entries[i - 1] as AuditEntry).hash;
  if (entry.prevHash !== expected) {
    return i === 0
      ? 'entry 1 does not start the trail: entries before it are missing'
      : `entry ${position} does not follow entry ${i}: an entry between them was removed or replaced`;
  }
  return null;
}

function sequenceReason(entries: readonly AuditEntry[], i: number): string {
  const entry = entries[i] as AuditEntry;
  const position = i + 1;
  if (i === 0) return `the trail starts at entry ${entry.seq}: entry 1 is missing`;
  const previous = (entries[i - 1] as AuditEntry).seq;
  const later = entries.slice(i + 1).some((e) => e.seq === position);
  if (later) return `entry ${entry.seq} comes before entry ${position}: the entries are out of order`;
  if (entry.seq <= previous) return `entry ${entry.seq} comes after entry ${previous}: the entries are out of order`;
  return `entry ${entry.seq} does not follow entry ${previous}: an entry is missing`;
}
