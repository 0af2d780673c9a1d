import { describe, expect, it } from 'vitest';
import { activityTenant } from '../../src/bot/teams/activity-tenant.ts';
import { isAllowedTenant } from '../../src/transport/tenant-guard.ts';

const TENANT = '11111111-1111-1111-1111-111111111111';

describe('tenant guard', () => {
  it('reads the tenant from the conversation, else from channelData', () => {
    expect(activityTenant({ conversation: { id: 'c', tenantId: 'a' } as never, channelData: { tenant: { id: 'b' } } })).toBe('a');
    expect(activityTenant({ channelData: { tenant: { id: 'b' } } })).toBe('b');
    expect(activityTenant({ channelData: { tenant: { id: 42 } } })).toBeUndefined();
    expect(activityTenant({})).toBeUndefined();
  });

  it('serves everyone when no tenant is configured', () => {
    expect(isAllowedTenant({}, undefined)).toBe(true);
  });

  it('serves only the configured tenant (case-insensitive) and refuses activities without one', () => {
    expect(isAllowedTenant({ channelData: { tenant: { id: TENANT.toUpperCase() } } }, TENANT)).toBe(true);
    expect(isAllowedTenant({ channelData: { tenant: { id: '22222222-2222-2222-2222-222222222222' } } }, TENANT)).toBe(false);
    expect(isAllowedTenant({}, TENANT)).toBe(false);
  });
});
