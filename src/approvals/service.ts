/**
 * The approval flow on the server: a `match` proposes a request, card actions move it through the
 * rules (src/domain/approval/rules.ts), and every change is a compare-and-swap on the stored
 * request, audited before the answer goes back. The last required approval re-reads AD and the
 * cloud first: when the facts moved the request goes `stale` and nothing is written.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { fingerprintOf, diffFingerprints } from '../domain/approval/fingerprint.ts';
import { newRequestId } from '../domain/approval/request-id.ts';
import { stepCheckFailed } from '../domain/approval/refusals.ts';
import { decide, expireIfDue, markStale, refusedEvent, withDoneCheck } from '../domain/approval/rules.ts';
import { isHardmatchError, toUserText } from '../errors/index.ts';
import type { ApprovalAction, ApprovalRequest, Refusal, Versioned } from '../domain/approval/types.ts';
import type { AuditEvent } from '../domain/audit/types.ts';
import type { Diagnosis } from '../domain/diagnosis/types.ts';
import type { ActOutcome, ActorContext, ApprovalDeps } from './types.ts';

/** Compare-and-swap retries before giving up on a request that keeps changing under us. */
const MAX_CAS_ATTEMPTS = 8;

export interface ProposeInput extends ActorContext {
  command: string;
  who: string;
  target?: string;
  diagnosis: Diagnosis;
}

export interface ApprovalService {
  /** Stores a `proposed` request when the plan has automated steps; null when there is nothing to approve. */
  propose(input: ProposeInput): Promise<ApprovalRequest | null>;
  act(requestId: string, action: ApprovalAction, context: ActorContext): Promise<ActOutcome>;
  /** The stored request of this tenant, or a refusal naming the id. */
  find(requestId: string, tenantId: string): Promise<ActOutcome>;
}

export function hasAutomatedSteps(diagnosis: Diagnosis): boolean {
  return diagnosis.plan.steps.some((s) => s.kind !== 'MANUAL' && s.kind !== 'VERIFY_JOINED');
}

export function createApprovalService(deps: ApprovalDeps): ApprovalService {
  const now = deps.now ?? Date.now;
  const random = deps.randomBytes ?? ((n: number) => new Uint8Array(cryptoRandomBytes(n)));
  return {
    async propose(input) {
      if (!hasAutomatedSteps(input.diagnosis)) return null;
      const at = now();
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const request = newRequest(input, newRequestId(random), at, deps.policy.ttlMs);
        if (await deps.store.create(request)) {
          await appendAll(deps, [{ requestId: request.id, at, actor: input.actor, action: 'proposed', summary: `${input.actor.name} ran ${input.command}; the plan has ${request.steps.length} steps.` }]);
          return request;
        }
      }
      throw new Error('could not find a free request id after 10 attempts');
    },
    find: (requestId, tenantId) => find(deps, now, requestId, tenantId),
    act: (requestId, action, context) => act(deps, now, requestId, action, context),
  };
}

function newRequest(input: ProposeInput, id: string, at: number, ttlMs: number): ApprovalRequest {
  const steps = input.diagnosis.plan.steps;
  return {
    id,
    kind: 'match',
    state: 'proposed',
    tenantId: input.tenantId,
    command: input.command,
    who: input.who,
    ...(input.target ? { target: input.target } : {}),
    diagnosis: input.diagnosis,
    steps,
    records: steps.map((s) => ({ number: s.number, status: 'pending' })),
    fingerprint: fingerprintOf(input.diagnosis),
    proposedBy: input.actor,
    approvals: [],
    cards: [],
    createdAt: at,
    updatedAt: at,
    // A proposal nobody asks approval for expires like a request nobody approves.
    expiresAt: at + ttlMs,
  };
}

async function load(deps: ApprovalDeps, requestId: string, tenantId: string): Promise<Versioned<ApprovalRequest> | Refusal> {
  const stored = await deps.store.get(requestId.toLowerCase());
  // Another tenant's request is answered exactly like one that does not exist.
  if (!stored || stored.value.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
    return { code: 'UNKNOWN_REQUEST', message: `There is no request "${requestId}". Type "status" to see your open requests.` };
  }
  return stored;
}

/**
 * The stored request; one whose time ran out is moved to `expired` as it is read (a
 * compare-and-swap, audited, its cards replaced), so no background job is needed for it.
 */
async function find(deps: ApprovalDeps, now: () => number, requestId: string, tenantId: string): Promise<ActOutcome> {
  for (let attempt = 0; ; attempt += 1) {
    const stored = await load(deps, requestId, tenantId);
    if (isRefusal(stored)) return { ok: false, refusal: stored };
    const due = expireIfDue(stored.value, now(), deps.policy);
    // Past the attempts, what is stored is shown as it is (the next read or action expires it).
    if (!due || attempt >= MAX_CAS_ATTEMPTS) return { ok: true, request: stored.value };
    const expired = await deps.store.update(due.next, stored.version);
    if (!expired) continue; // somebody changed it meanwhile: judge what is stored now
    await appendAll(deps, [due.event]);
    await deps.publish(expired.value);
    return { ok: true, request: expired.value };
  }
}

function isRefusal(value: Versioned<ApprovalRequest> | Refusal): value is Refusal {
  return 'code' in value;
}

async function act(deps: ApprovalDeps, now: () => number, requestId: string, action: ApprovalAction, context: ActorContext): Promise<ActOutcome> {
  const isAdmin = await deps.admins.isAdmin(context.actor.aadObjectId);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt += 1) {
    const stored = await load(deps, requestId, context.tenantId);
    if (isRefusal(stored)) return { ok: false, refusal: stored };
    const request = stored.value;
    const at = now();
    const decision = decide(request, action, { actor: context.actor, isAdmin, adminsConfigured: deps.admins.configured, now: at, policy: deps.policy });
    if (!decision.ok) {
      await appendAll(deps, decision.events);
      const expired = decision.expired ? await deps.store.update(decision.expired, stored.version) : null;
      if (expired) await deps.publish(expired.value);
      return { ok: false, refusal: decision.refusal, request: expired?.value ?? request };
    }
    let next = decision.next;
    let events = decision.events;
    if (action.verb === 'manualDone') {
      if (deps.carryOutManual) await carryOut(deps, request, action.step);
      const checked = await checkedDone(deps, request, { next, event: decision.events[0] as AuditEvent }, action.step, context);
      if ('code' in checked) {
        await appendAll(deps, [refusedEvent(request, action, { actor: context.actor, now: at }, checked)]);
        return { ok: false, refusal: checked, request };
      }
      next = checked.next;
      events = [checked.event];
    }
    if (decision.effect === 'revalidate-then-approve') {
      const changes = diffFingerprints(request.fingerprint, await deps.refingerprint(request));
      if (changes.length > 0) {
        const stale = markStale(request, changes, context.actor, at);
        if (stale) {
          next = stale.next;
          events = [...events.filter((e: AuditEvent) => e.action !== 'approved'), stale.event];
        }
      }
    }
    // The approval that re-validated the facts also claims the execution, in the same compare-and-swap.
    const revalidated = decision.effect === 'revalidate-then-approve' && next.state === 'approved';
    const claim = revalidated ? deps.claimOnApproval?.(next) : undefined;
    const written = await deps.store.update(claim?.request ?? next, stored.version);
    if (!written) continue; // somebody else changed it first: decide again on the fresh request
    // One append for the decision and the claim; the engine starts meanwhile (it waits for the
    // append before its first step), and nobody waits on Teams (the cards) to run the plan.
    const audited = appendAll(deps, [...events, ...(claim?.events ?? [])]);
    if (claim) deps.execute(written.value.id, { claimed: written, audited });
    else if (written.value.state === 'approved') deps.execute(written.value.id, revalidated ? { approved: written } : {});
    await audited;
    await deps.publish(written.value, { announce: decision.effect === 'post-to-approvers' });
    return { ok: true, request: written.value };
  }
  return { ok: false, refusal: { code: 'WRONG_STATE', message: `Request ${requestId} kept changing while your action was applied; open it again with "status ${requestId}".` } };
}

/**
 * A person's Done, checked where the bot can see the result (`checkDone`). A read that fails
 * refuses the Done with the error's own words: taking it on trust could run the next steps (a
 * purge) on a world that is not as the plan needs.
 */
async function checkedDone(
  deps: ApprovalDeps,
  request: ApprovalRequest,
  decided: { next: ApprovalRequest; event: AuditEvent },
  stepNumber: number,
  context: ActorContext,
): Promise<{ next: ApprovalRequest; event: AuditEvent } | Refusal> {
  const step = request.steps.find((s) => s.number === stepNumber);
  if (step?.kind !== 'MANUAL' || !deps.checkDone) return withDoneCheck(request, decided, stepNumber, { status: 'word', why: 'no check is configured for it' });
  try {
    return withDoneCheck(request, decided, stepNumber, await deps.checkDone(request, step));
  } catch (err) {
    deps.logger.warn({ err, requestId: request.id, step: stepNumber, actor: context.actor.aadObjectId }, "could not check a person's step");
    return stepCheckFailed(request, stepNumber, isHardmatchError(err) ? toUserText(err).text : 'an unexpected error (see the bot log).');
  }
}

/** One write for the action's entries (they belong to one request). */
async function appendAll(deps: Pick<ApprovalDeps, 'audit'>, events: readonly AuditEvent[]): Promise<void> {
  await deps.audit.appendAll(events);
}

/**
 * The sandbox plays the person's part of a MANUAL step on its stand-ins. Only what the sandbox
 * holds can be changed (an object in another forest cannot): then the step is still the person's
 * to confirm, and the attempt is logged rather than refusing their "Done".
 */
async function carryOut(deps: ApprovalDeps, request: ApprovalRequest, step: number): Promise<void> {
  try {
    await deps.carryOutManual?.(request, step);
  } catch (err) {
    deps.logger.warn({ err, requestId: request.id, step }, 'the sandbox could not carry out this person\'s step on its stand-ins; continuing as the person said it is done');
  }
}
