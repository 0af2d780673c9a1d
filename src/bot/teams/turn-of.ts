import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationType, Turn } from '../turn.ts';
import { messageText } from '../message-text.ts';

function conversationType(activity: Partial<Activity>): ConversationType {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'groupChat';
  return 'personal';
}

/** The Turn of a botbuilder activity: the actor from `from`, the tenant from the conversation. */
export function turnOf(activity: Partial<Activity>, tenantId: string | undefined): Turn {
  const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown>;
  delete reference['activityId'];
  const name = activity.conversation?.name;
  return {
    text: activity.type === 'message' ? messageText(activity) : '',
    actor: { aadObjectId: activity.from?.aadObjectId ?? '', name: activity.from?.name ?? '(unknown user)' },
    tenantId: tenantId ?? '',
    conversation: {
      id: activity.conversation?.id ?? '',
      type: conversationType(activity),
      ...(typeof name === 'string' && name !== '' ? { name } : {}),
      reference,
    },
    ...(activity.id ? { activityId: activity.id } : {}),
  };
}
