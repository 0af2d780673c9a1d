/**
 * Where approval requests, their audit trail and the bot's few settings live. Two implementations
 * pass one contract suite (test/store/contract.ts): `node:sqlite` (src/store/sqlite) and Azure Table
 * Storage / Cosmos DB Table API (src/store/azure-tables). Every state change is a compare-and-swap
 * on the stored version, so two bot instances never both win.
 */
import type { ApprovalRequest, RequestState, Versioned } from '../domain/approval/types.ts';
import type { AuditEntry } from '../domain/audit/types.ts';

export interface RequestStore {
  /** Stores a new request; false (nothing written) when the id is taken. */
  create(request: ApprovalRequest): Promise<boolean>;
  get(id: string): Promise<Versioned<ApprovalRequest> | null>;
  /**
   * Replaces the request when its stored version is still `expectedVersion`; answers the new
   * version, or null when another writer got there first (nothing written).
   */
  update(next: ApprovalRequest, expectedVersion: string): Promise<Versioned<ApprovalRequest> | null>;
  /** Requests of a tenant in any of these states, oldest first. */
  listByState(tenantId: string, states: readonly RequestState[]): Promise<Versioned<ApprovalRequest>[]>;

  /**
   * Appends `entry` when no entry with its `seq` exists yet for its request; false when one does.
   * Given several entries (consecutive entries of one request), appends all of them in one write,
   * or none (false) when any of their `seq`s is taken.
   */
  appendAudit(entry: AuditEntry | readonly AuditEntry[]): Promise<boolean>;
  /** The request's entries ordered by `seq`. */
  auditOf(requestId: string): Promise<AuditEntry[]>;

  /** A small JSON setting (e.g. the approvers' conversation), by key. */
  getSetting<T>(key: string): Promise<Versioned<T> | null>;
  /** Writes a setting: when `expectedVersion` is undefined, only if the key is absent. Null on conflict. */
  putSetting<T>(key: string, value: T, expectedVersion?: string): Promise<Versioned<T> | null>;
  /** Removes a setting when its stored version is still `expectedVersion`; false (nothing removed) otherwise. */
  deleteSetting(key: string, expectedVersion: string): Promise<boolean>;

  /**
   * Remembers an inbound activity id for `ttlMs`; false when it was already seen (a replay or a
   * redelivery). Expired marks may be removed.
   */
  markSeen(key: string, ttlMs: number, now: number): Promise<boolean>;

  close(): Promise<void>;
}
