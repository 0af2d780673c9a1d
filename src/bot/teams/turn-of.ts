import { TurnContext, type Activity } from 'botbuilder';
import type { AttachedFile, ConversationType, Turn } from '../turn.ts';
import { messageText } from '../message-text.ts';
import { COMMAND_DATA_KEY } from '../../cards/card-parts.ts';
import { canonicalId } from '../../domain/ids.ts';

function conversationType(activity: Partial<Activity>): ConversationType {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'groupChat';
  return 'personal';
}

/**
 * The command a command button sent (cards/card-parts.ts `commandButton`) when the host put the
 * button's data into the message's value rather than its text (the Agents Playground does). Only a
 * string is taken, and it is then routed exactly like typed text, with the same checks.
 */
function buttonCommand(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const command = (value as Record<string, unknown>)[COMMAND_DATA_KEY];
  return typeof command === 'string' ? command : '';
}

/** The Turn of a botbuilder activity: the actor from `from`, the tenant from the conversation. */
export function turnOf(activity: Partial<Activity>, tenantId: string | undefined): Turn {
  const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown>;
  delete reference['activityId'];
  const name = activity.conversation?.name;
  return {
    text: activity.type === 'message' ? messageText(activity) || buttonCommand(activity.value) : '',
    actor: { aadObjectId: canonicalId(activity.from?.aadObjectId ?? ''), name: activity.from?.name ?? '(unknown user)' },
    tenantId: canonicalId(tenantId ?? ''),
    conversation: {
      id: activity.conversation?.id ?? '',
      type: conversationType(activity),
      ...(typeof name === 'string' && name !== '' ? { name } : {}),
      reference,
    },
    ...(activity.id ? { activityId: activity.id } : {}),
    ...filesOf(activity),
  };
}

/** Teams' attachment type for a file a user attached in a 1:1 chat with the bot. */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/**
 * Files attached to a message: Teams sends `file.download.info` with a pre-authorised `downloadUrl`
 * (docs: "Send and receive files using bot", personal scope, supportsFiles in the manifest); a
 * plain `text/csv` attachment with a `contentUrl` (Bot Framework Web Chat, the Playground) is read too.
 */
function filesOf(activity: Partial<Activity>): { files?: AttachedFile[] } {
  const files: AttachedFile[] = [];
  for (const a of activity.attachments ?? []) {
    const content = (typeof a.content === 'object' && a.content !== null ? a.content : {}) as Record<string, unknown>;
    const name = typeof a.name === 'string' ? a.name : '';
    if (a.contentType === FILE_DOWNLOAD_INFO && typeof content['downloadUrl'] === 'string') {
      files.push({
        name,
        downloadUrl: content['downloadUrl'],
        fileType: typeof content['fileType'] === 'string' ? content['fileType'].toLowerCase() : '',
      });
    } else if (a.contentType === 'text/csv' && typeof a.contentUrl === 'string') {
      files.push({ name, downloadUrl: a.contentUrl, fileType: 'csv' });
    }
  }
  return files.length > 0 ? { files } : {};
}
