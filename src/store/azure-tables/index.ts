/**
 * The store for several bot instances: Azure Table Storage or Cosmos DB for Table, through
 * `@azure/data-tables`. Compare-and-swap is the entity's ETag: `updateEntity(..., 'Replace',
 * { etag })` answers 412 when another writer changed the entity first. "Only if absent" is
 * `createEntity`, which answers 409 when the key is taken.
 *
 * Requests live in one fixed partition with RowKey = id: `get(id)`, the call behind every card
 * click, is then a point read (with tenant partitions it would be a query across the table, since
 * the port's `get` knows only the id), and `listByState` is one partition query filtered on the
 * `tenantId` and `state` properties. A deployment serves one tenant, so the partition holds what a
 * tenant partition would. Audit entries are partitioned by request, RowKey the zero-padded seq.
 */
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { ApprovalRequest, RequestState, Versioned } from '../../domain/approval/types.ts';
import type { AuditEntry } from '../../domain/audit/types.ts';
import { ConfigError } from '../../errors/index.ts';
import type { RequestStore } from '../../ports/request-store.ts';
import { fromJsonColumns, jsonColumns, seqKey, tableKey } from './entity-codec.ts';
import { createTables, statusOf, TABLE_PREFIX_PATTERN, type Entity, type Tables } from './tables.ts';
import { parseTablesTarget, type TablesTarget } from './target.ts';

export { parseTablesTarget, type TablesTarget } from './target.ts';

export interface AzureTablesStoreOptions {
  /** Prefix of the four table names (`<prefix>requests`, `audit`, `settings`, `seen`). Default `hardmatch`. */
  tablePrefix?: string;
  /** For an https:// endpoint target. Default: a DefaultAzureCredential (managed identity in Azure). */
  credential?: TokenCredential;
}

/** An entity as read back: its properties and its ETag. */
type Stored = TableEntityResult<Record<string, unknown>>;

const REQUESTS_PARTITION = 'requests';
const SETTINGS_PARTITION = 'settings';
const SEEN_PARTITION = 'seen';

/** Runs a conditional write; the statuses that mean "someone else got there first" become null. */
async function unlessConflict<T>(write: () => Promise<T>, conflicts: readonly number[]): Promise<T | null> {
  try {
    return await write();
  } catch (err) {
    const status = statusOf(err);
    if (status !== undefined && conflicts.includes(status)) return null;
    throw err;
  }
}

const CREATE_CONFLICT = [409];
/** 412: the ETag changed. 404: no such entity, so nothing to replace. */
const REPLACE_CONFLICT = [412, 404];

function versionOf(etag: string | undefined): string {
  if (!etag) throw new Error('Table Storage answered a write without an ETag');
  return etag;
}

/** What the caller gets back: the value as it was stored (a JSON copy) and its ETag. */
function stored<T>(value: T, etag: string | undefined): Versioned<T> {
  return { value: JSON.parse(JSON.stringify(value)) as T, version: versionOf(etag) };
}

function read<T>(entity: Stored): Versioned<T> {
  return { value: fromJsonColumns<T>(entity), version: entity.etag };
}

async function getEntity(client: TableClient, partitionKey: string, rowKey: string): Promise<Stored | null> {
  return unlessConflict(() => client.getEntity<Record<string, unknown>>(partitionKey, rowKey), [404]);
}

async function createIfAbsent(client: TableClient, entity: Entity): Promise<string | null> {
  const response = await unlessConflict(() => client.createEntity(entity), CREATE_CONFLICT);
  return response ? versionOf(response.etag) : null;
}

/** An ETag as Table Storage writes it; anything else would be refused with 400, so it simply never matches. */
const ETAG = /^(W\/)?"[^"]+"$/;

async function replaceIfUnchanged(client: TableClient, entity: Entity, etag: string): Promise<string | null> {
  if (!ETAG.test(etag)) return null;
  const response = await unlessConflict(() => client.updateEntity(entity, 'Replace', { etag }), REPLACE_CONFLICT);
  return response ? versionOf(response.etag) : null;
}

async function listAll(client: TableClient, filter: string): Promise<Stored[]> {
  const entities: Stored[] = [];
  for await (const entity of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) entities.push(entity);
  return entities;
}

function requestEntity(request: ApprovalRequest): Entity {
  return {
    partitionKey: REQUESTS_PARTITION,
    rowKey: tableKey(request.id),
    tenantId: request.tenantId,
    state: request.state,
    createdAt: request.createdAt,
    ...jsonColumns(request, `Request ${request.id}`),
  };
}

function requestMethods(tables: Tables): Pick<RequestStore, 'create' | 'get' | 'update' | 'listByState'> {
  return {
    async create(request) {
      return (await createIfAbsent(await tables.table('requests'), requestEntity(request))) !== null;
    },
    async get(id) {
      const entity = await getEntity(await tables.table('requests'), REQUESTS_PARTITION, tableKey(id));
      return entity ? read<ApprovalRequest>(entity) : null;
    },
    async update(next, expectedVersion) {
      const etag = await replaceIfUnchanged(await tables.table('requests'), requestEntity(next), expectedVersion);
      return etag === null ? null : stored(next, etag);
    },
    async listByState(tenantId: string, states: readonly RequestState[]) {
      if (states.length === 0) return [];
      const anyState = states.map((state) => odata`state eq ${state}`).join(' or ');
      const filter = `${odata`PartitionKey eq ${REQUESTS_PARTITION} and tenantId eq ${tenantId}`} and (${anyState})`;
      const found = (await listAll(await tables.table('requests'), filter)).map((e) => read<ApprovalRequest>(e));
      // Cosmos DB for Table does not sort query results; Table Storage sorts by RowKey, not age.
      return found.sort((a, b) => a.value.createdAt - b.value.createdAt || (a.value.id < b.value.id ? -1 : 1));
    },
  };
}

function auditMethods(tables: Tables): Pick<RequestStore, 'appendAudit' | 'auditOf'> {
  return {
    async appendAudit(entry) {
      const entries: readonly AuditEntry[] = Array.isArray(entry) ? entry : [entry as AuditEntry];
      const entities = entries.map((e) => ({
        partitionKey: tableKey(e.requestId),
        rowKey: seqKey(e.seq),
        ...jsonColumns(e, `Audit entry ${e.seq} of ${e.requestId}`),
      }));
      const client = await tables.table('audit');
      const [only] = entities;
      if (!only) return true;
      if (entities.length === 1) return (await createIfAbsent(client, only)) !== null;
      // One entity group transaction (one request's partition): all are created, or none (409).
      return (await unlessConflict(() => client.submitTransaction(entities.map((e) => ['create', e] as const)), CREATE_CONFLICT)) !== null;
    },
    async auditOf(requestId) {
      const entities = await listAll(await tables.table('audit'), odata`PartitionKey eq ${tableKey(requestId)}`);
      // Sorted here too: Cosmos DB for Table returns a partition in no guaranteed order.
      return entities.map((e) => fromJsonColumns<AuditEntry>(e)).sort((a, b) => a.seq - b.seq);
    },
  };
}

function settingMethods(tables: Tables): Pick<RequestStore, 'getSetting' | 'putSetting' | 'deleteSetting'> {
  return {
    async getSetting<T>(key: string) {
      const entity = await getEntity(await tables.table('settings'), SETTINGS_PARTITION, tableKey(key));
      return entity ? read<T>(entity) : null;
    },
    async putSetting<T>(key: string, value: T, expectedVersion?: string) {
      const client = await tables.table('settings');
      const entity = { partitionKey: SETTINGS_PARTITION, rowKey: tableKey(key), ...jsonColumns(value, `Setting ${key}`) };
      const etag =
        expectedVersion === undefined ? await createIfAbsent(client, entity) : await replaceIfUnchanged(client, entity, expectedVersion);
      return etag === null ? null : stored(value, etag);
    },
    async deleteSetting(key: string, expectedVersion: string) {
      if (!ETAG.test(expectedVersion)) return false;
      const client = await tables.table('settings');
      return (
        (await unlessConflict(
          () => client.deleteEntity(SETTINGS_PARTITION, tableKey(key), { etag: expectedVersion }),
          REPLACE_CONFLICT,
        )) !== null
      );
    },
  };
}

/**
 * Creating the mark is the claim (409: already there). An expired mark is reclaimed by replacing
 * it with the ETag just read, so of two callers reclaiming it at once only one succeeds.
 */
async function markSeen(tables: Tables, key: string, ttlMs: number, now: number): Promise<boolean> {
  const client = await tables.table('seen');
  const mark = { partitionKey: SEEN_PARTITION, rowKey: tableKey(key), expiresAt: now + ttlMs };
  if ((await createIfAbsent(client, mark)) !== null) return true;
  const existing = await getEntity(client, SEEN_PARTITION, mark.rowKey);
  if (existing === null) return (await createIfAbsent(client, mark)) !== null;
  if (typeof existing.expiresAt === 'number' && existing.expiresAt > now) return false;
  return (await replaceIfUnchanged(client, mark, existing.etag)) !== null;
}

/**
 * `target`: a connection string or an https:// table endpoint (see `parseTablesTarget`), already
 * parsed, or as text. Nothing is contacted until the first call; each table is created then.
 */
export function createAzureTablesStore(target: string | TablesTarget, options: AzureTablesStoreOptions = {}): RequestStore {
  const parsed = typeof target === 'string' ? parseTablesTarget(target) : { ok: true as const, target };
  if (!parsed.ok) throw new ConfigError([`azure-tables target: ${parsed.problem}`]);
  const prefix = options.tablePrefix ?? 'hardmatch';
  if (!TABLE_PREFIX_PATTERN.test(prefix)) {
    throw new ConfigError([`table prefix "${prefix}": must be 2-55 letters and digits, starting with a letter`]);
  }
  const tables = createTables(parsed.target, { prefix, credential: () => options.credential ?? new DefaultAzureCredential() });
  return {
    ...requestMethods(tables),
    ...auditMethods(tables),
    ...settingMethods(tables),
    markSeen: (key, ttlMs, now) => markSeen(tables, key, ttlMs, now),
    close: () => Promise.resolve(),
  };
}
