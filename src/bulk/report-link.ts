/**
 * Links to a scan's CSV report: `/bulk/<scan id>/report.csv?exp=<ms>&u=<object id>&sig=<hmac>`,
 * signed with a key every bot instance shares (kept in the store, made once), handed only to an
 * admin who asked for it, and refused after `exp`. The link is a bearer secret for its few
 * minutes (a browser opening it carries no Teams identity), so it is short-lived and names the
 * admin it was made for, who is logged with every download. Pure apart from the key: the clock is
 * a parameter.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestStore } from '../ports/request-store.ts';

/** How long a report link works. */
export const REPORT_LINK_TTL_MS = 15 * 60_000;
const KEY_SETTING = 'bulk-report-link-key';

export interface ReportLinkParams {
  scanId: string;
  tenantId: string;
  /** The admin the link was made for (object id). */
  user: string;
  /** ms since the epoch. */
  exp: number;
}

export type LinkCheck = { ok: true; params: ReportLinkParams } | { ok: false; reason: 'malformed' | 'expired' | 'bad-signature' };

function signature(key: Buffer, p: ReportLinkParams): string {
  return createHmac('sha256', key)
    .update(`hardmatch-report\n${p.tenantId.toLowerCase()}\n${p.scanId}\n${p.user.toLowerCase()}\n${p.exp}`)
    .digest('base64url');
}

/** The path and query of a link for `params`. */
export function reportLinkPath(key: Buffer, params: ReportLinkParams): string {
  const query = new URLSearchParams({ exp: String(params.exp), u: params.user, sig: signature(key, params) });
  return `/bulk/${encodeURIComponent(params.scanId)}/report.csv?${query.toString()}`;
}

/** Checks a link's query for the scan in its path; `now` in ms. */
export function checkReportLink(
  key: Buffer,
  input: { scanId: string; tenantId: string; query: Record<string, unknown> },
  now: number,
): LinkCheck {
  const { exp, u, sig } = input.query;
  if (
    typeof exp !== 'string' ||
    typeof u !== 'string' ||
    typeof sig !== 'string' ||
    !/^\d{1,15}$/.test(exp) ||
    u.length > 64 ||
    sig.length > 64
  )
    return { ok: false, reason: 'malformed' };
  const params: ReportLinkParams = { scanId: input.scanId, tenantId: input.tenantId, user: u, exp: Number(exp) };
  const expected = Buffer.from(signature(key, params));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' };
  if (now > params.exp) return { ok: false, reason: 'expired' };
  return { ok: true, params };
}

/** The shared signing key: read from the store, or made and stored once (the first writer wins). */
export async function reportLinkKey(store: RequestStore): Promise<Buffer> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const stored = await store.getSetting<{ key: string }>(KEY_SETTING);
    if (stored) return Buffer.from(stored.value.key, 'base64');
    await store.putSetting(KEY_SETTING, { key: randomBytes(32).toString('base64') });
  }
  throw new Error('could not read or store the report link key');
}
