import { describe, expect, it } from 'vitest';
import {
  CHUNK_CHARS,
  MAX_CHUNKS,
  fromJsonColumns,
  jsonColumns,
  seqKey,
  splitJson,
  tableKey,
} from '../../src/store/azure-tables/entity-codec.ts';

describe('Table Storage entity codec', () => {
  it('never cuts a surrogate pair in two', () => {
    const text = `${'a'.repeat(9)}🧪${'b'.repeat(5)}`;
    const chunks = splitJson(text, 10);
    expect(chunks).toEqual(['a'.repeat(9), `🧪${'b'.repeat(5)}`]);
    expect(chunks.join('')).toBe(text);
  });

  it('stores ASCII-only chunks of at most CHUNK_CHARS and reads the value back', () => {
    const value = { name: 'Zoë Ødegård 🧪', notes: 'x'.repeat(CHUNK_CHARS * 2 + 5) };
    const columns = jsonColumns(value, 'test');
    expect(columns.chunks).toBe(3);
    expect(columns.encoding).toBe('json');
    for (let i = 0; i < 3; i++) {
      const chunk = String(columns[`json${i}`]);
      expect(chunk.length).toBeLessThanOrEqual(CHUNK_CHARS);
      expect(chunk).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(fromJsonColumns(columns)).toEqual(value);
  });

  it('gzips what would not fit in one entity, and refuses what still does not', () => {
    const big = { note: 'ø'.repeat(MAX_CHUNKS * CHUNK_CHARS) };
    const columns = jsonColumns(big, 'test');
    expect(columns.encoding).toBe('gzip-base64');
    expect(fromJsonColumns(columns)).toEqual(big);
    const random = Array.from({ length: 60_000 }, (_, i) => Math.sin(i).toString(36));
    expect(() => jsonColumns(random, 'Request r1')).toThrow(/Request r1 is too large for Table Storage/);
  });

  it('encodes keys one-to-one without the characters keys may not hold', () => {
    const keys = ['a/b', 'a~2fb', 'a#b?c\\d', 'line\nbreak', '100%', 'x'.repeat(300), 'y'.repeat(300)];
    const encoded = keys.map(tableKey);
    expect(new Set(encoded).size).toBe(keys.length);
    for (const key of encoded) {
      // eslint-disable-next-line no-control-regex -- control characters are what keys may not hold
      expect(key).not.toMatch(/[/\\#?%\u0000-\u001f]/);
      expect(key.length).toBeLessThanOrEqual(256);
    }
    expect(tableKey('r7k3q9')).toBe('r7k3q9');
    expect([seqKey(10), seqKey(2)].sort()).toEqual([seqKey(2), seqKey(10)]);
  });
});
