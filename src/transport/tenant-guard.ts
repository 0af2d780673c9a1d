import type { Activity } from 'botbuilder';
import { activityTenant } from '../bot/teams/activity-tenant.ts';

/**
 * Whether to serve this activity. With no configured tenant every tenant is served (only the
 * sandbox: loadConfig requires MicrosoftAppTenantId outside it); with one, only activities that
 * name that tenant are, so an activity without tenant information is refused rather than trusted.
 */
export function isAllowedTenant(activity: Partial<Activity>, configuredTenantId: string | undefined): boolean {
  if (!configuredTenantId) return true;
  const tenant = activityTenant(activity);
  return tenant !== undefined && tenant.toLowerCase() === configuredTenantId.toLowerCase();
}
