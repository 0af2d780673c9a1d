/** Unit: the in-memory self-signed certificate the HTTPS mode serves. */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, positiveInteger } from '../../../src/sandbox/emulator/tls-certificate.ts';

describe('createSelfSignedCertificate', () => {
  const now = new Date('2026-03-05T12:00:00Z');
  const { cert, key } = createSelfSignedCertificate(now);
  const x509 = new X509Certificate(cert);

  it('is a self-signed CA certificate for localhost and 127.0.0.1', () => {
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(x509.ca).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
  });

  it('is valid from a day before `now` for a year', () => {
    expect(new Date(x509.validFrom).toISOString()).toBe('2026-03-04T12:00:00.000Z');
    expect(new Date(x509.validTo).toISOString()).toBe('2027-03-05T12:00:00.000Z');
  });

  it('gets a different name and serial every time, so several can be trusted side by side', () => {
    const other = new X509Certificate(createSelfSignedCertificate(now).cert);
    expect(other.subject).not.toBe(x509.subject);
    expect(other.serialNumber).not.toBe(x509.serialNumber);
  });
});

describe('positiveInteger (DER)', () => {
  it.each([
    ['00017f', '0202017f'],
    ['000080', '02020080'],
    ['80', '02020080'],
    ['0000', '020100'],
    ['7f', '02017f'],
  ])('encodes %s minimally as %s', (input, expected) => {
    expect(positiveInteger(Buffer.from(input, 'hex')).toString('hex')).toBe(expected);
  });
});
