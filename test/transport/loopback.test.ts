import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackUrl } from '../../src/transport/loopback.ts';

describe('loopback addresses', () => {
  it.each(['127.0.0.1', '127.8.9.10', '127.255.255.254', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  it.each([
    '10.1.2.3',
    '0.0.0.0',
    '::',
    '128.0.0.1',
    '127.0.0.1.nip.io',
    'localhost.contoso.com',
    'app.localhost',
    'localhost.',
    'fd00::2',
    '::ffff:10.0.0.1',
    '1270.0.0.1',
    '',
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('reads the host of an http(s) URL, and nothing else', () => {
    expect(isLoopbackUrl('http://127.0.0.1:56150/')).toBe(true);
    expect(isLoopbackUrl('https://[::1]:8443/path')).toBe(true);
    expect(isLoopbackUrl('http://localhost@10.1.2.3/')).toBe(false);
    expect(isLoopbackUrl('http://10.1.2.3/?next=http://127.0.0.1/')).toBe(false);
    expect(isLoopbackUrl('ftp://127.0.0.1/')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});
