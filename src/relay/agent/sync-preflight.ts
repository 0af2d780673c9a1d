/**
 * Before the relay runs Entra Connect's delta sync, it asks the server whether that sync would do
 * anything: a server in staging mode, or whose scheduler has the sync cycle disabled or is
 * suspended, runs the cycle but exports nothing; a retired Entra Connect version is refused by the
 * service; a cycle already running makes Start-ADSyncSyncCycle fail as busy. Each is a coded
 * SyncError whose text names the fix (to-user-text.ts), instead of a "sync completed" that
 * changed nothing and a VERIFY_JOINED that times out 45 minutes later.
 *
 * The facts come from SYNC_STATUS_COMMAND (by default Get-ADSyncScheduler and the server's
 * configuration version, as JSON), run like SYNC_COMMAND: execFile, no shell, a time limit. Its
 * output may also be Get-ADSyncScheduler's own "Name : Value" list; a fact it does not state is
 * not held against the sync.
 */
import { basename } from 'node:path';
import { SyncError } from '../../errors/index.ts';
import type { Logger } from '../../logging/logger.ts';
import type { SyncTrigger, SyncTriggerResult } from '../../ports/sync-trigger.ts';
import { MAX_SYNC_DETAIL_CHARS } from '../protocol/protocol.ts';
import { excerpt, execute, parseCommandLine } from './sync-command.ts';

/**
 * The oldest Entra Connect Sync the service still takes exports from: Microsoft required 2.5.79.0
 * or later by September 30, 2026 (the build that moved sync to the first-party "Microsoft Entra AD
 * Synchronization Service" application; after that date every synchronization service of an older
 * build fails). Source: Microsoft Learn, "Hardening update to Microsoft Entra Connect Sync"
 * (learn.microsoft.com/entra/identity/hybrid/connect/harden-update-ad-fs-pingfederate). 1.x was
 * retired in 2022.
 */
export const MIN_CONNECT_VERSION = '2.5.79.0';

/** Get-ADSyncScheduler reads in one minute at most; a status command stuck longer is broken. */
export const DEFAULT_STATUS_TIMEOUT_MS = 60_000;

/** What the server says; null where its output did not say. */
export interface SchedulerState {
  syncCycleEnabled: boolean | null;
  stagingModeEnabled: boolean | null;
  schedulerSuspended: boolean | null;
  syncCycleInProgress: boolean | null;
  version: string | null;
}

const FIELDS = {
  syncCycleEnabled: 'SyncCycleEnabled',
  stagingModeEnabled: 'StagingModeEnabled',
  schedulerSuspended: 'SchedulerSuspended',
  syncCycleInProgress: 'SyncCycleInProgress',
} as const;

function asBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  return null;
}

/** The facts from the command's output: a JSON object, or Get-ADSyncScheduler's "Name : Value" lines. */
export function parseSchedulerState(output: string): SchedulerState {
  const values = new Map<string, unknown>();
  const start = output.indexOf('{');
  const end = output.lastIndexOf('}');
  let parsed = false;
  if (start >= 0 && end > start) {
    try {
      const json: unknown = JSON.parse(output.slice(start, end + 1));
      if (json !== null && typeof json === 'object') for (const [k, v] of Object.entries(json)) values.set(k.toLowerCase(), v);
      parsed = true;
    } catch {
      parsed = false;
    }
  }
  if (!parsed) {
    for (const line of output.split(/\r?\n/)) {
      const m = /^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/.exec(line);
      if (m?.[1]) values.set(m[1].toLowerCase(), m[2] ?? '');
    }
  }
  const version = values.get('version');
  return {
    syncCycleEnabled: asBoolean(values.get(FIELDS.syncCycleEnabled.toLowerCase())),
    stagingModeEnabled: asBoolean(values.get(FIELDS.stagingModeEnabled.toLowerCase())),
    schedulerSuspended: asBoolean(values.get(FIELDS.schedulerSuspended.toLowerCase())),
    syncCycleInProgress: asBoolean(values.get(FIELDS.syncCycleInProgress.toLowerCase())),
    version: typeof version === 'string' && /^\d+(\.\d+){1,3}$/.test(version.trim()) ? version.trim() : null,
  };
}

/** Negative when `a` is older than `b` (dotted numbers, missing parts count as 0). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Why the sync would do nothing, in the order an admin should fix it; null when nothing stands in its way. */
export function refusalOf(state: SchedulerState): SyncError | null {
  const version = state.version ? ` (Entra Connect ${state.version})` : '';
  if (state.stagingModeEnabled === true) {
    return new SyncError(
      'SYNC_STAGING_MODE',
      `The Entra Connect server the relay runs on is in staging mode${version}: its sync cycle exports nothing to Entra.`,
    );
  }
  if (state.syncCycleEnabled === false) {
    return new SyncError(
      'SYNC_CYCLE_DISABLED',
      `Entra Connect's scheduler has the sync cycle disabled (SyncCycleEnabled False)${version}: the cycle would not run.`,
    );
  }
  if (state.schedulerSuspended === true) {
    return new SyncError(
      'SYNC_SCHEDULER_SUSPENDED',
      `Entra Connect's scheduler is suspended (SchedulerSuspended True)${version}: no cycle runs until it is resumed.`,
    );
  }
  if (state.version && compareVersions(state.version, MIN_CONNECT_VERSION) < 0) {
    return new SyncError(
      'SYNC_VERSION_UNSUPPORTED',
      `Entra Connect ${state.version} is older than ${MIN_CONNECT_VERSION}, the oldest version Entra still accepts exports from.`,
    );
  }
  if (state.syncCycleInProgress === true) {
    return new SyncError(
      'SYNC_BUSY',
      `Entra Connect is busy with another sync cycle (SyncCycleInProgress True${state.version ? `, version ${state.version}` : ''}).`,
    );
  }
  return null;
}

export interface SchedulerCheckOptions {
  /** SYNC_STATUS_COMMAND, split like SYNC_COMMAND. */
  command: string;
  timeoutMs?: number;
  logger: Logger;
}

/** Runs the status command and reads its facts; SYNC_FAILED (naming SYNC_STATUS_COMMAND) when it cannot. */
export function createSchedulerCheck(options: SchedulerCheckOptions): () => Promise<SchedulerState> {
  const [file = '', ...args] = parseCommandLine(options.command);
  const program = basename(file.replaceAll('\\', '/'));
  const timeoutMs = options.timeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS;
  return async () => {
    const outcome = await execute(file, args, timeoutMs);
    options.logger.debug(
      { program, outcome: outcome.kind, exitCode: outcome.kind === 'exited' ? outcome.code : null },
      'sync status command ended',
    );
    if (outcome.kind === 'exited' && outcome.code === 0) return parseSchedulerState(outcome.stdout);
    const why =
      outcome.kind === 'exited'
        ? `exited with code ${outcome.code}: ${excerpt(outcome.stdout, outcome.stderr)}`
        : outcome.kind === 'timeout'
          ? `did not finish within ${Math.round(timeoutMs / 1000)} s`
          : outcome.kind === 'not-started'
            ? `could not be started (${outcome.reason})`
            : 'was stopped';
    throw new SyncError(
      'SYNC_FAILED',
      `The sync status command (${program}) ${why}; check SYNC_STATUS_COMMAND (set it to none to skip the check).`,
    );
  };
}

/** The trigger, run only when the status check finds nothing that would make the sync a no-op. */
export function withPreflight(trigger: SyncTrigger, check: () => Promise<SchedulerState>, logger: Logger): SyncTrigger {
  return {
    async triggerSync(): Promise<SyncTriggerResult> {
      const state = await check();
      const refusal = refusalOf(state);
      if (refusal) {
        logger.warn({ code: refusal.code, version: state.version }, 'delta sync not started: it would export nothing');
        throw refusal;
      }
      const result = await trigger.triggerSync();
      if (!state.version) return result;
      const detail = `Entra Connect ${state.version}: ${result.detail}`;
      return { ...result, detail: detail.length <= MAX_SYNC_DETAIL_CHARS ? detail : `${detail.slice(0, MAX_SYNC_DETAIL_CHARS - 1)}…` };
    },
  };
}
