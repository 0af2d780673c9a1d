import type { Activity } from 'botbuilder';

/** The tenant an activity comes from: Teams puts it on the conversation and in channelData. */
export function activityTenant(activity: Partial<Activity>): string | undefined {
  const fromConversation = activity.conversation?.tenantId;
  if (fromConversation) return fromConversation;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  return typeof fromChannelData === 'string' && fromChannelData !== '' ? fromChannelData : undefined;
}
