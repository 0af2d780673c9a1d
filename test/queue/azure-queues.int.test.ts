/**
 * Azure Storage Queues on Azurite's Queue service: the work-queue contract (receive hides,
 * redelivery after the visibility timeout with dequeueCount, renewal, stale pop receipts), and the
 * bulk work-item consumer over it (redelivery, poison limit, two consumers never running one item
 * twice).
 */
import { randomUUID } from 'node:crypto';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureQueue } from '../../src/queue/azure-queues.ts';
import { queueSection } from '../../src/check/queue-check.ts';
import { Report } from '../../src/check/report.ts';
import { staticTokenCredential } from '../../src/cloud-directory/index.ts';
import { openWorkQueues } from '../../src/queue/index.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { startAzurite, type RunningAzurite } from '../support/azurite.ts';
import { describeItemConsumerOver } from '../bulk/item-consumer-contract.ts';
import { describeWorkQueueContract } from './contract.ts';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite({ queues: true });
});
afterAll(async () => {
  await azurite?.stop();
});

const store = createSqliteStore(':memory:');
const freshPrefix = (): string => `t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const open = () => openWorkQueues(`azure-queues:${azurite.connectionString}`, { store, prefix: freshPrefix() });

describeWorkQueueContract('Azure Storage Queues (Azurite)', async () => (await open()).items);
describeItemConsumerOver('Azure Storage Queues (Azurite)', open);

describe('Azure Storage Queues adapter', () => {
  it('`hardmatch check` opens the queues QUEUE_URL names', async () => {
    const lines: string[] = [];
    const report = new Report((l) => lines.push(l));
    await queueSection(
      { queueUrl: `azure-queues:${azurite.connectionString}`, credential: staticTokenCredential('t'), timeoutMs: 10_000 },
      report,
    );
    expect(report.failures).toBe(0);
    expect(lines.join('\n')).toMatch(/OK: opened hardmatch-bulk-items and hardmatch-bulk-items-poison/);
  });

  it('creates the items and poison queues under the prefix', async () => {
    const prefix = freshPrefix();
    const queues = await openWorkQueues(`azure-queues:${azurite.connectionString}`, { store, prefix });
    expect(queues).toMatchObject({
      kind: 'azure-queues',
      items: { name: `${prefix}-bulk-items` },
      poison: { name: `${prefix}-bulk-items-poison` },
    });
    const names: string[] = [];
    for await (const q of QueueServiceClient.fromConnectionString(azurite.connectionString).listQueues({ prefix })) names.push(q.name);
    expect(names.sort()).toEqual([`${prefix}-bulk-items`, `${prefix}-bulk-items-poison`]);
  });

  it('a failure other than a lost hold rejects (the queue was deleted under it)', async () => {
    const client = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(freshPrefix());
    await client.create();
    const queue = azureQueue(client);
    await queue.send('x');
    const message = await queue.receive(30);
    await client.delete();
    await expect(queue.send('y')).rejects.toThrow();
    expect(message && (await queue.delete(message))).toBe(false);
  });
});
