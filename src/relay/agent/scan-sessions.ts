/**
 * Whole-directory reads held open between requests. A scan asks for one page per signed request;
 * the LDAP paged search behind it (whose cookie belongs to one connection) stays here, keyed by an
 * unguessable cursor, and reads one page ahead while the bot is busy with the last one, so the
 * directory's latency and the HTTP round trip overlap instead of adding up.
 *
 * Invariants: at most one page is buffered per read (memory is bounded by the page size, never by
 * the directory's size); a read nobody asks for within `idleMs` is closed and its cursor forgotten;
 * a cursor only ever continues the scope it was minted for.
 */
import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { OnPremUser } from '../../domain/onprem-user.ts';
import { InputError } from '../../errors/index.ts';
import type { ScanScope } from '../../ports/snapshot.ts';

export interface ScanPage {
  users: OnPremUser[];
  /** Null on the last page. */
  cursor: string | null;
}

export interface ScanSessions {
  /** The first page of a new read over `pages`. */
  start(scope: ScanScope, pages: AsyncIterable<OnPremUser[]>): Promise<ScanPage>;
  /** The next page of the read `cursor` names; SCAN_CURSOR_EXPIRED when there is none (anymore). */
  next(scope: ScanScope, cursor: string): Promise<ScanPage>;
  /** Reads open now. */
  readonly size: number;
  /** Ends every open read. */
  close(): Promise<void>;
}

export interface ScanSessionOptions {
  /** A read nobody continues for this long is closed. Default 120 s. */
  idleMs?: number;
  /** Most reads open at once; more are refused until one ends. Default 8. */
  maxOpen?: number;
}

export const DEFAULT_SCAN_IDLE_MS = 120_000;
export const DEFAULT_MAX_OPEN_SCANS = 8;

type Settled = { done: true } | { done: false; users: OnPremUser[] } | { failed: unknown };

interface Session {
  scopeKey: string;
  iterator: AsyncIterator<OnPremUser[]>;
  ahead: Promise<Settled>;
  timer: NodeJS.Timeout | undefined;
  /** A request is waiting on this read's page: a second one at once would get the same page twice. */
  busy: boolean;
}

function keyOf(scope: ScanScope): string {
  return scope.kind === 'ou' ? `ou:${scope.dn.trim().toLowerCase()}` : 'sync-scope';
}

/** The iterator's next page as a value that never rejects (a failure is kept for the request that wants the page). */
function readAhead(iterator: AsyncIterator<OnPremUser[]>): Promise<Settled> {
  return iterator.next().then(
    (r): Settled => (r.done === true ? { done: true } : { done: false, users: r.value }),
    (failed: unknown): Settled => ({ failed }),
  );
}

/** The settled value if it is already there (a finished search ends without any I/O), else undefined. */
async function peek(ahead: Promise<Settled>): Promise<Settled | undefined> {
  return Promise.race([ahead, nextTurn().then(() => undefined)]);
}

export function createScanSessions(options: ScanSessionOptions = {}): ScanSessions {
  const idleMs = options.idleMs ?? DEFAULT_SCAN_IDLE_MS;
  const maxOpen = options.maxOpen ?? DEFAULT_MAX_OPEN_SCANS;
  const sessions = new Map<string, Session>();

  const end = (cursor: string): void => {
    const session = sessions.get(cursor);
    if (!session) return;
    sessions.delete(cursor);
    clearTimeout(session.timer);
    // Stops the paged search; a failure while stopping concerns nobody any more.
    void session.iterator.return?.().catch(() => undefined);
  };

  const arm = (cursor: string, session: Session): void => {
    clearTimeout(session.timer);
    session.timer = setTimeout(() => end(cursor), idleMs);
    session.timer.unref();
  };

  /** Hands out `settled` as a page, keeping the read (and reading ahead) when more may follow. */
  const serve = async (cursor: string, session: Session, settled: Settled): Promise<ScanPage> => {
    if ('failed' in settled) {
      end(cursor);
      throw settled.failed;
    }
    if (settled.done) {
      end(cursor);
      return { users: [], cursor: null };
    }
    session.ahead = readAhead(session.iterator);
    const following = await peek(session.ahead);
    if (following !== undefined && 'done' in following && following.done) {
      end(cursor);
      return { users: settled.users, cursor: null };
    }
    arm(cursor, session);
    return { users: settled.users, cursor };
  };

  return {
    get size() {
      return sessions.size;
    },
    async start(scope, pages) {
      if (sessions.size >= maxOpen) {
        throw new InputError(
          'INPUT_INVALID',
          `The relay is already serving ${maxOpen} directory reads; try again when one of them has finished.`,
        );
      }
      const cursor = randomBytes(24).toString('base64url');
      const iterator = pages[Symbol.asyncIterator]();
      const session: Session = { scopeKey: keyOf(scope), iterator, ahead: readAhead(iterator), timer: undefined, busy: false };
      sessions.set(cursor, session);
      return serve(cursor, session, await session.ahead);
    },
    async next(scope, cursor) {
      const session = sessions.get(cursor);
      if (!session || session.scopeKey !== keyOf(scope)) {
        throw new InputError(
          'SCAN_CURSOR_EXPIRED',
          `The relay has no directory read under that cursor for this scope: it ended, or was closed after ${Math.round(idleMs / 1000)} s without a request, or the relay restarted.`,
        );
      }
      if (session.busy)
        throw new InputError('INPUT_INVALID', 'That page of the directory read is already being fetched by another request.');
      // No timer while a request waits on the page: the wait is not idleness.
      clearTimeout(session.timer);
      session.busy = true;
      try {
        return await serve(cursor, session, await session.ahead);
      } finally {
        session.busy = false;
      }
    },
    async close() {
      for (const cursor of [...sessions.keys()]) end(cursor);
      await Promise.resolve();
    },
  };
}
