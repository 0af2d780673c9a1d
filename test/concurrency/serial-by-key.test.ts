/** The per-key queue: one task at a time per key in call order, keys side by side, a failure not blocking the next. */
import { describe, expect, it } from 'vitest';
import { serialByKey } from '../../src/concurrency/serial-by-key.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serialByKey', () => {
  it('runs one key in call order and other keys alongside', async () => {
    const queue = serialByKey();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await tick(ms);
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([queue.run('a', task('a1', 30)), queue.run('a', task('a2', 1)), queue.run('b', task('b1', 5))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log).toEqual(['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end']);
  });

  it("rejects to the failed task's caller only; the next task runs", async () => {
    const queue = serialByKey();
    const failed = queue.run('a', () => Promise.reject(new Error('boom')));
    const next = queue.run('a', () => Promise.resolve('ran'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
    await queue.idle('a');
  });
});
