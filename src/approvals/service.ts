/**
 * The approval flow on the server: a `match` proposes a request, card actions move it through the
 * rules (src/domain/approval/rules.ts), and every change is a compare-and-swap on the stored
 * request, audited before the answer goes back. The last required approval re-reads AD and the
 * cloud first: when the facts moved the request goes `stale` and nothing is written.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { fingerprintOf, diffFingerprints, remainingChanges } from '../domain/approval/fingerprint.ts';
import { newRequestId } from '../domain/approval/request-id.ts';
import { stepCheckFailed } from '../domain/approval/refusals.ts';
import { decide, expireIfDue, markStale, refusedEvent, withDoneCheck } from '../domain/approval/rules.ts';
import { isHardmatchError, toUserText } from '../errors/index.ts';
import type { ApprovalAction, ApprovalRequest, Refusal, Versioned } from '../domain/approval/types.ts';
import { GENESIS_HASH, type AuditEvent } from '../domain/audit/types.ts';
import type { Diagnosis } from '../domain/diagnosis/types.ts';
import type { ActOutcome, ActorContext, ApprovalDeps } from './types.ts';
import { bulkRequestIds, newBulkRequest, withExclusions, type BulkUser } from './bulk-requests.ts';
import { irreversibleWords } from '../domain/bulk/types.ts';
import type { BulkScan } from '../domain/bulk/types.ts';
import { casUpdate, createWithFreshId } from '../concurrency/cas-update.ts';

/** Compare-and-swap retries before giving up on a request that keeps changing under us. */
const MAX_CAS_ATTEMPTS = 8;
/** A new request's trail: no entries yet (its first is staged with it). */
export const EMPTY_TRAIL = { length: 0, hash: GENESIS_HASH };
/** Fresh request ids drawn before giving up (ids taken are rare among ~657 million). */
export const FRESH_ID_ATTEMPTS = 10;
/** How long a click waits for the other copies of the card before it answers. */
export const CLICK_WAITS_FOR_COPIES_MS = 1500;

export interface ProposeInput extends ActorContext {
  command: string;
  who: string;
  target?: string;
  diagnosis: Diagnosis;
}

export interface ApprovalService {
  /** Stores a `proposed` request when the plan has automated steps; null when there is nothing to approve. */
  propose(input: ProposeInput): Promise<ApprovalRequest | null>;
  /** Stores a `proposed` bulk request for a finished scan's fully automated plans (`users`); null when there are none. */
  proposeBulk(scan: BulkScan, users: readonly BulkUser[]): Promise<ApprovalRequest | null>;
  act(requestId: string, action: ApprovalAction, context: ActorContext): Promise<ActOutcome>;
  /** The stored request of this tenant, or a refusal naming the id. */
  find(requestId: string, tenantId: string): Promise<ActOutcome>;
}

function hasAutomatedStepsAfter(request: ApprovalRequest, step: number): boolean {
  return request.steps.some((s) => s.number > step && s.kind !== 'MANUAL');
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
      const proposal = (id: string) => {
        const request = newRequest(input, id, at, deps.policy.ttlMs);
        return deps.audit.stage(request, [
          {
            requestId: id,
            at,
            actor: input.actor,
            action: 'proposed',
            summary: `${input.actor.name} ran ${input.command}; the plan has ${request.steps.length} steps.`,
          },
        ]);
      };
      const request = await createWithFreshId(
        (r) => deps.store.create(r),
        () => proposal(newRequestId(random)),
        FRESH_ID_ATTEMPTS,
      );
      await deps.audit.flush(request);
      return request;
    },
    async proposeBulk(scan, users) {
      if (users.length === 0) return null;
      const at = now();
      for (const id of bulkRequestIds(scan, random)) {
        const fresh = newBulkRequest(scan, users, { id, at, ttlMs: deps.policy.ttlMs });
        const irreversible = irreversibleWords(fresh.bulk?.purges ?? 0, fresh.bulk?.clears ?? 0);
        const summary = `${scan.startedBy.name} scanned ${fresh.who}; ${users.length} users can be fixed by the bot alone (${irreversible}, IRREVERSIBLE)`;
        const request = await deps.audit.stage({ ...fresh, auditHead: EMPTY_TRAIL }, [
          { requestId: id, at, actor: scan.startedBy, action: 'proposed', summary },
        ]);
        if (await deps.store.create(request)) {
          await deps.audit.flush(request);
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
    auditHead: EMPTY_TRAIL,
  };
}

function unknownRequest(requestId: string): Refusal {
  return { code: 'UNKNOWN_REQUEST', message: `There is no request "${requestId}". Type "status" to see your open requests.` };
}

/** The stored request when it belongs to `tenantId`: another tenant's is answered exactly like one that does not exist. */
function visible(stored: Versioned<ApprovalRequest> | null, tenantId: string): stored is Versioned<ApprovalRequest> {
  return stored !== null && stored.value.tenantId.toLowerCase() === tenantId.toLowerCase();
}

/**
 * The stored request; one whose time ran out is moved to `expired` as it is read (a
 * compare-and-swap, audited, its cards replaced), so no background job is needed for it.
 */
async function find(deps: ApprovalDeps, now: () => number, requestId: string, tenantId: string): Promise<ActOutcome> {
  const result = await casUpdate(
    deps.store,
    requestId.toLowerCase(),
    ({ value }) => {
      if (!visible({ value, version: '' }, tenantId)) return null;
      const due = expireIfDue(value, now(), deps.policy);
      return due ? deps.audit.stage(due.next, [due.event]) : null;
    },
    MAX_CAS_ATTEMPTS,
  );
  if (result.written) {
    await deps.audit.flush(result.stored.value);
    await deps.publish(result.stored.value);
    return { ok: true, request: result.stored.value };
  }
  // Past the attempts, what is stored is shown as it is (the next read or action expires it).
  if (!visible(result.current, tenantId)) return { ok: false, refusal: unknownRequest(requestId) };
  return { ok: true, request: result.current.value };
}

/** What the action decided on the version it was written over. */
type Decided =
  { ok: false; refusal: Refusal; request: ApprovalRequest } | { ok: true; effect: string; revalidated: boolean; claimed: boolean };

async function act(
  deps: ApprovalDeps,
  now: () => number,
  requestId: string,
  action: ApprovalAction,
  context: ActorContext,
): Promise<ActOutcome> {
  const isAdmin = await deps.admins.isAdmin(context.actor.aadObjectId);
  let decided: Decided | undefined;
  const result = await casUpdate(
    deps.store,
    requestId.toLowerCase(),
    async (stored) => {
      decided = undefined;
      if (!visible(stored, context.tenantId)) return null;
      const at = now();
      const request = await applyExclusions(deps, stored.value, action);
      if ('code' in request) {
        const summary = `${context.actor.name} tried to requestApproval: refused (${request.code}). ${request.message}`;
        decided = { ok: false, refusal: request, request: stored.value };
        return deps.audit.stage(stored.value, [
          { requestId: stored.value.id, at, actor: context.actor, action: 'refused', summary, code: request.code },
        ]);
      }
      const decision = decide(request, action, {
        actor: context.actor,
        isAdmin,
        adminsConfigured: deps.admins.configured,
        now: at,
        policy: deps.policy,
      });
      if (!decision.ok) {
        // The refusal is recorded in its own write (with the move to `expired` it may carry).
        decided = { ok: false, refusal: decision.refusal, request };
        return deps.audit.stage(decision.expired ?? request, decision.events);
      }
      let checkedDecision = decision;
      if (action.verb === 'manualDone') {
        const checked = await checkedDone(
          deps,
          request,
          { next: decision.next, event: decision.events[0] as AuditEvent },
          action.step,
          context,
        );
        if ('code' in checked) {
          decided = { ok: false, refusal: checked, request };
          return deps.audit.stage(request, [refusedEvent(request, action, { actor: context.actor, now: at }, checked)]);
        }
        checkedDecision = { ...decision, next: checked.next, events: [checked.event] };
      }
      const { next, events } = await recheck(deps, request, action, checkedDecision, context.actor, at);
      // The approval that re-validated the facts also claims the execution, in the same compare-and-swap.
      const revalidated = decision.effect === 'revalidate-then-approve' && next.state === 'approved';
      // A bulk request's users each run as a request of their own, claimed by the bulk executor.
      const claim = revalidated && next.kind !== 'bulk' ? deps.claimOnApproval?.(next) : undefined;
      decided = { ok: true, effect: decision.effect, revalidated, claimed: claim !== undefined };
      // The decision, the claim and their entries: one compare-and-swap.
      return deps.audit.stage(claim?.request ?? next, [...events, ...(claim?.events ?? [])]);
    },
    MAX_CAS_ATTEMPTS,
  );
  // Nothing decided: the request is not there (or not this tenant's).
  if (!decided) return { ok: false, refusal: unknownRequest(requestId) };
  if (!decided.ok) {
    if (!result.written) return { ok: false, refusal: decided.refusal, request: decided.request };
    await deps.audit.flush(result.stored.value);
    if (result.stored.value.state !== decided.request.state) await published(deps, deps.publish(result.stored.value));
    return { ok: false, refusal: decided.refusal, request: result.stored.value };
  }
  if (!result.written) return { ok: false, refusal: keptChanging(requestId) };
  const written = result.stored;
  // The entries are stored with the change; copying them into the trail runs beside the engine
  // (which waits for it before its first step), and nobody waits on Teams (the cards) to run the plan.
  const audited = deps.audit.flush(written.value);
  if (decided.claimed) deps.execute(written.value.id, { claimed: written, audited });
  else if (written.value.state === 'approved') deps.execute(written.value.id, decided.revalidated ? { approved: written } : {});
  await audited;
  await published(deps, deps.publish(written.value, { announce: decided.effect === 'post-to-approvers' }));
  return { ok: true, request: written.value };
}

/**
 * The facts read again where the plan is about to go on: at the last approval (everything the plan
 * rests on) and at a person's Done (what the steps left rest on, possibly weeks after approval).
 * When they changed, the request goes `stale` instead and nothing more runs.
 */
async function recheck(
  deps: ApprovalDeps,
  request: ApprovalRequest,
  action: ApprovalAction,
  decision: { next: ApprovalRequest; events: AuditEvent[]; effect: string },
  actor: ActorContext['actor'],
  at: number,
): Promise<{ next: ApprovalRequest; events: AuditEvent[] }> {
  if (decision.effect === 'revalidate-then-approve') {
    const changes = diffFingerprints(request.fingerprint, await deps.refingerprint(request));
    const stale = changes.length > 0 ? markStale(request, changes, actor, at) : null;
    return stale ? { next: stale.next, events: [...decision.events.filter((e) => e.action !== 'approved'), stale.event] } : decision;
  }
  if (action.verb === 'manualDone' && decision.effect === 'resume-execution' && hasAutomatedStepsAfter(request, action.step)) {
    const changes = remainingChanges(request, action.step, await deps.refingerprint(request));
    const stale = changes.length > 0 ? markStale(request, changes, actor, at) : null;
    // The person's step stays recorded done; nothing after it runs.
    if (stale) return { next: { ...stale.next, records: decision.next.records }, events: [...decision.events, stale.event] };
  }
  return decision;
}

/** A bulk request's exclusions, applied before the rules see it (refused when a name is not one of its users). */
async function applyExclusions(deps: ApprovalDeps, request: ApprovalRequest, action: ApprovalAction): Promise<ApprovalRequest | Refusal> {
  if (
    action.verb !== 'requestApproval' ||
    request.kind !== 'bulk' ||
    request.undoOf !== undefined ||
    request.state !== 'proposed' ||
    !action.exclude?.length ||
    !deps.bulkUsers
  )
    return request;
  return withExclusions(request, await deps.bulkUsers(request), action.exclude);
}

function keptChanging(requestId: string): Refusal {
  return {
    code: 'WRONG_STATE',
    message: `Request ${requestId} kept changing while your action was applied; open it again with "status ${requestId}".`,
  };
}

/**
 * Waits for the other copies of the card to be replaced, but not long: the person who clicked gets
 * their answer (their own card) even when some copy's conversation is slow; the rest go on behind.
 */
async function published(deps: Pick<ApprovalDeps, 'logger'>, publishing: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLICK_WAITS_FOR_COPIES_MS);
    timer.unref();
  });
  const logged = publishing.catch((err: unknown) => deps.logger.warn({ err }, 'could not update the copies of a request card'));
  await Promise.race([logged, bound]);
  clearTimeout(timer);
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
  if (step?.kind !== 'MANUAL' || !deps.checkDone)
    return withDoneCheck(request, decided, stepNumber, { status: 'word', why: 'no check is configured for it' });
  try {
    return withDoneCheck(request, decided, stepNumber, await deps.checkDone(request, step));
  } catch (err) {
    deps.logger.warn({ err, requestId: request.id, step: stepNumber, actor: context.actor.aadObjectId }, "could not check a person's step");
    return stepCheckFailed(request, stepNumber, isHardmatchError(err) ? toUserText(err).text : 'an unexpected error (see the bot log).');
  }
}
