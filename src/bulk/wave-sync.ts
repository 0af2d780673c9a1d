/**
 * The sync of one wave, by the tenant's engine, as the users' own plans say it:
 * - Entra Connect Sync (plans end with TRIGGER_DELTA_SYNC): one delta sync for the whole wave,
 *   asked again while the connector is busy (SYNC_BUSY), within the verification time limit.
 * - Entra Cloud Sync (plans end with PROVISION_ON_DEMAND): Cloud Sync has no delta cycle to start;
 *   each user's own on-demand run (its DN through the configuration's job), paced by a budget every
 *   instance shares (Graph allows 5 provisionOnDemand requests per 10 s per job), each run's answer
 *   written to that user's own trail. A user whose run failed is not joined: the wave's
 *   verification finds it and reports it, the others go on.
 * A wave holds users of one tenant, so of one engine; a mix (a tenant moving from Connect to Cloud
 * Sync between scan and execution) runs both.
 */
import type { ApprovalRequest } from '../domain/approval/types.ts';
import type { PlanStep } from '../domain/diagnosis/types.ts';
import type { StepResult } from '../execution/types.ts';
import type { AuditTrail } from '../ports/audit-trail.ts';
import type { AuditEvent } from '../domain/audit/types.ts';

/** Graph's documented limit for provisionOnDemand: 5 requests per 10 seconds. */
export const PROVISION_ON_DEMAND_PER_SECOND = 0.5;

type ProvisionStep = Extract<PlanStep, { kind: 'PROVISION_ON_DEMAND' }>;

export interface WaveSyncDeps {
  /** One delta sync (Connect Sync) with its SYNC_BUSY retries. */
  deltaSync(): Promise<StepResult>;
  /** Runs one user's PROVISION_ON_DEMAND step (the step action the single-user engine runs). */
  provision(step: ProvisionStep): Promise<StepResult>;
  /** Waits for, and takes, one on-demand run of the budget every instance shares. */
  takeProvisionToken(): Promise<void>;
  audit: Pick<AuditTrail, 'append'>;
  now(): number;
}

export interface WaveSyncResult {
  /** Failed when the wave's delta sync failed; done otherwise (an on-demand run's failure is its user's). */
  result: StepResult;
  /** For the bulk request's trail: "one delta sync", "12 on-demand provisioning runs (2 failed)". */
  what: string;
  /** The step kind the bulk request's trail records the wave's sync under (the delta sync when the wave had one). */
  kind: 'TRIGGER_DELTA_SYNC' | 'PROVISION_ON_DEMAND';
  /** Users whose own on-demand run failed, by request id: not verified (nothing to wait for), reported with this. */
  failed: ReadonlyMap<string, StepResult>;
}

export function provisionStepOf(child: ApprovalRequest): ProvisionStep | undefined {
  return child.diagnosis.plan.steps.find((s): s is ProvisionStep => s.kind === 'PROVISION_ON_DEMAND');
}

export function createWaveSync(deps: WaveSyncDeps): (children: readonly ApprovalRequest[]) => Promise<WaveSyncResult> {
  return async (children) => {
    // Users of one wave in one tenant: Connect Sync's users wait for one delta sync, Cloud Sync's for their own run.
    const onDemand = children.filter((c) => provisionStepOf(c) !== undefined);
    const parts: string[] = [];
    let deltaFailure: StepResult | undefined;
    const failed = new Map<string, StepResult>();
    if (onDemand.length < children.length) {
      const delta = await deps.deltaSync();
      parts.push('one delta sync');
      if (delta.status !== 'done') deltaFailure = delta;
    }
    if (onDemand.length > 0) {
      for (const child of onDemand) {
        const result = await provisionOne(deps, child);
        if (result.status !== 'done') failed.set(child.id, result);
      }
      parts.push(
        `${onDemand.length} on-demand provisioning run${onDemand.length === 1 ? '' : 's'}${failed.size ? ` (${failed.size} failed)` : ''}`,
      );
    }
    const what = parts.join(' and ');
    // An on-demand run fails for its user alone (the verification reports it); a failed delta sync fails the wave.
    return {
      result: deltaFailure ?? { status: 'done', before: null, after: null, detail: what },
      what,
      failed,
      kind: onDemand.length < children.length ? 'TRIGGER_DELTA_SYNC' : 'PROVISION_ON_DEMAND',
    };
  };
}

async function provisionOne(deps: WaveSyncDeps, child: ApprovalRequest): Promise<StepResult> {
  const step = provisionStepOf(child);
  if (!step) return { status: 'done', before: null, after: null, detail: '' };
  await deps.takeProvisionToken();
  const result = await deps.provision(step);
  await deps.audit.append(
    childStepEvent(child, step, result, deps.now(), {
      done: `Provisioned on demand with the wave: ${result.detail}`,
      failed: (why) => `Provisioning on demand with the wave did not succeed (${why}): ${result.detail}`,
    }),
  );
  return result;
}

/** A user's own trail entry for a step the wave ran for it (its sync, its verification): done with what it wrote, or failed with why. */
export function childStepEvent(
  child: ApprovalRequest,
  step: PlanStep,
  result: StepResult,
  at: number,
  words: { done: string; failed: (why: string) => string },
): AuditEvent {
  const ok = result.status === 'done';
  return {
    requestId: child.id,
    at,
    actor: null,
    action: ok ? 'step-done' : 'step-failed',
    summary: ok ? words.done : words.failed(result.status === 'failed' ? result.code : result.status),
    step: { number: step.number, kind: step.kind },
    ...(ok ? { after: result.after } : {}),
  };
}
