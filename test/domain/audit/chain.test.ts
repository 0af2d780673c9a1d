import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainEntry, entryHash, verifyChain } from '../../../src/domain/audit/chain.ts';
import { GENESIS_HASH, type AuditEntry, type AuditEvent } from '../../../src/domain/audit/types.ts';

const ANN = { aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Ann Requester' };
const T0 = Date.UTC(2026, 11, 1, 14, 0, 0);

function event(n: number, over: Partial<AuditEvent> = {}): AuditEvent {
  return { requestId: 'r7k3q9', at: T0 + n * 1000, actor: n % 2 === 0 ? null : ANN, action: 'step-done', summary: `event ${n}`, ...over };
}

function chain(events: readonly AuditEvent[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const e of events) entries.push(chainEntry(entries[entries.length - 1] ?? null, e));
  return entries;
}

const five = (): AuditEntry[] =>
  chain([1, 2, 3, 4, 5].map((n) => event(n, n === 3 ? { step: { number: 2, kind: 'SET_ANCHOR' }, before: null, after: 'abc' } : {})));

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('omits undefined fields, writes undefined array items as null, like JSON', () => {
    expect(canonicalJson({ a: undefined, b: null, c: [undefined, 1] })).toBe('{"b":null,"c":[null,1]}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('is the same for any key order, and parses back to the same value', () => {
    const json = fc.jsonValue();
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(text).not.toMatch(/^\s|\s$/);
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), (dict) => {
        const reversed = Object.fromEntries(Object.entries(dict).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(dict));
      }),
    );
  });

  it('refuses what has no JSON form', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/refers to itself/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });
});

describe('chainEntry', () => {
  it('starts at seq 1 from the genesis hash and links each entry to the one before', () => {
    const [first, second] = chain([event(1), event(2)]);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first?.hash });
  });

  it('hashes the canonical JSON of the entry without its hash', () => {
    const entry = chainEntry(null, event(1));
    const { hash, ...rest } = entry;
    expect(hash).toBe(createHash('sha256').update(canonicalJson(rest)).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(entry)).toBe(hash);
  });

  it('ignores a stale seq, link or hash on what it is given', () => {
    const first = chainEntry(null, event(1));
    const again = chainEntry(first, { ...event(2), seq: 9, prevHash: 'x', hash: 'y' } as AuditEvent);
    expect(again).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(verifyChain([first, again]).ok).toBe(true);
  });

  it("refuses to chain another request's event", () => {
    expect(() => chainEntry(chainEntry(null, event(1)), event(2, { requestId: 'q2w3e4' }))).toThrow(/q2w3e4.*r7k3q9/);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and answers its head', () => {
    const entries = five();
    expect(verifyChain(entries)).toEqual({ ok: true, entries: 5, head: entries[4]?.hash });
    expect(verifyChain([])).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
  });

  it('finds an edited field', () => {
    const entries = five();
    entries[3] = { ...entries[3]!, summary: 'nothing happened' };
    expect(verifyChain(entries)).toEqual({ ok: false, entries: 5, brokenAt: 4, reason: 'entry 4 was changed after it was written' });
  });

  it('finds a changed hash', () => {
    const entries = five();
    entries[2] = { ...entries[2]!, hash: 'f'.repeat(64) };
    expect(verifyChain(entries)).toMatchObject({ ok: false, brokenAt: 3, reason: "entry 3's hash was changed after it was written" });
  });

  it('finds a deleted middle entry', () => {
    const entries = five();
    entries.splice(3, 1);
    expect(verifyChain(entries)).toMatchObject({ ok: false, brokenAt: 4, reason: 'entry 5 does not follow entry 3: an entry is missing' });
  });

  it('finds a deleted first entry', () => {
    expect(verifyChain(five().slice(1))).toMatchObject({
      ok: false,
      brokenAt: 1,
      reason: 'the trail starts at entry 2: entry 1 is missing',
    });
  });

  it('finds a reordered pair', () => {
    const e = five();
    expect(verifyChain([e[0]!, e[2]!, e[1]!, e[3]!, e[4]!])).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'entry 3 comes before entry 2: the entries are out of order',
    });
  });

  it('finds a repeated entry', () => {
    const e = five();
    expect(verifyChain([e[0]!, e[1]!, e[1]!])).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: 'entry 2 comes after entry 2: the entries are out of order',
    });
  });

  it('finds a deleted entry even when everything after it was renumbered and rehashed', () => {
    const e = five();
    const forged = [e[0]!, e[1]!];
    for (const original of e.slice(3)) {
      const prev = forged[forged.length - 1]!;
      const unhashed = { ...original, seq: prev.seq + 1 };
      forged.push({ ...unhashed, hash: entryHash(unhashed) });
    }
    expect(verifyChain(forged)).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: 'entry 3 does not follow entry 2: an entry between them was removed or replaced',
    });
  });

  it('finds a chain whose first entries were cut and the rest rehashed from seq 1', () => {
    const second = five()[1]!;
    const unhashed = { ...second, seq: 1 };
    expect(verifyChain([{ ...unhashed, hash: entryHash(unhashed) }])).toMatchObject({
      ok: false,
      brokenAt: 1,
      reason: expect.stringMatching(/entries before it are missing/) as unknown,
    });
  });

  it('finds any single-field edit of any entry at that entry', () => {
    const fields = ['requestId', 'at', 'actor', 'action', 'summary', 'step', 'before', 'after', 'code', 'seq', 'prevHash', 'hash'] as const;
    const values = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.record({ name: fc.string() }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), fc.constantFrom(...fields), values, (length, pick, field, value) => {
        const entries = chain(Array.from({ length }, (_, n) => event(n + 1, n === 0 ? { before: 'old', code: 'X' } : {})));
        const at = pick % length;
        const original = entries[at]!;
        fc.pre(canonicalJson(original[field]) !== canonicalJson(value));
        entries[at] = { ...original, [field]: value };
        const verdict = verifyChain(entries);
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect(verdict.brokenAt).toBe(at + 1);
      }),
      { numRuns: 500 },
    );
  });
});
