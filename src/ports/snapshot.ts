/**
 * Whole-directory reads for bulk work (`scan`): the AD side streamed through the relay in pages,
 * the cloud side read once, partitioned and in parallel. Implemented by the relay client and the
 * cloud directory; consumed by src/bulk, which joins both sides in memory and runs the same pure
 * diagnosis `match` uses, per user. No per-user Graph call happens during a scan.
 */
import type { CloudGroup, CloudUser } from '../domain/cloud.ts';
import type { OnPremUser } from '../domain/onprem-user.ts';

/** Which AD users a scan reads. */
export type ScanScope =
  /** Every user under this DN (must lie inside LDAP_BASE_DN; the relay refuses others). */
  | { kind: 'ou'; dn: string }
  /** The whole sync scope the relay knows (its LDAP_BASE_DN, or its configured scope OUs). */
  | { kind: 'sync-scope' };

export interface ScanProgress {
  /** Objects read so far on this side. */
  read: number;
  /** Pages read so far on this side. */
  pages: number;
}

export interface OnPremSnapshotSource {
  /**
   * Streams the AD users in `scope`, one page (at most 1,000 users, LDAP paged results) at a time,
   * with only the attributes the diagnosis needs. Throws the relay's coded errors (RelayUnavailable,
   * InputError for a DN outside the base DN, DirectoryError).
   */
  streamUsers(scope: ScanScope, options?: { signal?: AbortSignal }): AsyncIterable<OnPremUser[]>;
}

export interface CloudSnapshot {
  /** Every user in the tenant (active), with the properties the diagnosis reads. */
  users: CloudUser[];
  /** Every user in the recycle bin (`deletedDateTime` set). */
  deleted: CloudUser[];
  /** Mail-enabled groups (they can hold an address a user wants: ObjectTypeMismatch). */
  groups: CloudGroup[];
}

export interface CloudSnapshotSource {
  /**
   * Reads every user and every deleted user once (`$select`, `$top=999`, several partitions in
   * parallel, each page's 429 honoured). `onProgress` is called after each page.
   */
  readCloudSnapshot(options?: { signal?: AbortSignal; onProgress?: (progress: ScanProgress) => void }): Promise<CloudSnapshot>;
}
