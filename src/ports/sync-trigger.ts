/**
 * One Entra Connect delta sync. A port with three implementations: the relay agent runs
 * SYNC_COMMAND (`relay/agent/sync-command.ts`), the bot asks the relay over HTTP
 * (`relay/client`, `POST /v1/sync`), and the sandbox runs its simulator.
 */

/** What one delta sync run answers, on the relay and in the bot alike. */
export interface SyncTriggerResult {
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601. */
  finishedAt: string;
  /** Plain words for the card and the audit trail, e.g. the sync command's trimmed output. */
  detail: string;
  /** Free-form and JSON-serialisable; the sandbox's simulated sync puts its per-user report here. */
  report?: unknown;
}

/** Runs one delta sync. Throws SyncError (SYNC_BUSY while one runs, SYNC_FAILED, SYNC_TIMEOUT) or RelayUnavailable. */
export interface SyncTrigger {
  triggerSync(): Promise<SyncTriggerResult>;
}
