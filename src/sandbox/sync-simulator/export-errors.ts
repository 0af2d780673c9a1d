/**
 * Export errors as Synchronization Service Manager lists them: one code and one sentence per AD
 * user whose export the service refused. Codes are Entra Connect's error names where there is one
 * (InvalidSoftMatch, ObjectTypeMismatch, InvalidHardMatch, ObjectConflict); an emulator write that
 * fails carries Graph's own code. Made here only, so the runner's report reads the same everywhere.
 */
import { privilegedRoles } from '../../domain/cloud.ts';
import type { SyncOutcome, SyncTenant } from '../../domain/sync/types.ts';
import { isGraphServiceError } from '../emulator/index.ts';

export interface ExportError {
  code: string;
  message: string;
}

/** Outcomes that write (or, out of scope, leave alone); every other outcome is a refused export. */
export type WriteOutcome = Extract<
  SyncOutcome,
  { kind: 'UPDATE' | 'HARD_MATCH' | 'SOFT_MATCH' | 'RESTORE' | 'CREATE' | 'DELETE' | 'NOTHING' }
>;
/** Outcomes in which the service refuses the export: nothing is written. */
export type ExportErrorOutcome = Exclude<SyncOutcome, WriteOutcome>;

const WRITE_KINDS: ReadonlySet<string> = new Set<WriteOutcome['kind']>([
  'UPDATE',
  'HARD_MATCH',
  'SOFT_MATCH',
  'RESTORE',
  'CREATE',
  'DELETE',
  'NOTHING',
]);

export function isExportErrorOutcome(outcome: SyncOutcome): outcome is ExportErrorOutcome {
  return !WRITE_KINDS.has(outcome.kind);
}

/**
 * Refusals named by kind rather than by a case below, so a refusal the prediction learns (the 2026
 * remap refusal) reads in the service's words here too; Microsoft's exact text (MC1263280).
 */
const REFUSALS_BY_KIND: Readonly<Record<string, ExportError>> = {
  REMAP_BLOCKED: {
    code: 'InvalidHardMatch',
    message: 'Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping.',
  },
};

const matchedOn = (via: 'SMTP' | 'UPN'): string => (via === 'SMTP' ? 'primary SMTP address' : 'userPrincipalName');

/** `tenant` (the one the outcome was predicted on) lets a refusal name the roles it was refused for. */
export function exportErrorOf(outcome: ExportErrorOutcome, tenant?: SyncTenant): ExportError {
  const known = REFUSALS_BY_KIND[outcome.kind];
  if (known) return { ...known };
  switch (outcome.kind) {
    case 'INVALID_SOFT_MATCH':
      return {
        code: 'InvalidSoftMatch',
        message: `Soft match on the ${matchedOn(outcome.via)} found cloud user ${outcome.userId}, which is already joined to another on-premises object${outcome.candidateImmutableId ? ` (onPremisesImmutableId ${outcome.candidateImmutableId})` : ''}.`,
      };
    case 'OBJECT_TYPE_MISMATCH':
      return {
        code: 'ObjectTypeMismatch',
        message: `The primary SMTP address is held by object ${outcome.objectId}, which is not a user (e.g. a mail-enabled group).`,
      };
    case 'HARD_MATCH_BLOCKED':
      return {
        code: 'InvalidHardMatch',
        message:
          outcome.reason === 'ADMIN_ROLE'
            ? `Hard match onto cloud user ${outcome.userId} refused: it holds an Entra admin role${rolesOf(tenant, outcome.userId)}.`
            : `Hard match onto cloud-only user ${outcome.userId} refused: the tenant has blockCloudObjectTakeoverThroughHardMatchEnabled on.`,
      };
    case 'SOFT_MATCH_BLOCKED':
      return outcome.reason === 'ADMIN_ROLE'
        ? {
            code: 'AdminRoleConflict',
            message: `Soft match on the ${matchedOn(outcome.via)} onto cloud user ${outcome.userId} refused: it holds an Entra admin role.`,
          }
        : {
            code: 'InvalidSoftMatch',
            message: `Soft match on the ${matchedOn(outcome.via)} onto cloud user ${outcome.userId} refused: the tenant has blockSoftMatchEnabled on.`,
          };
    case 'ANCHOR_CONFLICT':
      return {
        code: 'ObjectConflict',
        message: `Another object with the same value for property onPremisesImmutableId already exists. Conflicting object: User_${outcome.userId}${outcome.deleted ? ' (in the recycle bin: it blocks the anchor until it is purged)' : ''}.`,
      };
    default:
      return { code: 'ExportRefused', message: `The service refused the export (${(outcome as { kind: string }).kind}).` };
  }
}

/** " (Global Administrator, User Administrator)": the roles the user holds or is eligible for, when known. */
function rolesOf(tenant: SyncTenant | undefined, userId: string): string {
  const user = tenant?.users.find((u) => u.id === userId);
  const roles = user ? privilegedRoles(user) : [];
  return roles.length > 0 ? ` (assigned or eligible: ${roles.join(', ')})` : '';
}

/** A write the emulator refused (Graph's code and message, with the conflicting object when named). */
export function writeErrorOf(err: unknown): ExportError {
  if (isGraphServiceError(err)) {
    const details = (err.details ?? []).map((d) => d.message).join('; ');
    return { code: err.code, message: details ? `${err.message} ${details}` : err.message };
  }
  return { code: 'UnexpectedError', message: err instanceof Error ? err.message : String(err) };
}
