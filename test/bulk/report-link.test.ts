import { describe, expect, it } from 'vitest';
import { checkReportLink, reportLinkKey, reportLinkPath } from '../../src/bulk/report-link.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';

const key = Buffer.alloc(32, 7);
const params = { scanId: 'abc234', tenantId: 'Tenant', user: 'u-1', exp: 1_000_000 };
const queryOf = (path: string) => Object.fromEntries(new URL(`http://x${path}`).searchParams);

describe('report links', () => {
  it('accepts its own link until it expires, then refuses it as expired', () => {
    const query = queryOf(reportLinkPath(key, params));
    expect(checkReportLink(key, { scanId: 'abc234', tenantId: 'tenant', query }, 999_999)).toEqual({
      ok: true,
      params: { ...params, tenantId: 'tenant' },
    });
    expect(checkReportLink(key, { scanId: 'abc234', tenantId: 'Tenant', query }, 1_000_001)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another scan, another key, an edited field and a malformed query', () => {
    const query = queryOf(reportLinkPath(key, params));
    expect(checkReportLink(key, { scanId: 'abc235', tenantId: 'Tenant', query }, 0)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(checkReportLink(Buffer.alloc(32, 8), { scanId: 'abc234', tenantId: 'Tenant', query }, 0)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(checkReportLink(key, { scanId: 'abc234', tenantId: 'Tenant', query: { ...query, exp: '9999999' } }, 0)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(checkReportLink(key, { scanId: 'abc234', tenantId: 'Tenant', query: { ...query, exp: 'soon' } }, 0)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(checkReportLink(key, { scanId: 'abc234', tenantId: 'Tenant', query: {} }, 0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('shares one key through the store: made once, read by every instance', async () => {
    const store = createSqliteStore(':memory:');
    const [a, b] = await Promise.all([reportLinkKey(store), reportLinkKey(store)]);
    expect(a.equals(b)).toBe(true);
    expect(a).toHaveLength(32);
    await store.close();
  });
});
