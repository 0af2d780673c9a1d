/**
 * One bound LDAPS connection shared by every lookup. ldapts multiplexes concurrent searches on one
 * socket (by LDAP message id), so a pool is not needed; what needs care is (re)binding: sixteen
 * lookups arriving on a cold or dropped connection must wait for one bind, not start sixteen.
 */
import { readFile } from 'node:fs/promises';
import { Client, type ClientOptions } from 'ldapts';
import type { LdapConfig } from '../../config/load-relay-config.ts';
import { DirectoryError } from '../../errors/index.ts';
import type { Logger } from '../../logging/logger.ts';
import { isConnectionLost, toDirectoryError } from './ldap-errors.ts';

/** Builds an ldapts client; tests wrap the real one to count binds or reach the socket. */
export type LdapClientFactory = (options: ClientOptions) => Client;

export interface LdapConnectionOptions {
  /** Default: nothing is logged. */
  logger?: Logger;
  /** Default: `new Client(options)`. */
  clientFactory?: LdapClientFactory;
}

export interface LdapConnection {
  /**
   * Runs `operation` on a bound client. When the connection is found lost under it (server
   * restart, idle timeout), reconnects and runs it once more: lookups are reads, so a repeat is
   * harmless. Every failure is thrown as a DirectoryError.
   */
  run<T>(operation: (client: Client) => Promise<T>): Promise<T>;
  /**
   * The bound client itself, for an operation that spans many requests (a paged search, whose
   * cookie belongs to this connection and cannot move to another one). No reconnect under it: a
   * paged search cut off half-way has to start again. Failing to bind throws a DirectoryError.
   */
  client(): Promise<Client>;
  /** Unbinds; later calls to `run` fail. */
  close(): Promise<void>;
}

const defaultFactory: LdapClientFactory = (options) => new Client(options);

async function readCa(caFile: string | undefined): Promise<Buffer | undefined> {
  if (!caFile) return undefined;
  try {
    return await readFile(caFile);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new DirectoryError('DIRECTORY_TLS', `LDAP_CA_FILE names ${caFile}, which cannot be read (${code}).`, {
      cause: err,
      details: { caFile },
    });
  }
}

/** Unbind and close a client being thrown away; its errors are moot (the server may be gone). */
async function discard(client: Client): Promise<void> {
  await client.unbind().catch(() => undefined);
}

/**
 * Connect and bind a fresh client. Fresh each time: an ldapts client's message parser keeps
 * partial data across a dropped socket, which would garble the first answer on a reused client.
 */
async function openBoundClient(config: LdapConfig, factory: LdapClientFactory): Promise<Client> {
  const ca = await readCa(config.caFile);
  // Full certificate and host name verification: Node's defaults, never relaxed here.
  const client = factory({
    url: config.url,
    connectTimeout: config.connectTimeoutMs,
    timeout: config.timeoutMs,
    tlsOptions: ca ? { ca } : {},
  });
  try {
    await client.bind(config.bindDn, config.bindPassword);
    return client;
  } catch (err) {
    // A refused bind leaves the socket open; close it so the next attempt starts clean.
    await discard(client);
    throw toDirectoryError(err, config, 'bind');
  }
}

class SharedConnection implements LdapConnection {
  readonly #config: LdapConfig;
  readonly #factory: LdapClientFactory;
  readonly #logger: Logger | undefined;
  #client: Client | undefined;
  #binding: Promise<Client> | undefined;
  #closed = false;

  constructor(config: LdapConfig, options: LdapConnectionOptions) {
    this.#config = config;
    this.#factory = options.clientFactory ?? defaultFactory;
    this.#logger = options.logger;
  }

  async run<T>(operation: (c: Client) => Promise<T>): Promise<T> {
    this.#assertOpen();
    const first = await this.#attempt(operation);
    if ('ok' in first) return first.ok;
    this.#assertOpen();
    this.#logger?.info({ url: this.#config.url }, 'LDAP connection lost; reconnecting once');
    const second = await this.#attempt(operation);
    if ('ok' in second) return second.ok;
    throw toDirectoryError(second.lost, this.#config, 'search');
  }

  async client(): Promise<Client> {
    this.#assertOpen();
    return this.#bound();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#binding?.catch(() => undefined);
    const last = this.#client;
    this.#client = undefined;
    if (last) await discard(last);
  }

  #assertOpen(): void {
    if (this.#closed) throw new DirectoryError('DIRECTORY_FAILED', `The connection to ${this.#config.url} was closed by the relay.`);
  }

  /** The bound client; callers arriving while a bind is under way share that one bind. */
  #bound(): Promise<Client> {
    if (this.#client?.isBound) return Promise.resolve(this.#client);
    this.#binding ??= this.#replaceClient().finally(() => {
      this.#binding = undefined;
    });
    return this.#binding;
  }

  async #replaceClient(): Promise<Client> {
    const stale = this.#client;
    this.#client = undefined;
    if (stale) await discard(stale);
    const fresh = await openBoundClient(this.#config, this.#factory);
    if (this.#closed) await discard(fresh);
    this.#assertOpen();
    this.#logger?.debug({ url: this.#config.url, bindDn: this.#config.bindDn }, 'LDAP bound');
    this.#client = fresh;
    return fresh;
  }

  async #attempt<T>(operation: (c: Client) => Promise<T>): Promise<{ ok: T } | { lost: unknown }> {
    const client = await this.#bound();
    try {
      return { ok: await operation(client) };
    } catch (err) {
      if (!isConnectionLost(err)) throw toDirectoryError(err, this.#config, 'search');
      // Forget the dead client, unless another caller has already replaced it.
      if (this.#client === client) this.#client = undefined;
      await discard(client);
      return { lost: err };
    }
  }
}

export function createLdapConnection(config: LdapConfig, options: LdapConnectionOptions = {}): LdapConnection {
  return new SharedConnection(config, options);
}
