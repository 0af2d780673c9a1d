/**
 * What the relay agent needs from a directory. Two implementations: `ldap-directory.ts` (a real
 * AD over LDAPS, read-only) and `fixture-directory.ts` (JSON files, for the sandbox). Both search by
 * the same classification of the input (`domain/who.ts`), so they agree on what matches.
 */
import type { LookupResult } from '../../domain/onprem-user.ts';
import type { Who } from '../../domain/who.ts';

export interface Directory {
  readonly kind: 'ldap' | 'fixtures';
  /** Users matching `who`; at most `limit`, with `truncated` when there were more. */
  lookup(who: Who, limit: number): Promise<LookupResult>;
  /** Bind (or load) and run one search; throws DirectoryError naming what is wrong. */
  check(): Promise<void>;
  close(): Promise<void>;
}
