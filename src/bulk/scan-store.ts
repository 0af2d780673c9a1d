/**
 * Where scans live: in the request store's settings (compare-and-swap, shared by every bot
 * instance), so any instance can show a scan, serve its report or run its fixes. A scan is one
 * record (`bulk:<id>`); its report and its fixable users are stored in chunks
 * (`bulk:<id>:rows:<n>`, `bulk:<id>:items:<n>`) small enough for a Table Storage entity. One lock
 * per scope (`bulk-lock:<tenant>:<scope>`) keeps two scans of the same users from running at once;
 * a lock whose scan stopped reporting (SCAN_HEARTBEAT_MS) is taken over. An index per tenant
 * (`bulk-index:<tenant>`) lists what is stored, so the retention sweep finds what has expired.
 */
import type { Actor } from '../domain/approval/types.ts';
import type { ReportRow } from '../domain/bulk/report.ts';
import { isLive, type BulkScan } from '../domain/bulk/types.ts';
import type { RequestStore } from '../ports/request-store.ts';
import type { BulkItem } from './scan.ts';

/** Rows per stored chunk: ~300 KB of JSON at most, well inside one Table Storage entity. */
export const CHUNK_ROWS = 500;
const CAS_ATTEMPTS = 20;

const scanKey = (id: string): string => `bulk:${id}`;
const chunkKey = (id: string, kind: 'rows' | 'items', n: number): string => `bulk:${id}:${kind}:${n}`;
const lockKey = (tenantId: string, scopeKey: string): string => `bulk-lock:${tenantId.toLowerCase()}:${scopeKey}`;
const indexKey = (tenantId: string): string => `bulk-index:${tenantId.toLowerCase()}`;

/**
 * One entry of a tenant's index of what is stored under `bulk:<id>`, for the retention sweep
 * (scan-retention.ts): a scan (its record and chunks), or a bulk undo's items (`items` set, no record).
 */
export interface StoredScanEntry {
  id: string;
  /** When it was stored (a scan's start). */
  at: number;
  /** A bulk undo's item chunks, stored under the undo's id. */
  items?: number;
}

interface ScanLock {
  scanId: string;
  by: Actor;
  at: number;
}

export type LockOutcome = { ok: true } | { ok: false; holder: BulkScan };

export interface ScanStore {
  create(scan: BulkScan): Promise<boolean>;
  get(id: string): Promise<BulkScan | null>;
  /** Applies `change` with compare-and-swap, retrying on conflict; answers the stored scan. */
  update(id: string, change: (scan: BulkScan) => BulkScan): Promise<BulkScan>;
  /** Takes the scope's lock for `scan`, or answers the live scan that holds it. */
  lock(scan: BulkScan, now: number): Promise<LockOutcome>;
  unlock(scan: BulkScan): Promise<void>;
  /** Chunk `n` of a scan's report or users (CHUNK_ROWS values at most). */
  saveChunk(id: string, kind: 'rows' | 'items', n: number, values: readonly ReportRow[] | readonly BulkItem[]): Promise<void>;
  saveChunks(id: string, kind: 'rows', values: readonly ReportRow[]): Promise<number>;
  saveChunks(id: string, kind: 'items', values: readonly BulkItem[]): Promise<number>;
  readRows(id: string, chunks: number): AsyncIterable<ReportRow[]>;
  readItems(id: string, chunks: number): Promise<BulkItem[]>;
  /** Adds `entry` to the tenant's index (a scan is added by `create`). */
  remember(tenantId: string, entry: StoredScanEntry): Promise<void>;
  /** The tenant's index, oldest first. */
  index(tenantId: string): Promise<StoredScanEntry[]>;
  /** Deletes the scan (or a bulk undo's items): its chunks, its record, then its index entry. */
  remove(tenantId: string, id: string): Promise<void>;
}

export function createScanStore(store: RequestStore): ScanStore {
  const get = async (id: string): Promise<BulkScan | null> => (await store.getSetting<BulkScan>(scanKey(id)))?.value ?? null;
  const self: ScanStore = {
    async create(scan) {
      if ((await store.putSetting(scanKey(scan.id), scan)) === null) return false;
      await self.remember(scan.tenantId, { id: scan.id, at: scan.startedAt });
      return true;
    },
    get,
    async update(id, change) {
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
        const stored = await store.getSetting<BulkScan>(scanKey(id));
        if (!stored) throw new Error(`scan ${id} is not stored`);
        const written = await store.putSetting(scanKey(id), change(stored.value), stored.version);
        if (written) return written.value;
      }
      throw new Error(`scan ${id} kept changing under ${CAS_ATTEMPTS} attempts`);
    },
    async lock(scan, now) {
      const key = lockKey(scan.tenantId, scan.scopeKey);
      const mine: ScanLock = { scanId: scan.id, by: scan.startedBy, at: now };
      for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
        if (await store.putSetting(key, mine)) return { ok: true };
        const held = await store.getSetting<ScanLock>(key);
        if (!held) continue;
        const holder = await get(held.value.scanId);
        if (holder && isLive(holder, now)) return { ok: false, holder };
        // The holder finished or died without unlocking: take the lock over from the version read.
        if (await store.putSetting(key, mine, held.version)) return { ok: true };
      }
      throw new Error(`the lock of ${scan.scopeKey} kept changing under ${CAS_ATTEMPTS} attempts`);
    },
    async unlock(scan) {
      const key = lockKey(scan.tenantId, scan.scopeKey);
      const held = await store.getSetting<ScanLock>(key);
      if (held && held.value.scanId === scan.id) await store.deleteSetting(key, held.version);
    },
    async saveChunk(id, kind, n, values) {
      // A retried save finds its chunk already written (same scan, same content): keep it.
      await store.putSetting(chunkKey(id, kind, n), values);
    },
    async saveChunks(id: string, kind: 'rows' | 'items', values: readonly unknown[]) {
      const chunks = Math.ceil(values.length / CHUNK_ROWS);
      for (let n = 0; n < chunks; n += 1) await store.putSetting(chunkKey(id, kind, n), values.slice(n * CHUNK_ROWS, (n + 1) * CHUNK_ROWS));
      return chunks;
    },
    async *readRows(id, chunks) {
      for (let n = 0; n < chunks; n += 1) yield (await store.getSetting<ReportRow[]>(chunkKey(id, 'rows', n)))?.value ?? [];
    },
    remember: (tenantId, entry) => changeIndex(store, tenantId, (entries) => [...entries.filter((e) => e.id !== entry.id), entry]),
    async index(tenantId) {
      return [...((await store.getSetting<StoredScanEntry[]>(indexKey(tenantId)))?.value ?? [])].sort((a, b) => a.at - b.at);
    },
    async remove(tenantId, id) {
      // Chunks until the first missing one: a scan that died between saving chunks and counting them leaves none behind.
      for (const kind of ['rows', 'items'] as const) {
        let n = 0;
        while (await deleteKey(store, chunkKey(id, kind, n))) n += 1;
      }
      await deleteKey(store, scanKey(id));
      await changeIndex(store, tenantId, (entries) => entries.filter((e) => e.id !== id));
    },
    async readItems(id, chunks) {
      const items: BulkItem[] = [];
      for (let n = 0; n < chunks; n += 1) items.push(...((await store.getSetting<BulkItem[]>(chunkKey(id, 'items', n)))?.value ?? []));
      return items;
    },
  };
  return self;
}

/** Deletes the setting if present; false when there was none. */
async function deleteKey(store: RequestStore, key: string): Promise<boolean> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
    const stored = await store.getSetting<unknown>(key);
    if (!stored) return attempt > 0;
    if (await store.deleteSetting(key, stored.version)) return true;
  }
  throw new Error(`${key} kept changing under ${CAS_ATTEMPTS} attempts`);
}

async function changeIndex(
  store: RequestStore,
  tenantId: string,
  change: (entries: StoredScanEntry[]) => StoredScanEntry[],
): Promise<void> {
  const key = indexKey(tenantId);
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
    const stored = await store.getSetting<StoredScanEntry[]>(key);
    const next = change(stored?.value ?? []);
    if (await store.putSetting(key, next, stored?.version)) return;
  }
  throw new Error(`the index of stored scans kept changing under ${CAS_ATTEMPTS} attempts`);
}
