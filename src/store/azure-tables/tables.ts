/**
 * The four tables behind the store, each a TableClient created on first use. Creating a table that
 * exists is harmless (409 TableAlreadyExists), so several bot instances may race to create them.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { TableClient, type TableEntity, type TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { TablesTarget } from './target.ts';

export const TABLE_SUFFIXES = ['requests', 'audit', 'settings', 'seen'] as const;
export type TableName = (typeof TABLE_SUFFIXES)[number];

/** Table names are 3-63 letters and digits, starting with a letter; the longest suffix is 8. */
export const TABLE_PREFIX_PATTERN = /^[A-Za-z][A-Za-z0-9]{1,54}$/;

/** The HTTP status of an SDK error (RestError), if it has one. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('statusCode' in err)) return undefined;
  return typeof err.statusCode === 'number' ? err.statusCode : undefined;
}

export interface Tables {
  /** The client for a table, created in the account on first use. */
  table(name: TableName): Promise<TableClient>;
}

export interface TablesOptions {
  prefix: string;
  /** Only for an `endpoint` target. */
  credential: () => TokenCredential;
}

/**
 * How long one request to Table Storage may take before it is abandoned (an `AbortError`, which is
 * not retried). Table operations answer in milliseconds; a storage account behind a firewall that
 * drops packets would otherwise hold a card click until TCP gives up, long after Teams' invoke limit.
 */
export const STORE_TRY_TIMEOUT_MS = 5_000;

/**
 * Retries of a refused connection, a reset or a 5xx: a few short ones, so that a click on a card
 * is answered in about a second when the account is unreachable (the SDK's default, 3 retries from
 * 800 ms doubling, took about 6 s).
 */
const RETRY = { maxRetries: 2, retryDelayInMs: 250, maxRetryDelayInMs: 2_000 };

const tryTimeout: PipelinePolicy = {
  name: 'hardmatchStoreTryTimeout',
  sendRequest: (request, next) => {
    if (request.timeout === 0 || request.timeout > STORE_TRY_TIMEOUT_MS) request.timeout = STORE_TRY_TIMEOUT_MS;
    return next(request);
  },
};

const CLIENT_OPTIONS: TableServiceClientOptions = {
  retryOptions: RETRY,
  additionalPolicies: [{ policy: tryTimeout, position: 'perRetry' }],
};

function clientFor(target: TablesTarget, tableName: string, credential: () => TokenCredential): TableClient {
  if (target.kind === 'endpoint') return new TableClient(target.endpoint, tableName, credential(), CLIENT_OPTIONS);
  // http:// is allowed only where the connection string itself says http (Azurite), never for a token.
  return TableClient.fromConnectionString(
    target.connectionString,
    tableName,
    target.insecure ? { ...CLIENT_OPTIONS, allowInsecureConnection: true } : CLIENT_OPTIONS,
  );
}

export function createTables(target: TablesTarget, options: TablesOptions): Tables {
  const ready = new Map<TableName, Promise<TableClient>>();
  let credential: TokenCredential | undefined;
  const sharedCredential = (): TokenCredential => (credential ??= options.credential());

  const create = async (name: TableName): Promise<TableClient> => {
    const client = clientFor(target, `${options.prefix}${name}`, sharedCredential);
    try {
      await client.createTable();
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    return client;
  };

  return {
    table(name) {
      let client = ready.get(name);
      if (!client) {
        client = create(name);
        // A failed creation (network, credentials) is retried by the next call, not remembered.
        client.catch(() => ready.delete(name));
        ready.set(name, client);
      }
      return client;
    },
  };
}

export type Entity = TableEntity<Record<string, unknown>>;
