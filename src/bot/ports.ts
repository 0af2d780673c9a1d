/**
 * What the bot's commands need from the outside world, as narrow interfaces. The real
 * implementations (`src/relay-client`) satisfy them structurally; tests pass plain fakes.
 */
import type { LookupResult } from '../domain/onprem-user.ts';
import type { Logger } from '../logging/logger.ts';

/** The relay client as commands use it. Throws RelayUnavailable, InputError or DirectoryError. */
export interface RelayClient {
  /** AD users matching `who` (sAMAccountName, UPN, mail, DN or any anchor form). */
  lookup(who: string, limit?: number): Promise<LookupResult>;
}

export interface CommandDeps {
  /** Every card says SANDBOX when true. */
  sandbox: boolean;
  /** Undefined when RELAY_URL is not configured: only local conversions work. */
  relay?: RelayClient;
  logger: Logger;
}
