/**
 * Opens the store STORE_URL names: the one place that chooses an implementation.
 */
import type { TokenCredential } from '@azure/identity';
import { ConfigError } from '../errors/index.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { createAzureTablesStore } from './azure-tables/index.ts';
import { createSqliteStore } from './sqlite/index.ts';
import { parseStoreUrl } from './store-url.ts';

export { DEFAULT_STORE_URL, parseStoreUrl, type StoreLocation } from './store-url.ts';

export interface OpenStoreDeps {
  /** For `azure-tables:https://...`: how the bot signs in. Default DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Prefix of the Table Storage table names. Default `hardmatch`. */
  tablePrefix?: string;
}

/** Throws ConfigError naming STORE_URL when the URL is malformed. */
export function openStore(storeUrl: string, deps: OpenStoreDeps = {}): Promise<RequestStore> {
  const parsed = parseStoreUrl(storeUrl);
  if (!parsed.ok) return Promise.reject(new ConfigError([`STORE_URL: ${parsed.problem}`]));
  const { location } = parsed;
  return new Promise((resolve) =>
    resolve(
      location.kind === 'sqlite'
        ? createSqliteStore(location.path)
        : createAzureTablesStore(location.target, {
            ...(deps.credential ? { credential: deps.credential } : {}),
            ...(deps.tablePrefix ? { tablePrefix: deps.tablePrefix } : {}),
          }),
    ),
  );
}
