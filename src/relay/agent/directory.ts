/**
 * What the relay agent needs from a directory. Two implementations: `ldap-directory.ts` (a real
 * AD over LDAPS, read-only) and `fixture-directory.ts` (JSON files, for the sandbox). Both search by
 * the same classification of the input (`domain/who.ts`), so they agree on what matches.
 */
import type { LookupResult, OnPremUser } from '../../domain/onprem-user.ts';
import type { Who } from '../../domain/who.ts';
import type { ScanScope } from '../../ports/snapshot.ts';

export interface Directory {
  readonly kind: 'ldap' | 'fixtures';
  /** Users matching `who`; at most `limit`, with `truncated` when there were more. */
  lookup(who: Who, limit: number): Promise<LookupResult>;
  /**
   * Every user in `scope`, `pageSize` at a time (LDAP paged results on AD), with the attributes
   * a lookup reads. Throws InputError OU_OUTSIDE_BASE_DN / OU_NOT_FOUND / INPUT_INVALID for a bad
   * OU (before any page), DirectoryError for the directory's own failures.
   */
  users(scope: ScanScope, pageSize: number): AsyncIterable<OnPremUser[]>;
  /** Bind (or load) and run one search; throws DirectoryError naming what is wrong. */
  check(): Promise<void>;
  close(): Promise<void>;
}
