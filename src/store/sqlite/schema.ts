/**
 * The SQLite file's tables. `CREATE ... IF NOT EXISTS` so every process opening the file may run
 * it; the busy timeout set before makes a second process wait instead of failing.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS requests (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  json TEXT NOT NULL,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS requests_by_state ON requests (tenant, state, created_at);
CREATE TABLE IF NOT EXISTS audit (
  request_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (request_id, seq)
) STRICT;
CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  json TEXT NOT NULL,
  version INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS seen (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS seen_by_expiry ON seen (expires_at);
`;
