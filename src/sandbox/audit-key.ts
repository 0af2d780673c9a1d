/**
 * The sandbox's AUDIT_KEY when none is set: with a store in a file (`sqlite:<path>`), a key kept
 * in `audit.key` beside it (made once, readable by this user only), so a restarted sandbox still
 * verifies the trails it wrote; with an in-memory store, a fresh key per run (its trails die with it).
 * In production the key comes from Key Vault (infra/azure.bicep), never from the store's disk.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MIN_AUDIT_KEY_LENGTH } from '../config/load-config.ts';

export function sandboxAuditKey(env: Record<string, string | undefined>, storeUrl: string): string {
  if (env.AUDIT_KEY) return env.AUDIT_KEY;
  const path = storeUrl.startsWith('sqlite:') ? storeUrl.slice('sqlite:'.length) : ':memory:';
  if (path === ':memory:' || path === '') return randomBytes(32).toString('base64url');
  const file = join(dirname(path), 'audit.key');
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= MIN_AUDIT_KEY_LENGTH) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
