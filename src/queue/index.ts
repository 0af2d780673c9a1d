/**
 * Opens the work-item queues QUEUE_URL names: the one place that chooses an implementation
 * (queue-url.ts). The embedded default keeps them in the request store.
 */
import type { TokenCredential } from '@azure/identity';
import { ConfigError } from '../errors/index.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { WorkQueues } from '../ports/work-queue.ts';
import { openAzureQueues } from './azure-queues.ts';
import { parseQueueUrl } from './queue-url.ts';
import { createStoreQueues } from './store-queue.ts';

export { DEFAULT_QUEUE_URL, parseQueueUrl, type QueueLocation } from './queue-url.ts';

export interface OpenQueuesDeps {
  /** The request store: the embedded default's queues live in it. */
  store: Pick<RequestStore, 'getSetting' | 'putSetting'>;
  /** For `azure-queues:https://...`: how the bot signs in. */
  credential?: TokenCredential;
  /** Prefix of the queues' names; default `hardmatch`. */
  prefix?: string;
}

export function openWorkQueues(queueUrl: string, deps: OpenQueuesDeps): Promise<WorkQueues> {
  const parsed = parseQueueUrl(queueUrl);
  if (!parsed.ok) return Promise.reject(new ConfigError([`QUEUE_URL: ${parsed.problem}`]));
  const prefix = deps.prefix ? { prefix: deps.prefix } : {};
  if (parsed.location.kind === 'store') return Promise.resolve(createStoreQueues({ store: deps.store, ...prefix }));
  return openAzureQueues(parsed.location.target, { ...(deps.credential ? { credential: deps.credential } : {}), ...prefix });
}
