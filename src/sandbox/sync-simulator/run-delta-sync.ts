/**
 * One simulated Entra Connect delta sync over the Entra emulator: for each AD user given, predict
 * what the service does (src/domain/sync/predict.ts) against the tenant as it is at that moment,
 * then apply it through EmulatorState's Entra Connect writers. Users are handled one after the
 * other, deletions first, then by DN, so every run over the same data ends the same way.
 *
 * Export errors (a refused match, an anchor conflict, a write the emulator refuses) are recorded per
 * user in the report, as Synchronization Service Manager lists them, and never thrown.
 *
 * A synced cloud user whose anchor belongs to none of the AD users given is left alone: the runner
 * only knows the users it was given. Entra Connect deletes a cloud user when it sees the joined AD
 * object deleted or leave scope; a list of users that exist cannot tell a deleted object from one
 * that simply was not listed, and guessing would turn a partial list (a test, a filtered read)
 * into a mass deletion.
 */
import type { OnPremUser } from '../../domain/onprem-user.ts';
import { predictSync } from '../../domain/sync/predict.ts';
import type { SyncOutcome, SyncSubject } from '../../domain/sync/types.ts';
import type { EmulatorState } from '../emulator/index.ts';
import type { Logger } from '../../logging/logger.ts';
import { exportErrorOf, isExportErrorOutcome, writeErrorOf, type ExportError, type WriteOutcome } from './export-errors.ts';
import { syncTenantOf } from './sync-tenant.ts';
import { SyncTenantView } from './tenant-view.ts';
import { syncedAttributesOf } from './synced-attributes.ts';

export interface SyncRunResult {
  samAccountName: string;
  dn: string;
  outcome: SyncOutcome['kind'];
  /** The cloud user the outcome concerns: updated, joined, created, restored, deleted, or the one that refused. */
  userId?: string;
  /** Set when the export failed; the tenant was not changed for this user. */
  error?: ExportError;
  /** Set when the sync left the cloud user alone on purpose (source of authority in the cloud). */
  skipped?: string;
}

export interface SyncRunReport {
  /** ISO 8601, from the emulator's clock. */
  startedAt: string;
  finishedAt: string;
  /** One per AD user given, in the order they were handled. */
  results: SyncRunResult[];
}

export interface RunDeltaSyncOptions {
  state: EmulatorState;
  /** Every AD user the sync engine sees (in scope or not). */
  users: readonly OnPremUser[];
  /** Entra Connect's scope (OU and attribute filtering). */
  inScope: (user: OnPremUser) => boolean;
  logger?: Logger;
}

export function runDeltaSync(options: RunDeltaSyncOptions): SyncRunReport {
  const { state, logger } = options;
  const startedAt = state.now().toISOString();
  // The tenant read once and kept current as the run writes: the run stays linear in the objects.
  const view = new SyncTenantView(state);
  const results = orderedSubjects(options.users, options.inScope).map((subject) => {
    const result = syncSubject(state, subject, view);
    if (result.error) logger?.warn({ sync: result }, 'simulated sync: export error');
    else logger?.debug({ sync: result }, 'simulated sync: exported');
    return result;
  });
  const report = { startedAt, finishedAt: state.now().toISOString(), results };
  logger?.info({ users: results.length, errors: results.filter((r) => r.error).length }, 'simulated delta sync finished');
  return report;
}

/** Out-of-scope users first (their deletions free UPNs and addresses), then in scope; each group by DN. */
function orderedSubjects(users: readonly OnPremUser[], inScope: (user: OnPremUser) => boolean): SyncSubject[] {
  const subjects = users.map((onPrem) => ({ onPrem, inScope: inScope(onPrem) }));
  const key = (s: SyncSubject): string => `${s.inScope ? 1 : 0}|${s.onPrem.dn.toLowerCase()}`;
  return subjects.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * One AD object through the sync engine: predict against the tenant as it is now, then write
 * through the service, which enforces its own rules (2026 hardening included). Also the core of a
 * Cloud Sync on-demand run.
 */
export function syncSubject(state: EmulatorState, subject: SyncSubject, view?: SyncTenantView): SyncRunResult {
  const result = syncOne(state, subject, view);
  // Whatever was written (or refused half-way), the view reads that user again.
  if (view && result.userId) view.refresh(result.userId);
  return result;
}

function syncOne(state: EmulatorState, subject: SyncSubject, view: SyncTenantView | undefined): SyncRunResult {
  const base = { samAccountName: subject.onPrem.samAccountName, dn: subject.onPrem.dn };
  const tenant = view ? view.forUser(subject.onPrem) : syncTenantOf(state);
  const outcome = predictSync(subject, tenant);
  // A cloud-managed user is skipped whatever the engine would have done with it.
  const target = 'userId' in outcome ? state.activeUser(outcome.userId) : undefined;
  if (target?.isCloudManaged) return { ...base, outcome: outcome.kind, userId: target.id, skipped: CLOUD_MANAGED };
  if (isExportErrorOutcome(outcome))
    return { ...base, outcome: outcome.kind, ...concerned(outcome), error: exportErrorOf(outcome, tenant) };
  try {
    const userId = apply(state, subject.onPrem, outcome);
    return { ...base, outcome: outcome.kind, ...(userId ? { userId } : {}) };
  } catch (err) {
    return { ...base, outcome: outcome.kind, ...concerned(outcome), error: writeErrorOf(err) };
  }
}

const CLOUD_MANAGED =
  "The cloud user's source of authority is the cloud (onPremisesSyncBehavior.isCloudManaged): updates from on-premises Active Directory are blocked, the sync leaves it alone.";

/** Writes the outcome; returns the id of the user written (undefined when nothing was). */
function apply(state: EmulatorState, onPrem: OnPremUser, outcome: WriteOutcome): string | undefined {
  switch (outcome.kind) {
    case 'UPDATE':
      return state.updateSyncedUser(outcome.userId, syncedAttributesOf(onPrem)).id;
    case 'HARD_MATCH':
      return state.updateSyncedUser(outcome.userId, syncedAttributesOf(onPrem), 'hard-match').id;
    case 'SOFT_MATCH':
      return state.updateSyncedUser(outcome.userId, syncedAttributesOf(onPrem), 'soft-match').id;
    case 'RESTORE':
      return state.restoreSyncedUser(outcome.userId, syncedAttributesOf(onPrem)).id;
    case 'CREATE':
      return state.createSyncedUser(syncedAttributesOf(onPrem)).id;
    case 'DELETE':
      return state.deleteUser(outcome.userId).id;
    case 'NOTHING':
      return undefined;
  }
}

/** The cloud user an outcome names, if any (a group named by ObjectTypeMismatch is not a user). */
function concerned(outcome: SyncOutcome): { userId?: string } {
  return 'userId' in outcome ? { userId: outcome.userId } : {};
}
