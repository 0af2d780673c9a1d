/**
 * What every WorkQueue does (src/ports/work-queue.ts), run against the store-backed queue (unit)
 * and Azure Storage Queues on Azurite (integration): receive hides, the visibility timeout brings a
 * message back with a higher dequeueCount, renewal keeps it hidden, a stale receipt holds nothing.
 */
import { describe, expect, it } from 'vitest';
import type { WorkQueue } from '../../src/ports/work-queue.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeWorkQueueContract(name: string, open: () => Promise<WorkQueue>): void {
  describe(`work queue contract: ${name}`, () => {
    it('a received message is hidden from other receivers until deleted', async () => {
      const queue = await open();
      await queue.send('{"b":"bulk01","i":3}');
      const first = await queue.receive(30);
      expect(first).toMatchObject({ text: '{"b":"bulk01","i":3}', dequeueCount: 1 });
      expect(await queue.receive(30)).toBeNull();
      expect(first && (await queue.delete(first))).toBe(true);
      expect(await queue.receive(30)).toBeNull();
    });

    it('comes back after its visibility timeout, counted, and the old receipt holds it no more', async () => {
      const queue = await open();
      await queue.send('item');
      const first = await queue.receive(1);
      if (!first) throw new Error('nothing received');
      await pause(1_300);
      const again = await queue.receive(30);
      expect(again).toMatchObject({ id: first.id, text: 'item', dequeueCount: 2 });
      expect(await queue.delete(first)).toBe(false);
      expect(await queue.renew(first, 30)).toBeNull();
      expect(again && (await queue.delete(again))).toBe(true);
    });

    it('renewing keeps a message hidden past its first timeout', async () => {
      const queue = await open();
      await queue.send('long item');
      const first = await queue.receive(1);
      if (!first) throw new Error('nothing received');
      await pause(500);
      const renewed = await queue.renew(first, 3);
      expect(renewed).toMatchObject({ id: first.id, dequeueCount: 1 });
      await pause(1_000);
      expect(await queue.receive(30)).toBeNull();
      expect(renewed && (await queue.delete(renewed))).toBe(true);
    });

    it('a message sent with a delay is hidden until the delay has passed, then received as new', async () => {
      const queue = await open();
      await queue.send('later', 2);
      await pause(800);
      expect(await queue.receive(30)).toBeNull();
      await pause(1_700);
      const got = await queue.receive(30);
      expect(got).toMatchObject({ text: 'later', dequeueCount: 1 });
      expect(got && (await queue.delete(got))).toBe(true);
    });

    it('two receivers at once never both get one message', async () => {
      const queue = await open();
      for (let i = 0; i < 6; i += 1) await queue.send(`m${i}`);
      const got = (await Promise.all(Array.from({ length: 12 }, () => queue.receive(30)))).filter((m) => m !== null);
      expect(got.map((m) => m.text).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    });
  });
}
