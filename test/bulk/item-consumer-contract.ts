/**
 * The bulk work-item consumer over a real queue (the store's in unit tests, Azure Storage Queues on
 * Azurite in integration tests): a message whose consumer died comes back after its visibility
 * timeout and is run elsewhere; a message received more than the poison limit ends its item
 * failed and goes to the poison queue; a throttled item comes back after Graph's Retry-After
 * without counting toward that limit; renewal keeps a long item from being run twice; two
 * consumers on one queue never run one item at the same time.
 */
import { describe, expect, it } from 'vitest';
import { createItemConsumer, encodeItem, ItemThrottled, type ItemConsumerDeps, type ItemMessage } from '../../src/bulk/item-consumer.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { WorkQueues } from '../../src/ports/work-queue.ts';

const logger = createLogger({ level: 'silent' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await pause(20);
  }
}

/** A relay outage, as a run of an item fails with it (a failure that counts toward the poison limit). */
const relayDown = (): Promise<never> => Promise.reject(Object.assign(new Error('relay down'), { code: 'RELAY_UNAVAILABLE' }));

/** A `poison` that notes why, and the list it notes into. */
function poisonNotes(): { poisoned: string[]; poison: ItemConsumerDeps['poison'] } {
  const poisoned: string[] = [];
  return {
    poisoned,
    poison: (_item, why) => {
      poisoned.push(why);
      return Promise.resolve('poisoned');
    },
  };
}

function consumerOf(queues: WorkQueues, over: Partial<ItemConsumerDeps>) {
  return createItemConsumer({
    queues,
    run: () => Promise.resolve(),
    poison: () => Promise.resolve('poisoned'),
    active: () => Promise.resolve(true),
    logger,
    visibilitySeconds: 1,
    pollMs: 20,
    ...over,
  });
}

export function describeItemConsumerOver(name: string, open: () => Promise<WorkQueues>): void {
  describe(`bulk work-item consumer: ${name}`, () => {
    it('runs each item once and deletes its message', async () => {
      const queues = await open();
      const ran: ItemMessage[] = [];
      for (let i = 0; i < 5; i += 1) await queues.items.send(encodeItem({ bulkId: 'bulk01', index: i }));
      const consumer = consumerOf(queues, {
        run: (item) => {
          ran.push(item);
          return Promise.resolve();
        },
        concurrency: 2,
      });
      consumer.wake();
      await until('five items', () => ran.length === 5);
      await consumer.stop();
      expect(ran.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4]);
      await pause(1_300);
      expect(await queues.items.receive(1)).toBeNull();
    });

    it('a message whose consumer died comes back after its visibility timeout and runs on another', async () => {
      const queues = await open();
      await queues.items.send(encodeItem({ bulkId: 'bulk01', index: 7 }));
      const died = await queues.items.receive(1); // a consumer that received it, then was killed
      expect(died?.dequeueCount).toBe(1);
      const ran: { item: ItemMessage; at: number }[] = [];
      const consumer = consumerOf(queues, {
        run: (item) => {
          ran.push({ item, at: Date.now() });
          return Promise.resolve();
        },
      });
      const started = Date.now();
      consumer.wake();
      await until('the redelivered item', () => ran.length === 1);
      await consumer.stop();
      expect(ran[0]?.item).toEqual({ bulkId: 'bulk01', index: 7 });
      expect((ran[0]?.at ?? 0) - started).toBeGreaterThanOrEqual(500);
    });

    it('past the poison limit the item ends failed and its message goes to the poison queue', async () => {
      const queues = await open();
      await queues.items.send(encodeItem({ bulkId: 'bulk01', index: 3 }));
      for (let i = 0; i < 2; i += 1) {
        expect(await queues.items.receive(1)).not.toBeNull(); // received, then its consumer died
        await pause(1_200);
      }
      const poisoned: { item: ItemMessage; why: string }[] = [];
      let ran = 0;
      const consumer = consumerOf(queues, {
        poisonLimit: 2,
        run: () => {
          ran += 1;
          return Promise.resolve();
        },
        poison: (item, why) => {
          poisoned.push({ item, why });
          return Promise.resolve('poisoned');
        },
      });
      consumer.wake();
      await until('the poisoned item', () => poisoned.length === 1);
      await consumer.stop();
      expect(ran).toBe(0);
      expect(poisoned[0]?.why).toMatch(/received 3 times without ending/);
      const parked = await queues.poison.receive(30);
      expect(JSON.parse(parked?.text ?? '{}')).toMatchObject({ message: encodeItem({ bulkId: 'bulk01', index: 3 }) });
      await pause(1_200);
      expect(await queues.items.receive(1)).toBeNull();
    });

    it('an item that keeps failing is tried again, then poisoned with its last failure', async () => {
      const queues = await open();
      await queues.items.send(encodeItem({ bulkId: 'bulk01', index: 1 }));
      const { poisoned, poison } = poisonNotes();
      let tries = 0;
      const consumer = consumerOf(queues, {
        poisonLimit: 2,
        retrySeconds: 0,
        run: () => {
          tries += 1;
          return relayDown();
        },
        poison,
      });
      consumer.wake();
      await until('the poisoned item', () => poisoned.length === 1);
      await consumer.stop();
      expect(tries).toBe(2);
      expect(poisoned[0]).toBe('failed (RELAY_UNAVAILABLE), 2 times');
    });

    it("a throttled item comes back after Graph's Retry-After as a new message, never counted toward the poison limit", async () => {
      const queues = await open();
      await queues.items.send(encodeItem({ bulkId: 'bulk01', index: 5 }));
      const tries: number[] = [];
      const { poisoned, poison } = poisonNotes();
      const consumer = consumerOf(queues, {
        poisonLimit: 2,
        retrySeconds: 0,
        run: () => {
          tries.push(Date.now());
          // Throttled three times (more than the poison limit), the first time told to wait 2 s.
          if (tries.length <= 3) return Promise.reject(new ItemThrottled('throttled', tries.length === 1 ? 2_000 : 0));
          return Promise.resolve();
        },
        poison,
      });
      consumer.wake();
      await until('the item run once the throttling passed', () => tries.length === 4);
      await consumer.stop();
      expect(poisoned).toEqual([]);
      expect((tries[1] ?? 0) - (tries[0] ?? 0)).toBeGreaterThanOrEqual(1_800);
      await pause(1_200);
      expect(await queues.items.receive(1)).toBeNull();
    });

    it('the failures that count are carried across a throttled requeue: the limit still poisons a failing item', async () => {
      const queues = await open();
      await queues.items.send(encodeItem({ bulkId: 'bulk01', index: 6 }));
      const { poisoned, poison } = poisonNotes();
      let tries = 0;
      const consumer = consumerOf(queues, {
        poisonLimit: 2,
        retrySeconds: 0,
        run: () => {
          tries += 1;
          // Failed (counts), throttled (does not), failed again (counts: the second of the limit).
          if (tries === 2) return Promise.reject(new ItemThrottled('throttled', 0));
          return relayDown();
        },
        poison,
      });
      consumer.wake();
      await until('the poisoned item', () => poisoned.length === 1);
      await consumer.stop();
      expect(tries).toBe(3);
      expect(poisoned[0]).toBe('failed (RELAY_UNAVAILABLE), 2 times');
    });

    it('renewal keeps a long item hidden: two consumers never run one item twice', async () => {
      const queues = await open();
      for (let i = 0; i < 4; i += 1) await queues.items.send(encodeItem({ bulkId: 'bulk01', index: i }));
      const runs = new Map<number, number>();
      const running = new Set<number>();
      let overlapped = false;
      const run = async (item: ItemMessage): Promise<void> => {
        if (running.has(item.index)) overlapped = true;
        running.add(item.index);
        runs.set(item.index, (runs.get(item.index) ?? 0) + 1);
        await pause(2_500); // two and a half visibility timeouts
        running.delete(item.index);
      };
      const a = consumerOf(queues, { run, concurrency: 2 });
      const b = consumerOf(queues, { run, concurrency: 2 });
      a.wake();
      b.wake();
      await until('four items', () => [...runs.values()].length === 4 && running.size === 0, 20_000);
      await pause(1_500);
      await Promise.all([a.stop(), b.stop()]);
      expect(overlapped).toBe(false);
      expect([...runs.values()]).toEqual([1, 1, 1, 1]);
    });

    it('a message that names no work item goes to the poison queue', async () => {
      const queues = await open();
      await queues.items.send('not json');
      const consumer = consumerOf(queues, {});
      consumer.wake();
      const parked = await (async () => {
        for (let i = 0; i < 200; i += 1) {
          const m = await queues.poison.receive(30);
          if (m) return m;
          await pause(20);
        }
        return null;
      })();
      await consumer.stop();
      expect(JSON.parse(parked?.text ?? '{}')).toEqual({ message: 'not json', why: 'not a bulk work item' });
    });

    it('stops by itself once no bulk request executes', async () => {
      const queues = await open();
      const consumer = consumerOf(queues, { active: () => Promise.resolve(false), idleStopMs: 50 });
      consumer.wake();
      await consumer.idle();
    });
  });
}
