/**
 * Opens the store STORE_URL names: the one place that chooses an implementation.
 */
import type { TokenCredential } from '@azure/identity';
import { ConfigError } from '../errors/index.ts';
import type { RequestStore } from '../ports/request-store.ts';
import { createAzureTablesStore } from './azure-tables/index.ts';
import { createSqliteStore } from './sqlite/index.ts';
import { toStoreError, withStoreErrors } from './store-errors.ts';
import { parseStoreUrl } from './store-url.ts';

export { describeStore, storeProblemOf, storeWordsOf, type StoreProblem } from './store-errors.ts';
export { DEFAULT_STORE_URL, parseStoreUrl, type StoreLocation } from './store-url.ts';

export interface OpenStoreDeps {
  /** For `azure-tables:https://...`: how the bot signs in. Default DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Prefix of the Table Storage table names. Default `hardmatch`. */
  tablePrefix?: string;
}

/**
 * Throws ConfigError naming STORE_URL when the URL is malformed. Failures of the storage itself
 * (unreachable, refused, a sqlite file that cannot be opened or written) reject with StoreError
 * (`STORE_UNAVAILABLE` / `STORE_REFUSED`), at opening and from every call after.
 */
export function openStore(storeUrl: string, deps: OpenStoreDeps = {}): Promise<RequestStore> {
  const parsed = parseStoreUrl(storeUrl);
  if (!parsed.ok) return Promise.reject(new ConfigError([`STORE_URL: ${parsed.problem}`]));
  const { location } = parsed;
  return new Promise<RequestStore>((resolve) =>
    resolve(
      location.kind === 'sqlite'
        ? createSqliteStore(location.path)
        : createAzureTablesStore(location.target, {
            ...(deps.credential ? { credential: deps.credential } : {}),
            ...(deps.tablePrefix ? { tablePrefix: deps.tablePrefix } : {}),
          }),
    ),
  ).then(
    (store) => withStoreErrors(store, storeUrl),
    (err: unknown) => {
      throw toStoreError(err, storeUrl);
    },
  );
}
