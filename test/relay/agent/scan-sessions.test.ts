import { describe, expect, it, vi } from 'vitest';
import type { OnPremUser } from '../../../src/domain/onprem-user.ts';
import { InputError } from '../../../src/errors/index.ts';
import { createScanSessions } from '../../../src/relay/agent/scan-sessions.ts';
import type { ScanScope } from '../../../src/ports/snapshot.ts';

const SCOPE: ScanScope = { kind: 'ou', dn: 'OU=Staff,DC=contoso,DC=com' };

function user(n: number): OnPremUser {
  return { samAccountName: `u${n}` } as OnPremUser;
}

/** Pages of 2 users; records when each page was asked for. */
function pagesOf(count: number, asked: number[] = [], failAt?: number): AsyncIterable<OnPremUser[]> {
  return (async function* () {
    for (let i = 0; i < count; i++) {
      asked.push(i);
      await Promise.resolve();
      if (i === failAt) throw new Error(`page ${i} failed`);
      yield [user(2 * i), user(2 * i + 1)];
    }
  })();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
}

describe('scan sessions', () => {
  it('serves every page once, in order, and ends with a null cursor on the last page', async () => {
    const sessions = createScanSessions();
    const seen: string[] = [];
    let page = await sessions.start(SCOPE, pagesOf(3));
    seen.push(...page.users.map((u) => u.samAccountName));
    while (page.cursor !== null) {
      page = await sessions.next(SCOPE, page.cursor);
      seen.push(...page.users.map((u) => u.samAccountName));
    }
    expect(seen).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5']);
    expect(sessions.size).toBe(0);
  });

  it('reads one page ahead while the caller is away, and never more', async () => {
    const asked: number[] = [];
    const sessions = createScanSessions();
    const first = await sessions.start(SCOPE, pagesOf(5, asked));
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([0, 1]);
    await sessions.next(SCOPE, first.cursor as string);
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toEqual([0, 1, 2]);
    await sessions.close();
  });

  it('answers an empty read with no users and no cursor', async () => {
    const page = await createScanSessions().start(SCOPE, pagesOf(0));
    expect(page).toEqual({ users: [], cursor: null });
  });

  it('refuses an unknown cursor, and a cursor used for another scope, with SCAN_CURSOR_EXPIRED', async () => {
    const sessions = createScanSessions();
    const first = await sessions.start(SCOPE, pagesOf(3));
    const unknown = await rejection(sessions.next(SCOPE, 'A'.repeat(32)));
    expect(unknown).toBeInstanceOf(InputError);
    expect((unknown as InputError).code).toBe('SCAN_CURSOR_EXPIRED');
    const other = await rejection(sessions.next({ kind: 'sync-scope' }, first.cursor as string));
    expect((other as InputError).code).toBe('SCAN_CURSOR_EXPIRED');
    // The same OU written in another case is the same scope.
    const again = await sessions.next({ kind: 'ou', dn: 'ou=staff,dc=contoso,dc=com' }, first.cursor as string);
    expect(again.users.map((u) => u.samAccountName)).toEqual(['u2', 'u3']);
    await sessions.close();
  });

  it('forgets a read nobody continues, and stops its search', async () => {
    vi.useFakeTimers();
    try {
      const sessions = createScanSessions({ idleMs: 1000 });
      const ended = vi.fn();
      const pages: AsyncIterable<OnPremUser[]> = {
        [Symbol.asyncIterator]: () => {
          const inner = pagesOf(4)[Symbol.asyncIterator]();
          return { next: () => inner.next(), return: (v?: unknown) => (ended(), Promise.resolve({ done: true as const, value: v })) };
        },
      };
      const startPromise = sessions.start(SCOPE, pages);
      await vi.advanceTimersByTimeAsync(1);
      const first = await startPromise;
      await vi.advanceTimersByTimeAsync(1001);
      expect(sessions.size).toBe(0);
      expect(ended).toHaveBeenCalled();
      const err = await rejection(sessions.next(SCOPE, first.cursor as string));
      expect((err as InputError).code).toBe('SCAN_CURSOR_EXPIRED');
    } finally {
      vi.useRealTimers();
    }
  });

  it('hands a failed page to the request that wants it, then forgets the read', async () => {
    const sessions = createScanSessions();
    const first = await sessions.start(SCOPE, pagesOf(3, [], 1));
    const err = await rejection(sessions.next(SCOPE, first.cursor as string));
    expect((err as Error).message).toBe('page 1 failed');
    expect(sessions.size).toBe(0);
  });

  it('refuses a second request for the same page while the first waits', async () => {
    let release: (() => void) | undefined;
    const slow: AsyncIterable<OnPremUser[]> = (async function* () {
      yield [user(0)];
      await new Promise<void>((r) => (release = r));
      yield [user(1)];
      yield [user(2)];
    })();
    const sessions = createScanSessions();
    const first = await sessions.start(SCOPE, slow);
    const waiting = sessions.next(SCOPE, first.cursor as string);
    const err = await rejection(sessions.next(SCOPE, first.cursor as string));
    expect((err as InputError).code).toBe('INPUT_INVALID');
    release?.();
    expect((await waiting).users.map((u) => u.samAccountName)).toEqual(['u1']);
    await sessions.close();
  });

  it('refuses more open reads than allowed', async () => {
    const sessions = createScanSessions({ maxOpen: 1 });
    await sessions.start(SCOPE, pagesOf(3));
    const err = await rejection(sessions.start(SCOPE, pagesOf(3)));
    expect((err as InputError).message).toContain('already serving 1 directory reads');
    await sessions.close();
  });
});
