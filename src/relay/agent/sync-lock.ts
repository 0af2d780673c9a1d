/**
 * One delta sync at a time per relay, whatever runs it (the command or the sandbox's simulator):
 * a second request while one runs is answered SYNC_BUSY at once instead of queueing behind it,
 * which is what Entra Connect itself would answer.
 */
import { SyncError } from '../../errors/index.ts';
import type { SyncTrigger } from '../../ports/sync-trigger.ts';

export function oneSyncAtATime(trigger: SyncTrigger): SyncTrigger {
  let running = false;
  return {
    async triggerSync() {
      if (running) throw new SyncError('SYNC_BUSY', 'A delta sync requested through this relay is still running.');
      running = true;
      try {
        return await trigger.triggerSync();
      } finally {
        running = false;
      }
    },
  };
}
