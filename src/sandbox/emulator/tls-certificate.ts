/**
 * A throw-away self-signed certificate for `https://127.0.0.1` / `https://localhost`, made in
 * memory at start-up (no key on disk, no openssl needed).
 *
 * Why HTTPS at all: `@microsoft/microsoft-graph-client` attaches the bearer token only to
 * `https://` URLs of Graph or of a configured `customHosts` entry, and follows `@odata.nextLink`
 * only when it is an `https://` URL. Over plain HTTP the real client would call the emulator
 * without a token and mangle every next link, so the bot could not use it "exactly as Microsoft".
 *
 * The certificate is minimal X.509 v3 DER, built by hand: ECDSA P-256 / SHA-256, subjectAltName
 * DNS:localhost + IP:127.0.0.1, basicConstraints CA:TRUE so clients can trust it as its own root.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';

export interface SelfSignedCertificate {
  /** PKCS#8 private key, PEM. */
  key: string;
  /** The certificate, PEM: give this to clients as a trusted CA. */
  cert: string;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const SUBJECT_ALT_NAME = '2.5.29.17';
const BASIC_CONSTRAINTS = '2.5.29.19';
const DAY_MS = 86_400_000;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const explicit = (n: number, body: Buffer): Buffer => tlv(0xa0 + n, body);
const octets = (body: Buffer): Buffer => tlv(0x04, body);
const TRUE = tlv(0x01, Buffer.from([0xff]));

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const value of rest) {
    const chunk = [value & 0x7f];
    for (let v = value >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** DER INTEGER, minimal: no redundant leading zero bytes, one added when the top bit is set. */
export function positiveInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && ((bytes[start + 1] ?? 0) & 0x80) === 0) start++;
  const body = bytes.subarray(start);
  return tlv(0x02, (body[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body);
}

/** UTCTime, YYMMDDHHMMSSZ (valid for years before 2050). */
function utcTime(date: Date): Buffer {
  return tlv(0x17, Buffer.from(`${date.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`, 'ascii'));
}

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid(COMMON_NAME), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
}

function extensions(): Buffer {
  const altNames = sequence(tlv(0x82, Buffer.from('localhost', 'ascii')), tlv(0x87, Buffer.from([127, 0, 0, 1])));
  return explicit(
    3,
    sequence(sequence(oid(SUBJECT_ALT_NAME), octets(altNames)), sequence(oid(BASIC_CONSTRAINTS), TRUE, octets(sequence(TRUE)))),
  );
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** `now` is the wall clock TLS peers will check validity against (valid from a day before, 1 year). */
export function createSelfSignedCertificate(now: Date): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  // A unique name per certificate: trust stores find an issuer by name, and two emulator
  // certificates with one name would shadow each other in a process that trusts both.
  const subject = name(`Hardmatch Entra emulator ${serial.toString('hex').slice(0, 12)}`);
  const validity = sequence(utcTime(new Date(now.getTime() - DAY_MS)), utcTime(new Date(now.getTime() + 365 * DAY_MS)));
  const tbs = sequence(
    explicit(0, positiveInteger(Buffer.from([2]))),
    positiveInteger(serial),
    algorithm,
    subject,
    validity,
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions(),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert: pem('CERTIFICATE', certificate) };
}

/**
 * Make every TLS client of this process (global fetch, hence the Graph SDK) trust `cert` as well
 * as the usual CAs: what an in-process consumer (tests, the sandbox) does with `caCertificate`.
 * A separate process uses NODE_EXTRA_CA_CERTS with the file `--ca-cert-out` wrote instead.
 */
export function trustCertificateInProcess(cert: string): void {
  setDefaultCACertificates([...getCACertificates('default'), cert]);
}
