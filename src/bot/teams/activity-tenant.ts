import type { Activity } from 'botbuilder';
import { canonicalId } from '../../domain/ids.ts';

/** The tenant an activity comes from (canonical form): Teams puts it on the conversation and in channelData. */
export function activityTenant(activity: Partial<Activity>): string | undefined {
  const fromConversation = activity.conversation?.tenantId;
  if (fromConversation) return canonicalId(fromConversation);
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  return typeof fromChannelData === 'string' && fromChannelData !== '' ? canonicalId(fromChannelData) : undefined;
}
