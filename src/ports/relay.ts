/**
 * The on-premises relay as the bot, the approval flow and `check` use it (`src/relay/client`
 * implements it over the signed HTTP protocol). A port: owned by none of its callers. A caller
 * that only looks users up takes `Pick<RelayClient, 'lookup'>`.
 */
import type { LookupResult } from '../domain/onprem-user.ts';
import type { SyncTrigger } from './sync-trigger.ts';

/** The relay's own account of itself (`GET /v1/health`). */
export interface RelayHealth {
  status: 'ok' | 'failing';
  directory: 'ldap' | 'fixtures';
  sourceAnchor: 'auto' | 'objectGUID' | 'mS-DS-ConsistencyGuid';
  version: string;
  /** Present when failing: the error code and plain words, never secrets. */
  problem?: { code: string; message: string };
}

/** Throws RelayUnavailable, InputError, DirectoryError (and SyncError from triggerSync). */
export interface RelayClient extends SyncTrigger {
  /** AD users matching `who` (sAMAccountName, UPN, mail, DN or any anchor form), as the relay classifies it. */
  lookup(who: string, limit?: number): Promise<LookupResult>;
  health(): Promise<RelayHealth>;
}
