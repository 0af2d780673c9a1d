/**
 * The sections of the request card: who asked and decided, the steps with their outcomes, what
 * to do after a failure, the verified sync state, and the audit summary. Split from
 * request-card.ts to keep each file small; pure functions of the stored request.
 */
import type { ApprovalRequest, StepRecord } from '../domain/approval/types.ts';
import type { AuditEntry, ChainVerdict } from '../domain/audit/types.ts';
import type { ManualAction, PlanStep } from '../domain/diagnosis/types.ts';
import { actorName, approvalsMissing, auditTrailLine, changeText, clipped, isoTime, isReversible, undoMark } from './approval-text.ts';
import { container, escapeMarkdown, facts, heading, plainCommands, plural, text, type BodyElement } from './card-parts.ts';
import { requestStateStyle, stepStatusStyle, stepTone } from './status-tones.ts';

export const REQUEST_CARD_IDS = {
  headline: 'request-headline',
  title: 'request-title',
  state: 'request-state',
  diagnosis: 'request-diagnosis',
  requester: 'request-requester',
  approvals: 'request-approvals',
  rejection: 'request-rejection',
  cancellation: 'request-cancellation',
  changes: 'request-changes',
  steps: 'request-steps',
  step: (n: number) => `request-step-${n}`,
  waiting: 'request-waiting',
  failure: 'request-failure',
  verified: 'request-verified',
  leftovers: 'request-leftovers',
  doneCheck: 'request-done-check',
  audit: 'request-audit',
  auditLine: 'request-audit-line',
} as const;

/** How many audit entries the request card lists; `audit <id>` shows them all. */
export const AUDIT_SUMMARY_ENTRIES = 5;

/** A record for every step, even if the stored request lacks one (it is then pending). */
export function recordOf(request: ApprovalRequest, step: PlanStep): StepRecord {
  return request.records.find((r) => r.number === step.number) ?? { number: step.number, status: 'pending' };
}

/** The MANUAL step the request waits for, if it waits for one. */
/**
 * The step waiting for a person: a MANUAL step, or an automated one the bot's identity turned out
 * not to be allowed to run (a 2026 step refused with 403), which a person then does instead.
 */
export function waitingStep(request: ApprovalRequest): PlanStep | undefined {
  return request.steps.find((s) => recordOf(request, s).status === 'waiting-for-person');
}

/** "State: executing", coloured by state, with the state's plain words after it. */
export function stateLine(request: ApprovalRequest): BodyElement {
  const style = requestStateStyle(request.state);
  return text(`**State: ${request.state}** (${style.words})`, { tone: style.tone, id: REQUEST_CARD_IDS.state });
}

/** Who asked (and why), who approved so far, and how the request ended if it ended without running. */
export function peopleSection(request: ApprovalRequest, requiredApprovals: number): BodyElement[] {
  const out: BodyElement[] = [];
  if (request.requester) {
    const when = request.requestedAt !== undefined ? ` at ${isoTime(request.requestedAt)}` : '';
    const rows: [string, string][] = [['Justification', request.justification ?? '(none)']];
    if (request.expiresAt !== undefined && request.state === 'requested') rows.push(['Expires', isoTime(request.expiresAt)]);
    out.push(container([text(`Requested by **${actorName(request.requester)}**${when}`), facts(rows)], { id: REQUEST_CARD_IDS.requester }));
  } else {
    out.push(
      text(`Proposed by **${actorName(request.proposedBy)}** at ${isoTime(request.createdAt)}; approval not requested yet.`, {
        id: REQUEST_CARD_IDS.requester,
      }),
    );
  }
  out.push(approvalsBlock(request, requiredApprovals));
  out.push(...endings(request));
  return out;
}

function approvalsBlock(request: ApprovalRequest, requiredApprovals: number): BodyElement {
  const missing = approvalsMissing(request, requiredApprovals);
  const head = `Approvals: ${request.approvals.length} of ${requiredApprovals}${missing > 0 && request.state === 'requested' ? `, waiting for ${plural(missing, 'approval')}` : ''}`;
  const items: BodyElement[] = [text(head, { weight: 'bolder' })];
  if (request.approvals.length > 0) items.push(facts(request.approvals.map((a) => [a.actor.name, isoTime(a.at)])));
  return container(items, { id: REQUEST_CARD_IDS.approvals });
}

/** Rejection (with its reason), cancellation, and the facts that changed (stale). */
function endings(request: ApprovalRequest): BodyElement[] {
  const out: BodyElement[] = [];
  const tone = requestStateStyle('rejected').tone;
  if (request.rejection) {
    const r = request.rejection;
    out.push(
      container(
        [text(`Rejected by **${actorName(r.actor)}** at ${isoTime(r.at)}`, { tone, weight: 'bolder' }), facts([['Reason', r.reason]])],
        { id: REQUEST_CARD_IDS.rejection },
      ),
    );
  }
  if (request.cancellation) {
    const c = request.cancellation;
    out.push(
      text(`Cancelled by **${actorName(c.actor)}** at ${isoTime(c.at)}. Nothing was changed.`, { id: REQUEST_CARD_IDS.cancellation }),
    );
  }
  if (request.changes && request.changes.length > 0) {
    const lines = request.changes.map((c) => `- ${escapeMarkdown(`${c.label}: ${c.old ?? 'none'} → ${c.new ?? 'none'}`)}`);
    const intro = text('The directory changed since the plan was made, so it was not run. Type the match command again for a new plan.', {
      tone: requestStateStyle('stale').tone,
      weight: 'bolder',
    });
    out.push(container([intro, text(lines.join('\n'))], { id: REQUEST_CARD_IDS.changes }));
  }
  return out;
}

/** The plan, numbered, each step with its outcome so far. */
export function stepsSection(request: ApprovalRequest): BodyElement[] {
  const out: BodyElement[] = [{ ...heading(`Plan (${plural(request.steps.length, 'step')})`), id: REQUEST_CARD_IDS.steps }];
  out.push(...request.steps.map((step) => stepBlock(step, recordOf(request, step))));
  return out;
}

function stepBlock(step: PlanStep, record: StepRecord): BodyElement {
  const status = stepStatusStyle(record.status);
  const outcome = record.status === 'failed' && record.code ? `${status.words} (${escapeMarkdown(record.code)})` : status.words;
  const kind = step.kind === 'MANUAL' ? '' : ` ${step.kind}** ·`;
  const head = kind
    ? `${status.icon} **${step.number}.${kind} ${undoMark(step)} · ${outcome}`
    : `${status.icon} **${step.number}.** ${undoMark(step)} · ${outcome}`;
  const lines = [head, escapeMarkdown(plainCommands(step.description))];
  if (step.kind === 'MANUAL' && step.instruction !== step.description)
    lines.push(`Instruction: ${escapeMarkdown(plainCommands(step.instruction))}`);
  if (record.status === 'done') lines.push(doneLine(step, record));
  if (record.status === 'failed' && record.detail) lines.push(escapeMarkdown(clipped(record.detail, 400)));
  const tone = record.status === 'pending' ? stepTone(step) : status.tone;
  return { ...text(lines.join('\n\n'), { tone, id: REQUEST_CARD_IDS.step(step.number) }), spacing: 'small', separator: true };
}

/** What a done step changed, or its detail when it wrote nothing (the sync, the check, a person's step). */
function doneLine(step: PlanStep, record: StepRecord): string {
  const when = record.endedAt !== undefined ? ` at ${isoTime(record.endedAt)}` : '';
  if (step.kind === 'MANUAL')
    return `Done by ${actorName(record.doneBy)}${when}${record.doneCheck && record.detail ? `. ${escapeMarkdown(clipped(record.detail, 300))}` : ''}`;
  if (step.kind === 'TRIGGER_DELTA_SYNC' || step.kind === 'VERIFY_JOINED')
    return `${escapeMarkdown(clipped(record.detail ?? 'Done.', 240))}${when}`;
  if (step.kind === 'PROVISION_ON_DEMAND') return `${escapeMarkdown(clipped(record.detail ?? 'Done.', 600))}${when}`;
  return `Changed: ${escapeMarkdown(changeText(record.before, record.after))}${when}`;
}

/** While a MANUAL step waits: what the person does and which button says it is done. */
export function waitingSection(request: ApprovalRequest): BodyElement[] {
  const step = waitingStep(request);
  if (!step) return [];
  const instruction = step.kind === 'MANUAL' ? step.instruction : (recordOf(request, step).detail ?? step.description);
  const words = `Step ${step.number} waits for a person: ${escapeMarkdown(instruction)} When it is done, an admin presses "Done: step ${step.number}" and Hardmatch runs the rest.`;
  return [
    text(words, { tone: stepStatusStyle('waiting-for-person').tone, weight: 'bolder', id: REQUEST_CARD_IDS.waiting }),
    text(escapeMarkdown(doneCheckText(step.kind === 'MANUAL' ? step.action : undefined)), { subtle: true, id: REQUEST_CARD_IDS.doneCheck }),
  ];
}

/** What pressing Done makes the bot check, or that it cannot (then the Done is the person's word). */
export function doneCheckText(action: ManualAction | undefined): string {
  const word = 'the bot cannot see the result, so your Done is taken as your word and recorded so.';
  switch (action?.kind) {
    case 'SCOPE_OUT':
    case 'SCOPE_IN':
      return `On Done the bot looks the AD object up through the relay and checks its OU against SYNC_SCOPE_OUS; without that setting (or with a sync rule filter) ${word}`;
    case 'SET_ONPREM_UPN':
      return "On Done the bot reads the AD user's UPN through the relay; if it is not in a verified domain yet, the Done is refused.";
    case 'REMOVE_ADMIN_ROLES':
    case 'ASSIGN_ADMIN_ROLES':
      return "On Done the bot reads the user's directory roles from Graph; if they are not as the step says, the Done is refused.";
    case 'REMOVE_ADDRESSES':
    case 'FREE_UPN':
      return 'On Done the bot reads the holder (its AD object through the relay when it is synced from this forest, else Graph); while it still holds the value, the Done is refused.';
    case 'SET_SYNC_SWITCH':
      return "On Done the bot reads the tenant's switch from Graph; if it is not turned yet, the Done is refused.";
    case 'RESTORE_DELETED_USER':
      return 'On Done the bot checks through Graph that the user is active again.';
    case 'RUN_MATCH_AGAIN':
    case undefined:
      return `On Done ${word}`;
  }
}

/** A request done with warnings: each leftover of the join, with its fix. */
export function leftoversSection(request: ApprovalRequest): BodyElement[] {
  if (request.state !== 'done-with-warnings') return [];
  const leftovers = request.records.flatMap((r) => r.warnings ?? []);
  const tone = requestStateStyle('done-with-warnings').tone;
  const lines = leftovers.map((l, i) =>
    text(`${i + 1}. ${escapeMarkdown(l.what)}\n\n**Fix:** ${escapeMarkdown(plainCommands(l.fix))}`, {}),
  );
  return [container([heading('Joined, but left over', tone), ...lines], { id: REQUEST_CARD_IDS.leftovers })];
}

/** After a failure: the step's code and what to do, naming undo only when there is something to revert. */
export function failureSection(request: ApprovalRequest): BodyElement[] {
  if (request.state !== 'failed') return [];
  const failed = request.steps.find((s) => recordOf(request, s).status === 'failed');
  const record = failed ? recordOf(request, failed) : undefined;
  const what = failed
    ? `Step ${failed.number} (${failed.kind}) failed with code ${escapeMarkdown(record?.code ?? 'unknown')}; the steps after it did not run.`
    : 'The plan stopped; the steps after the last done step did not run.';
  const revertible = request.steps.filter((s) => isReversible(s) && recordOf(request, s).status === 'done').map((s) => s.number);
  const todo =
    revertible.length > 0
      ? `To revert the reversible ${revertible.length === 1 ? 'step' : 'steps'} already done (${revertible.join(', ')}), type "undo ${escapeMarkdown(request.id)}": a new request that needs its own approval. Or fix the cause named by the code and type "${escapeMarkdown(request.command)}" again.`
      : `No reversible step was done, so there is nothing to undo. Fix the cause named by the code, then type "${escapeMarkdown(request.command)}" again for a new plan.`;
  return [
    container([text(what, { tone: requestStateStyle('failed').tone, weight: 'bolder' }), text(`**What to do:** ${todo}`)], {
      id: REQUEST_CARD_IDS.failure,
    }),
  ];
}

/** For a done request: the cloud user as VERIFY_JOINED last read it from Graph. */
export function verifiedSection(request: ApprovalRequest): BodyElement[] {
  if (request.state !== 'done' && request.state !== 'done-with-warnings') return [];
  const verify = request.steps.find((s) => s.kind === 'VERIFY_JOINED');
  const after = verify ? recordOf(request, verify).after : undefined;
  if (typeof after !== 'object' || after === null) return [];
  const joined = after as Record<string, unknown>;
  const field = (key: string): string => {
    const value = joined[key];
    if (value === null || value === undefined) return '(none)';
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const rows: [string, string][] = [
    ['userPrincipalName', field('userPrincipalName')],
    ['Synced', joined.synced === true ? 'Yes' : 'No'],
    ['onPremisesImmutableId', field('onPremisesImmutableId')],
    ['onPremisesLastSyncDateTime', field('onPremisesLastSyncDateTime')],
  ];
  return [container([heading('Verified sync state', requestStateStyle('done').tone), facts(rows)], { id: REQUEST_CARD_IDS.verified })];
}

/** The last few audit entries and whether the chain verifies. */
export function auditSection(audit: { entries: readonly AuditEntry[]; verdict: ChainVerdict }, requestId: string): BodyElement[] {
  const latest = audit.entries.slice(-AUDIT_SUMMARY_ENTRIES);
  const rows: [string, string][] = latest.map((e) => [
    isoTime(e.at),
    `${e.actor ? e.actor.name : 'Hardmatch'}: ${clipped(e.summary, 200)}`,
  ]);
  const line = text(auditTrailLine(audit.entries, audit.verdict), {
    tone: audit.verdict.ok ? 'neutral' : 'error',
    weight: 'bolder',
    id: REQUEST_CARD_IDS.auditLine,
  });
  const out: BodyElement[] = [{ ...heading('Audit trail'), id: REQUEST_CARD_IDS.audit }, line];
  if (rows.length > 0) out.push(facts(rows));
  out.push(text(`Type "audit ${escapeMarkdown(requestId)}" for every entry with its before and after values.`, { subtle: true }));
  return out;
}
