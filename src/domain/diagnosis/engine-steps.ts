/**
 * The plan as the tenant can run it. Plans are built engine-neutral (TRIGGER_DELTA_SYNC for "the
 * sync runs now"); this pass fits them to the engine that syncs this AD user and to what the bot's
 * identity may do:
 * - Cloud Sync (the user's DN inside a job's container filter, no Connect Sync beside it): every
 *   sync becomes PROVISION_ON_DEMAND of the DN through that job (Cloud Sync has no
 *   Start-ADSyncSyncCycle; its answer says what it matched and joined).
 * - Cloud Sync and Connect Sync both on the user: two engines would export the same object; the
 *   plan is blocked (SYNC_ENGINES_OVERLAP says why).
 * - A step needing a permission or directory role the identity lacks becomes a person's step that
 *   names it, never a run that fails half-way.
 */
import type { CloudSyncJob, TenantFacts } from '../cloud.ts';
import { isWithinBase } from '../dn.ts';
import type { OnPremUser } from '../onprem-user.ts';
import { wordList } from './describe.ts';
import type { StepDraft } from './steps.ts';
import type { Plan, PlanStep } from './types.ts';

/** Graph permissions the automated 2026 steps need. */
export const STEP_PERMISSIONS = {
  clear: 'User-OnPremisesSyncBehavior.ReadWrite.All',
  provision: 'Synchronization.ReadWrite.All',
} as const;

/** The directory roles that may clear onPremisesObjectIdentifier (Microsoft's recovery guidance). */
export const CLEAR_ROLES = ['Hybrid Identity Administrator', 'Global Administrator'] as const;

export type UserEngine =
  { kind: 'connect' } | { kind: 'cloud'; job: CloudSyncJob } | { kind: 'both'; job: CloudSyncJob; connectVersion: string | null };

/** Which engine syncs this AD user: a Cloud Sync job whose container filter holds its DN, Connect Sync, or both. */
export function engineFor(tenant: TenantFacts, dn: string): UserEngine {
  const engine = tenant.syncEngine;
  const job = engine?.cloudSync.find((j) => j.includedContainers === null || j.includedContainers.some((c) => isWithinBase(dn, c)));
  if (!engine || !job) return { kind: 'connect' };
  return engine.connectSync ? { kind: 'both', job, connectVersion: engine.connectVersion } : { kind: 'cloud', job };
}

export function engineBlockedReason(onPrem: OnPremUser, engine: Extract<UserEngine, { kind: 'both' }>): string {
  return (
    `Both Entra Connect Sync${engine.connectVersion ? ` (version ${engine.connectVersion})` : ''} and Entra Cloud Sync ` +
    `(job ${engine.job.jobId}) sync ${onPrem.dn}: two engines exporting one object fight over it, and no sync the bot starts ` +
    `can be trusted. Take the OU out of one engine's scope (Cloud Sync: Entra admin center → Entra Connect → Cloud sync → ` +
    `Scoping filters; Connect Sync: OU filtering in the Entra Connect wizard), then type \`match ${onPrem.samAccountName}\` again.`
  );
}

/** The plan fitted to the engine and to the identity's permissions and roles; a blocked plan as it is. */
export function fitPlanToTenant(plan: Plan, onPrem: OnPremUser, tenant: TenantFacts): Plan {
  if (plan.steps.length === 0) return plan;
  const engine = engineFor(tenant, onPrem.dn);
  if (engine.kind === 'both')
    return { target: plan.target, steps: [], nothingToDo: false, blockedReason: engineBlockedReason(onPrem, engine) };
  const missing = new Set(tenant.missingPermissions ?? []);
  const steps = plan.steps.map((step): StepDraft => {
    if (step.kind === 'TRIGGER_DELTA_SYNC' && engine.kind === 'cloud') return provisionStep(step, onPrem, engine.job, missing);
    if (step.kind === 'CLEAR_OBJECT_IDENTIFIER') return clearStep(step, missing, tenant.canClearObjectIdentifier ?? null);
    return step;
  });
  return { ...plan, steps: steps.map((s, i) => ({ ...s, number: i + 1 })) };
}

type SyncStep = Extract<PlanStep, { kind: 'TRIGGER_DELTA_SYNC' }>;
type ClearStep = Extract<PlanStep, { kind: 'CLEAR_OBJECT_IDENTIFIER' }>;

/** What the sync is for, as the engine-neutral step said it ("…: Entra Connect hard-matches …"). */
function purposeOf(step: SyncStep): string {
  const at = step.description.indexOf('): ');
  return at < 0 ? step.description : step.description.slice(at + 3).replace(/^Entra Connect /, 'Cloud Sync ');
}

function provisionStep(step: SyncStep, onPrem: OnPremUser, job: CloudSyncJob, missing: ReadonlySet<string>): StepDraft {
  const purpose = purposeOf(step);
  if (missing.has(STEP_PERMISSIONS.provision)) {
    return {
      kind: 'MANUAL',
      irreversible: false,
      description: `Entra admin center: provision ${onPrem.dn} on demand through Cloud Sync (${purpose})`,
      instruction:
        `The bot's identity lacks ${STEP_PERMISSIONS.provision}, so a person runs this sync: Entra admin center → Entra Connect → ` +
        `Cloud sync → the configuration → Provision on demand, enter ${onPrem.dn}, Provision, and check that every step succeeded. ${purpose}.`,
    };
  }
  return {
    kind: 'PROVISION_ON_DEMAND',
    irreversible: false,
    dn: onPrem.dn,
    job: { servicePrincipalId: job.servicePrincipalId, jobId: job.jobId, ruleId: job.ruleId },
    description: `Sync ${onPrem.dn} now through Cloud Sync (provisionOnDemand on job ${job.jobId}): ${purpose}`,
  };
}

function clearStep(step: ClearStep, missing: ReadonlySet<string>, canClear: boolean | null): StepDraft {
  const lacks = [
    missing.has(STEP_PERMISSIONS.clear) ? `the Graph permission ${STEP_PERMISSIONS.clear}` : null,
    canClear === false ? `the ${wordList([...CLEAR_ROLES])} directory role` : null,
  ].filter((x): x is string => x !== null);
  if (lacks.length === 0) return step;
  const who = step.subject.userPrincipalName;
  return {
    kind: 'MANUAL',
    irreversible: true,
    description: `Entra: clear onPremisesObjectIdentifier of ${who} (now ${step.previous}, another on-premises object)`,
    instruction:
      `The bot's identity lacks ${lacks.join(' and ')}, so a Hybrid Identity Administrator or Global Administrator clears the mapping of ` +
      `${who} (id ${step.subject.userId}; it names ${step.previous}, not ${step.dn}): in Graph PowerShell, ` +
      `Invoke-MgGraphRequest -Method PATCH -Uri https://graph.microsoft.com/beta/users/${step.subject.userId} -Body '{"onPremisesObjectIdentifier":null}'. ` +
      `Only null is accepted and the old value cannot be written back.`,
  };
}
