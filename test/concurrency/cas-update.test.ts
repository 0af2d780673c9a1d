/**
 * The compare-and-swap loop: writes on the version read, decides again on a lost write, writes
 * nothing on a null decision, gives up after its attempts, and starts from a known state unread.
 */
import { describe, expect, it } from 'vitest';
import { casLoop, casPutSetting, casUpdate, createWithFreshId } from '../../src/concurrency/cas-update.ts';
import { createSqliteStore } from '../../src/store/sqlite/index.ts';
import { requested } from '../domain/approval/builders.ts';

describe('casLoop', () => {
  it('decides again on what is stored when a write loses, and answers what was written', async () => {
    let stored = 1;
    let rival = true;
    const seen: number[] = [];
    const result = await casLoop({
      read: () => Promise.resolve(stored),
      decide: (n) => (seen.push(n), n + 10),
      write: (next, read) => {
        if (rival) {
          rival = false;
          stored = 5; // somebody else wrote between our read and our write
        }
        if (read !== stored) return Promise.resolve(null);
        stored = next;
        return Promise.resolve(next);
      },
      attempts: 3,
    });
    expect(seen).toEqual([1, 5]);
    expect(result).toEqual({ written: true, next: 15, stored: 15 });
  });

  it('writes nothing on a null decision, and gives up after its attempts', async () => {
    const nothing = await casLoop({ read: () => Promise.resolve(1), decide: () => null, write: () => Promise.resolve(1), attempts: 3 });
    expect(nothing).toEqual({ written: false, current: 1, exhausted: false });
    let writes = 0;
    const busy = await casLoop({
      read: () => Promise.resolve(1),
      decide: () => 2,
      write: () => (writes++, Promise.resolve(null)),
      attempts: 4,
    });
    expect(busy).toEqual({ written: false, current: 1, exhausted: true });
    expect(writes).toBe(4);
  });

  it('starts from a known state without reading', async () => {
    let reads = 0;
    const result = await casLoop({
      read: () => (reads++, Promise.resolve(0)),
      known: 7,
      decide: (n) => n + 1,
      write: (n) => Promise.resolve(n),
      attempts: 2,
    });
    expect(result.written && result.stored).toBe(8);
    expect(reads).toBe(0);
  });
});

describe('casUpdate over a store', () => {
  it('applies the change on a fresh copy after a rival write, and leaves a missing request alone', async () => {
    const store = createSqliteStore(':memory:');
    const request = requested({ id: 'r7k3q9' });
    await store.create(request);
    let rival = true;
    const result = await casUpdate(
      store,
      request.id,
      async (current) => {
        if (rival) {
          rival = false;
          await store.update({ ...current.value, who: 'rival' }, current.version);
        }
        return { ...current.value, command: `${current.value.who} seen` };
      },
      3,
    );
    expect(result.written && result.stored.value.command).toBe('rival seen');
    expect(await casUpdate(store, 'nothere', (c) => c.value, 3)).toEqual({ written: false, current: null, exhausted: false });
    expect(await casPutSetting(store, 'k', { a: 1 }, 2)).not.toBeNull();
    expect((await casPutSetting(store, 'k', { a: 2 }, 2))?.value).toEqual({ a: 2 });
    await store.close();
  });

  it('draws a fresh id while the drawn one is taken, and gives up after its attempts', async () => {
    const taken = new Set(['a', 'b']);
    const ids = ['a', 'b', 'c'];
    expect(
      await createWithFreshId(
        (id: string) => Promise.resolve(!taken.has(id)),
        () => ids.shift() ?? 'z',
        5,
      ),
    ).toBe('c');
    await expect(
      createWithFreshId(
        () => Promise.resolve(false),
        () => 'x',
        3,
      ),
    ).rejects.toThrow(/after 3 attempts/);
  });
});
