import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeItem, encodeItem } from '../../src/bulk/item-consumer.ts';
import { createStoreQueues } from '../../src/queue/store-queue.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { describeItemConsumerOver } from './item-consumer-contract.ts';

const store = createSqliteStore(':memory:');
describeItemConsumerOver('store queue (SQLite)', () =>
  Promise.resolve(createStoreQueues({ store, prefix: `p${randomUUID().slice(0, 8)}` })),
);

describe('work item messages', () => {
  it('round-trip, and anything else is not an item', () => {
    expect(decodeItem(encodeItem({ bulkId: 'b1', index: 4 }))).toEqual({ bulkId: 'b1', index: 4 });
    expect(encodeItem({ bulkId: 'b1', index: 4 })).toBe('{"b":"b1","i":4}');
    expect(decodeItem(encodeItem({ bulkId: 'b1', index: 4, counted: 3 }))).toEqual({ bulkId: 'b1', index: 4, counted: 3 });
    for (const bad of [
      '',
      '{}',
      '{"b":"","i":1}',
      '{"b":"x","i":-1}',
      '{"b":"x","i":1.5}',
      '{"b":"x","i":1,"c":-1}',
      '{"b":"x","i":1,"c":"2"}',
      '[1]',
      'null',
    ])
      expect(decodeItem(bad)).toBeNull();
  });
});
