/**
 * Loopback addresses: where the sandbox may listen without a warning and the only places its
 * anonymous endpoint sends replies to. 127.0.0.0/8, ::1 (also IPv4-mapped) and `localhost`.
 */
import { isIPv4 } from 'node:net';

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  // Only the exact name: `x.localhost` or `localhost.` may go to DNS, which can answer anything.
  if (h === 'localhost') return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return isIPv4(v4) && v4.startsWith('127.');
}

/** Whether `url` is an http(s) URL whose host is a loopback address. */
export function isLoopbackUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHost(u.hostname);
}
