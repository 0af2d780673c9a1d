/** One Entra Connect delta sync through the relay (`POST /v1/sync`). Throws SYNC_BUSY while one runs. */
export interface SyncTrigger {
  triggerSync(): Promise<unknown>;
}
