/**
 * The on-premises relay as the bot and the approval flow use it (`src/relay/client` implements it
 * over the signed HTTP protocol). A port: owned by none of its callers.
 */
import type { LookupResult } from '../domain/onprem-user.ts';

/** The relay client as commands use it. Throws RelayUnavailable, InputError or DirectoryError. */
export interface RelayClient {
  /** AD users matching `who` (sAMAccountName, UPN, mail, DN or any anchor form). */
  lookup(who: string, limit?: number): Promise<LookupResult>;
}
