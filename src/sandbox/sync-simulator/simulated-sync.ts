/**
 * The sandbox's stand-in for `Start-ADSyncSyncCycle -PolicyType Delta`: each run reads the AD users
 * afresh and runs one simulated delta sync over the emulator. Like Entra Connect, only one cycle
 * runs at a time; a run requested while one is under way waits for it and gets its report.
 */
import type { OnPremUser } from '../../domain/onprem-user.ts';
import type { EmulatorState } from '../emulator/index.ts';
import type { Logger } from '../../logging/logger.ts';
import { runDeltaSync, type SyncRunReport } from './run-delta-sync.ts';

export interface SimulatedSyncOptions {
  state: EmulatorState;
  /** Every AD user the sync engine sees, read at the start of each run. */
  listUsers: () => Promise<OnPremUser[]>;
  inScope: (user: OnPremUser) => boolean;
  logger?: Logger;
}

export interface SimulatedSync {
  runDelta(): Promise<SyncRunReport>;
}

export function createSimulatedSync(options: SimulatedSyncOptions): SimulatedSync {
  let running: Promise<SyncRunReport> | null = null;
  const runOnce = async (): Promise<SyncRunReport> => {
    const users = await options.listUsers();
    return runDeltaSync({ state: options.state, users, inScope: options.inScope, ...(options.logger ? { logger: options.logger } : {}) });
  };
  return {
    runDelta(): Promise<SyncRunReport> {
      running ??= runOnce().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
