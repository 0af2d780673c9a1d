/**
 * Request ids short enough to type in `status r7k3q9`: six characters, a letter first (so the id
 * never reads as a number), from an alphabet without look-alikes (no 0/o, 1/l/i). 23 * 31^5 ≈ 657
 * million ids; the caller retries on the rare collision (store.create answers false).
 */
export const REQUEST_ID_LETTERS = 'abcdefghjkmnpqrstuvwxyz';
export const REQUEST_ID_ALPHABET = `${REQUEST_ID_LETTERS}23456789`;
export const REQUEST_ID_LENGTH = 6;

const SHAPE = new RegExp(`^[${REQUEST_ID_LETTERS}][${REQUEST_ID_ALPHABET}]{${REQUEST_ID_LENGTH - 1}}$`);

/**
 * A fresh id from `randomBytes` (crypto.randomBytes in production). Four bytes per character, so
 * the modulo's bias (under 10^-8) is far below anything an id's guessability depends on.
 */
export function newRequestId(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(4 * REQUEST_ID_LENGTH);
  if (bytes.length < 4 * REQUEST_ID_LENGTH) throw new RangeError(`randomBytes gave ${bytes.length} bytes, not ${4 * REQUEST_ID_LENGTH}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let id = '';
  for (let i = 0; i < REQUEST_ID_LENGTH; i++) {
    const alphabet = i === 0 ? REQUEST_ID_LETTERS : REQUEST_ID_ALPHABET;
    id += alphabet[view.getUint32(4 * i) % alphabet.length];
  }
  return id;
}

/** The id in its stored form (trimmed, lower case), or null when the text is not one. */
export function parseRequestId(text: string): string | null {
  const id = text.trim().toLowerCase();
  return SHAPE.test(id) ? id : null;
}

/** Whether the text (any case, surrounding spaces allowed) is a request id. */
export function isRequestId(text: string): boolean {
  return parseRequestId(text) !== null;
}
