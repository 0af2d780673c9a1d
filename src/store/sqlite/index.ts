/**
 * The embedded store: one SQLite file through `node:sqlite` (no native addon). Several processes
 * may share the file: WAL lets readers run beside the one writer, and the busy timeout makes a
 * writer wait for the lock instead of failing with SQLITE_BUSY. Every write is one statement, so
 * each is atomic on its own and compare-and-swap is `UPDATE ... WHERE version = ?` + `changes`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ApprovalRequest, RequestState, Versioned } from '../../domain/approval/types.ts';
import type { AuditEntry } from '../../domain/audit/types.ts';
import type { RequestStore } from '../../ports/request-store.ts';
import { SCHEMA } from './schema.ts';

export interface SqliteStoreOptions {
  /** How long a write waits for another connection's lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
}

const MEMORY = ':memory:';

/** Versions are row counters, handed out as strings; anything else never matches a row. */
function parseVersion(version: string | undefined): number | null {
  return version !== undefined && /^[1-9][0-9]{0,14}$/.test(version) ? Number(version) : null;
}

function openDatabase(path: string, busyTimeoutMs: number): DatabaseSync {
  if (path !== MEMORY) mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  // The busy timeout first: switching to WAL and creating tables take locks another process may hold.
  db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  if (path !== MEMORY) db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec(SCHEMA);
  return db;
}

interface RequestRow {
  json: string;
  version: number;
}

/** Runs a synchronous statement as a promise, so a SQLite error rejects instead of throwing. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

function versioned<T>(row: RequestRow): Versioned<T> {
  return { value: JSON.parse(row.json) as T, version: String(row.version) };
}

/** Every statement the store runs, prepared once per connection. */
function prepareStatements(db: DatabaseSync) {
  return {
    insertRequest: db.prepare(
      'INSERT INTO requests (id, tenant, state, created_at, json, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (id) DO NOTHING',
    ),
    getRequest: db.prepare('SELECT json, version FROM requests WHERE id = ?'),
    updateRequest: db.prepare(
      'UPDATE requests SET tenant = ?, state = ?, json = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING json, version',
    ),
    listByState: db.prepare(
      'SELECT json, version FROM requests WHERE tenant = ? AND state IN (SELECT value FROM json_each(?)) ORDER BY created_at, id',
    ),
    insertAudit: db.prepare('INSERT INTO audit (request_id, seq, json) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    auditOf: db.prepare('SELECT json FROM audit WHERE request_id = ? ORDER BY seq'),
    getSetting: db.prepare('SELECT json, version FROM settings WHERE key = ?'),
    insertSetting: db.prepare('INSERT INTO settings (key, json, version) VALUES (?, ?, 1) ON CONFLICT (key) DO NOTHING'),
    updateSetting: db.prepare('UPDATE settings SET json = ?, version = version + 1 WHERE key = ? AND version = ? RETURNING json, version'),
    deleteSetting: db.prepare('DELETE FROM settings WHERE key = ? AND version = ?'),
    forgetExpired: db.prepare('DELETE FROM seen WHERE expires_at <= ?'),
    // An expired mark still present (written by a process whose clock runs behind) is reused.
    markSeen: db.prepare(
      'INSERT INTO seen (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen.expires_at <= ?',
    ),
  };
}

/** Every entry, or (any `seq` taken) none: one transaction. */
function appendAll(db: DatabaseSync, sql: ReturnType<typeof prepareStatements>, entries: readonly AuditEntry[]): boolean {
  if (entries.length === 1 && entries[0])
    return sql.insertAudit.run(entries[0].requestId, entries[0].seq, JSON.stringify(entries[0])).changes === 1;
  db.exec('BEGIN IMMEDIATE');
  try {
    const all = entries.every((e) => sql.insertAudit.run(e.requestId, e.seq, JSON.stringify(e)).changes === 1);
    db.exec(all ? 'COMMIT' : 'ROLLBACK');
    return all;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** `path` is a file (its folder is created) or `:memory:` (tests). */
export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): RequestStore {
  const db = openDatabase(path, options.busyTimeoutMs ?? 5_000);
  const sql = prepareStatements(db);
  let open = true;

  return {
    create: (request) =>
      settle(
        () => sql.insertRequest.run(request.id, request.tenantId, request.state, request.createdAt, JSON.stringify(request)).changes === 1,
      ),
    get: (id) =>
      settle(() => {
        const row = sql.getRequest.get(id) as RequestRow | undefined;
        return row ? versioned<ApprovalRequest>(row) : null;
      }),
    update: (next, expectedVersion) =>
      settle(() => {
        const expected = parseVersion(expectedVersion);
        if (expected === null) return null;
        const row = sql.updateRequest.get(next.tenantId, next.state, JSON.stringify(next), next.id, expected) as RequestRow | undefined;
        return row ? versioned<ApprovalRequest>(row) : null;
      }),
    listByState: (tenantId: string, states: readonly RequestState[]) =>
      settle(() => {
        if (states.length === 0) return [];
        const rows = sql.listByState.all(tenantId, JSON.stringify(states)) as unknown as RequestRow[];
        return rows.map((row) => versioned<ApprovalRequest>(row));
      }),
    appendAudit: (entry) => settle(() => appendAll(db, sql, Array.isArray(entry) ? entry : [entry as AuditEntry])),
    auditOf: (requestId) =>
      settle(() => (sql.auditOf.all(requestId) as unknown as { json: string }[]).map((row) => JSON.parse(row.json) as AuditEntry)),
    getSetting: <T>(key: string) =>
      settle(() => {
        const row = sql.getSetting.get(key) as RequestRow | undefined;
        return row ? versioned<T>(row) : null;
      }),
    putSetting: <T>(key: string, value: T, expectedVersion?: string) =>
      settle((): Versioned<T> | null => {
        const json = JSON.stringify(value);
        if (expectedVersion === undefined) {
          return sql.insertSetting.run(key, json).changes === 1 ? { value: JSON.parse(json) as T, version: '1' } : null;
        }
        const expected = parseVersion(expectedVersion);
        const row = expected === null ? undefined : (sql.updateSetting.get(json, key, expected) as RequestRow | undefined);
        return row ? versioned<T>(row) : null;
      }),
    deleteSetting: (key, expectedVersion) =>
      settle(() => {
        const expected = parseVersion(expectedVersion);
        return expected !== null && sql.deleteSetting.run(key, expected).changes === 1;
      }),
    markSeen: (key, ttlMs, now) =>
      settle(() => {
        sql.forgetExpired.run(now);
        return sql.markSeen.run(key, now + ttlMs, now).changes === 1;
      }),
    close: () =>
      settle(() => {
        if (open) {
          open = false;
          db.close();
        }
      }),
  };
}
