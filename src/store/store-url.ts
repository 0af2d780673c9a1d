/**
 * STORE_URL: where the store lives. `sqlite:<path>` (the default, `sqlite:./data/hardmatch.db`;
 * `sqlite::memory:` for tests) or `azure-tables:<connection string or https endpoint>`.
 * Pure, so configuration validates it at start-up without opening anything.
 */
import { parseTablesTarget, type TablesTarget } from './azure-tables/target.ts';

export const DEFAULT_STORE_URL = 'sqlite:./data/hardmatch.db';

export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'azure-tables'; target: TablesTarget };

export type StoreUrlParse = { ok: true; location: StoreLocation } | { ok: false; problem: string };

/** Parses STORE_URL; a problem never repeats the value (a connection string holds the account key). */
export function parseStoreUrl(url: string): StoreUrlParse {
  const value = url.trim();
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).trim();
    if (path === '') return { ok: false, problem: 'sqlite: needs a file path, e.g. sqlite:./data/hardmatch.db' };
    return { ok: true, location: { kind: 'sqlite', path } };
  }
  if (value.startsWith('azure-tables:')) {
    const parsed = parseTablesTarget(value.slice('azure-tables:'.length));
    return parsed.ok ? { ok: true, location: { kind: 'azure-tables', target: parsed.target } } : parsed;
  }
  return {
    ok: false,
    problem:
      'must be sqlite:<path> (e.g. sqlite:./data/hardmatch.db) or azure-tables:<connection string or https://<account>.table.core.windows.net>',
  };
}
