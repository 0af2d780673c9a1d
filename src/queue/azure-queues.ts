/**
 * Azure Storage Queues (`@azure/storage-queue`) as the bulk work-item queue shared by every bot
 * instance: a message is hidden for its visibility timeout on receive, renewed (`updateMessage`)
 * while its item runs, and reappears with a higher `dequeueCount` if its consumer dies. A pop
 * receipt that no longer holds the message (404 MessageNotFound, 400 PopReceiptMismatch) answers
 * null / false, as the port says; any other failure rejects.
 */
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { QueueMessage, WorkQueue, WorkQueues } from '../ports/work-queue.ts';
import type { QueueTarget } from './queue-url.ts';

export interface AzureQueuesOptions {
  /** For an `https://` endpoint: how the bot signs in (Storage Queue Data Contributor); default DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Prefix of the queues' names (lowercase letters, digits, hyphens); default `hardmatch`. */
  prefix?: string;
}

/** Opens (creating them when absent) the bulk items' queue and its poison queue. */
export async function openAzureQueues(target: QueueTarget, o: AzureQueuesOptions = {}): Promise<WorkQueues> {
  const service = serviceOf(target, o.credential);
  const prefix = o.prefix ?? 'hardmatch';
  const items = service.getQueueClient(`${prefix}-bulk-items`);
  const poison = service.getQueueClient(`${prefix}-bulk-items-poison`);
  await Promise.all([items.createIfNotExists(), poison.createIfNotExists()]);
  return { kind: 'azure-queues', items: azureQueue(items), poison: azureQueue(poison) };
}

function serviceOf(target: QueueTarget, credential: TokenCredential | undefined): QueueServiceClient {
  if (target.kind === 'connection-string') return QueueServiceClient.fromConnectionString(target.connectionString);
  return new QueueServiceClient(target.endpoint, credential ?? new DefaultAzureCredential());
}

export function azureQueue(client: QueueClient): WorkQueue {
  return {
    name: client.name,
    async send(text, delaySeconds = 0) {
      await client.sendMessage(text, delaySeconds > 0 ? { visibilityTimeout: Math.ceil(delaySeconds) } : {});
    },
    async receive(visibilitySeconds) {
      const answer = await client.receiveMessages({ numberOfMessages: 1, visibilityTimeout: visibilitySeconds });
      const item = answer.receivedMessageItems[0];
      return item ? { id: item.messageId, text: item.messageText, dequeueCount: item.dequeueCount, receipt: item.popReceipt } : null;
    },
    async renew(message, visibilitySeconds) {
      try {
        const answer = await client.updateMessage(message.id, message.receipt, undefined, visibilitySeconds);
        return answer.popReceipt ? { ...message, receipt: answer.popReceipt } : null;
      } catch (err) {
        if (lostHold(err)) return null;
        throw err;
      }
    },
    async delete(message: QueueMessage) {
      try {
        await client.deleteMessage(message.id, message.receipt);
        return true;
      } catch (err) {
        if (lostHold(err)) return false;
        throw err;
      }
    },
  };
}

/** The message is gone (404) or another consumer received it since (400 PopReceiptMismatch). */
function lostHold(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const status = 'statusCode' in err ? err.statusCode : undefined;
  const code = 'code' in err ? err.code : undefined;
  return status === 404 || code === 'MessageNotFound' || code === 'PopReceiptMismatch';
}
