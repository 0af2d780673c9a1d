/**
 * How values fit Table Storage's limits. A string property holds at most 64 KiB (UTF-16, so 32,768
 * characters) and an entity at most 1 MiB, while a request's JSON (its diagnosis included) can
 * pass 64 KiB: the JSON is cut into properties `json0`, `json1`, ... of CHUNK_CHARS characters
 * each and glued back on read (gzipped first when even that would pass 1 MiB). PartitionKey and RowKey may not hold `/ \ # ?` or control
 * characters, so those are written `~XX` (hex), as are `~` itself and `%` (Azure and Azurite
 * URL-decode keys in some operations, so a literal `%` misbehaves); the encoding is one-to-one.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { HardmatchError } from '../../errors/index.ts';

/** 32,000 UTF-16 code units = 64,000 bytes, under the 64 KiB property limit with room to spare. */
export const CHUNK_CHARS = 32_000;
/** 15 chunks = 960,000 bytes, leaving the rest of the 1 MiB entity for the other properties. */
export const MAX_CHUNKS = 15;

export type JsonColumns = Record<string, string | number>;

/** Cuts `json` into chunks, never between the two halves of a surrogate pair. */
export function splitJson(json: string, chunkChars = CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < json.length) {
    let end = Math.min(start + chunkChars, json.length);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(json.slice(start, end));
    start = end;
  }
  return chunks.length > 0 ? chunks : [''];
}

/**
 * JSON in ASCII only: every other character as a `\uXXXX` escape (JSON.parse reads it back).
 * Why: Azurite joins the request body's Buffers as strings one by one, so a UTF-8 character that
 * straddles its 64 KiB read boundary arrives as two U+FFFD; an ASCII body cannot be split that way.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The properties holding `value`: `chunks`, `encoding` and `json0..json{chunks-1}`. */
export function jsonColumns(value: unknown, what: string): JsonColumns {
  const json = asciiJson(value);
  // Readable JSON when it fits; else gzip in base64 (still ASCII), a fraction of the size.
  const [encoding, text] = json.length <= MAX_CHUNKS * CHUNK_CHARS ? ['json', json] : ['gzip-base64', gzipSync(json).toString('base64')];
  const chunks = splitJson(text);
  if (chunks.length > MAX_CHUNKS) {
    throw new HardmatchError(
      'INTERNAL',
      `${what} is too large for Table Storage: ${text.length} characters compressed, at most ${MAX_CHUNKS * CHUNK_CHARS}.`,
      {
        details: { characters: text.length },
      },
    );
  }
  const columns: JsonColumns = { chunks: chunks.length, encoding };
  chunks.forEach((chunk, i) => (columns[`json${i}`] = chunk));
  return columns;
}

/** Reads back what `jsonColumns` wrote. */
export function fromJsonColumns<T>(entity: Record<string, unknown>): T {
  const count = entity.chunks;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new HardmatchError('INTERNAL', 'A stored Table Storage entity has no JSON chunks: it was not written by Hardmatch.');
  }
  let text = '';
  for (let i = 0; i < count; i++) {
    const chunk = entity[`json${i}`];
    if (typeof chunk !== 'string') throw new HardmatchError('INTERNAL', `A stored Table Storage entity lacks json${i} of ${count}.`);
    text += chunk;
  }
  const json = entity.encoding === 'gzip-base64' ? gunzipSync(Buffer.from(text, 'base64')).toString('utf8') : text;
  return JSON.parse(json) as T;
}

/** Longest key kept readable; longer ones (never ours, but activity ids come from outside) are hashed. */
const MAX_KEY_CHARS = 256;

/** A PartitionKey/RowKey for any string: one-to-one, within the 1 KiB key limit. */
export function tableKey(value: string): string {
  // Control characters are exactly what Table Storage forbids in keys, so the pattern names them.
  // eslint-disable-next-line no-control-regex
  const encoded = value.replace(/[%~/\\#?\u0000-\u001f\u007f-\u009f]/g, (c) => `~${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (encoded.length <= MAX_KEY_CHARS) return encoded;
  // `~~` never comes out of the encoding above (an encoded `~` is `~7e`), so hashed keys cannot collide with it.
  return `~~${createHash('sha256').update(value).digest('hex')}`;
}

/** Sequence numbers as RowKeys sort as numbers: 2 before 10. */
export function seqKey(seq: number): string {
  return String(seq).padStart(12, '0');
}
