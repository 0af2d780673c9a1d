import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStoreQueue, createStoreQueues } from '../../src/queue/store-queue.ts';
import { openWorkQueues, parseQueueUrl } from '../../src/queue/index.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { describeWorkQueueContract } from './contract.ts';

const store = createSqliteStore(':memory:');
describeWorkQueueContract('store (SQLite)', () => Promise.resolve(createStoreQueue({ store }, `q-${randomUUID()}`)));

describe('store queue', () => {
  it('keeps the items and the poison queue apart, in the store', async () => {
    const own = createSqliteStore(':memory:');
    const queues = createStoreQueues({ store: own, prefix: 'p' });
    await queues.poison.send('bad');
    expect(await queues.items.receive(5)).toBeNull();
    expect(await queues.poison.receive(5)).toMatchObject({ text: 'bad' });
    expect(await own.getSetting('queue:p-bulk-items-poison')).not.toBeNull();
  });

  it('gives up after many concurrent changes in a row, saying so', async () => {
    const busy = {
      getSetting: <T>() => Promise.resolve({ value: { seq: 0, messages: [] } as T, version: '1' }),
      putSetting: () => Promise.resolve(null),
    };
    await expect(createStoreQueue({ store: busy }, 'q').send('x')).rejects.toThrow(/concurrent changes/);
  });
});

describe('QUEUE_URL', () => {
  it('store is the embedded default; azure-queues takes a connection string or an https endpoint', () => {
    expect(parseQueueUrl('store')).toEqual({ ok: true, location: { kind: 'store' } });
    expect(parseQueueUrl('azure-queues:https://acct.queue.core.windows.net/')).toEqual({
      ok: true,
      location: { kind: 'azure-queues', target: { kind: 'endpoint', endpoint: 'https://acct.queue.core.windows.net' } },
    });
    const cs = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net';
    expect(parseQueueUrl(`azure-queues:${cs}`)).toMatchObject({ ok: true, location: { target: { kind: 'connection-string' } } });
  });

  it('refuses other shapes without repeating the value (a connection string holds the key)', async () => {
    for (const bad of [
      'sqlite:x',
      'azure-queues:http://acct.queue.core.windows.net',
      'azure-queues:AccountKey=sekret',
      'azure-queues:nonsense',
    ]) {
      const parsed = parseQueueUrl(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problem).not.toContain('sekret');
    }
    await expect(openWorkQueues('nonsense', { store })).rejects.toThrow(/QUEUE_URL: must be `store`/);
  });
});
