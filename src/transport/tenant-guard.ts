import type { Activity } from 'botbuilder';

/** The tenant an activity comes from: Teams puts it on the conversation and in channelData. */
export function activityTenant(activity: Partial<Activity>): string | undefined {
  const fromConversation = activity.conversation?.tenantId;
  if (fromConversation) return fromConversation;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  return typeof fromChannelData === 'string' && fromChannelData !== '' ? fromChannelData : undefined;
}

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
