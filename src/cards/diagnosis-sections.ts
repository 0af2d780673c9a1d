/**
 * The sections of the match card that render a Diagnosis's cloud side: candidates, findings, plan
 * and the predicted next sync. Split from match-card.ts to keep each file small; pure functions.
 * Every string from a directory or the diagnosis goes through escapeMarkdown; codes and step kinds
 * are our own constants and are shown as they are, so an admin can search the README for them.
 */
import type { CandidateReason, CloudCandidate, CloudUser } from '../domain/cloud.ts';
import type { Diagnosis, Finding, Plan, PlanStep, SyncPrediction } from '../domain/diagnosis/types.ts';
import { container, escapeMarkdown, facts, heading, plural, text, type BodyElement } from './card-parts.ts';
import { outcomeTone, severityStyle, stepTone } from './status-tones.ts';
import { originalUpn } from '../domain/diagnosis/describe.ts';

/**
 * How much of each text the card shows. Teams refuses cards over about 28 KB, so the match card
 * renders in full first and, only if that is too big, again with long texts clipped and then
 * without the evidence lists (match-card.ts decides).
 */
export interface Detail {
  /** Longest diagnosis text shown, in characters; longer ones end with "…". */
  maxText: number;
  /** Which findings list their evidence: all, all but info, none. */
  evidence: 'all' | 'no-info' | 'none';
}

export const FULL_DETAIL: Readonly<Detail> = { maxText: Number.POSITIVE_INFINITY, evidence: 'all' };

function showsEvidence(finding: Finding, detail: Detail): boolean {
  return detail.evidence === 'all' || (detail.evidence === 'no-info' && finding.severity !== 'info');
}

/** A text cut to the detail level, ending with "…" when cut. */
function clip(value: string, detail: Detail): string {
  return value.length > detail.maxText ? `${value.slice(0, Math.max(1, detail.maxText - 1)).trimEnd()}…` : value;
}

/** A diagnosis text, clipped to the detail level and escaped. */
function show(value: string, detail: Detail): string {
  return escapeMarkdown(clip(value, detail));
}

/** Element ids shared with match-card.ts (kept here so the sections do not import the card). */
export const SECTION_IDS = {
  candidates: 'match-candidates',
  findings: 'match-findings',
  plan: 'match-plan',
  nextSync: 'match-next-sync',
  finding: (code: string) => `finding-${code}`,
  step: (n: number) => `plan-step-${n}`,
  candidate: (id: string) => `candidate-${id}`,
} as const;

/** Short on purpose: a card can list ten candidates. */
const REASON_TEXT: Readonly<Record<CandidateReason, string>> = {
  anchor: 'effective anchor',
  otherAnchor: 'other anchor (objectGUID vs ConsistencyGuid)',
  upn: 'same UPN',
  primarySmtp: 'primary SMTP address',
  address: 'another of the AD addresses',
  target: 'named by you after "to"',
};

export function candidatesSection(diagnosis: Diagnosis, detail: Detail = FULL_DETAIL): BodyElement[] {
  const { candidates } = diagnosis;
  const out: BodyElement[] = [{ ...heading(`Cloud candidates (${candidates.length})`), id: SECTION_IDS.candidates }];
  if (candidates.length === 0) {
    out.push(text('No cloud user, active or in the recycle bin, has this AD user\'s anchor, UPN or addresses.', { subtle: true }));
    return out;
  }
  const targetId = diagnosis.plan.target?.id;
  out.push(...candidates.map((c) => candidateBlock(c, c.user.id === targetId, detail)));
  return out;
}

function candidateBlock(candidate: CloudCandidate, isTarget: boolean, detail: Detail): BodyElement {
  const u = candidate.user;
  // Named as the findings and steps name it: the UPN it had, not the recycle bin's prefixed one.
  const title = `${escapeMarkdown(originalUpn(u))}${u.deletedDateTime ? ' · in the recycle bin' : ''}${isTarget ? ' · **plan target**' : ''}`;
  const rows: [string, string][] = [
    ['Object id', u.id],
    ['Sync', clip(syncState(u), detail)],
    ['ImmutableID', u.immutableId ?? '(none)'],
    ['Deleted', u.deletedDateTime ? `Yes, in the recycle bin since ${u.deletedDateTime}` : 'No (active)'],
    ['Admin roles', u.adminRoles.length > 0 ? clip(u.adminRoles.join(', '), detail) : 'None'],
    ['Matches on', candidate.reasons.map((r) => REASON_TEXT[r]).join('; ')],
  ];
  const tone = u.deletedDateTime ? 'warning' : isTarget ? 'good' : 'neutral';
  return {
    ...container([text(title, { weight: 'bolder', tone }), facts(rows)], { id: SECTION_IDS.candidate(u.id) }),
    separator: true,
  };
}

function syncState(u: CloudUser): string {
  if (!u.synced) return 'Cloud-only';
  const joined = u.onPremisesDistinguishedName ? `, joined to ${u.onPremisesDistinguishedName}` : '';
  const last = u.lastSyncDateTime ? `, last sync ${u.lastSyncDateTime}` : '';
  return `Synced${joined}${last}`;
}

/** Blockers first, then warnings, then info; the diagnosis's own order within a severity. */
export function findingsSection(findings: readonly Finding[], detail: Detail = FULL_DETAIL): BodyElement[] {
  const sorted = [...findings].sort((a, b) => severityStyle(a.severity).rank - severityStyle(b.severity).rank);
  const out: BodyElement[] = [{ ...heading(`Findings (${findings.length})`), id: SECTION_IDS.findings }];
  if (sorted.length === 0) out.push(text('Nothing to report.', { subtle: true }));
  out.push(...sorted.map((f) => findingBlock(f, detail)));
  return out;
}

/** Two text blocks: the coloured code line with the title, then evidence and remedy. */
function findingBlock(finding: Finding, detail: Detail): BodyElement {
  const style = severityStyle(finding.severity);
  const head = text(`${style.icon} **${style.label}** · \`${finding.code}\` · **${show(finding.title, detail)}**`, { tone: style.tone });
  const lines: string[] = [];
  if (showsEvidence(finding, detail) && finding.evidence.length > 0) lines.push(finding.evidence.map((e) => `- ${show(e, detail)}`).join('\n'), '');
  lines.push(`**What to do:** ${show(finding.remedy, detail)}`);
  return { ...container([head, text(lines.join('\n'))], { id: SECTION_IDS.finding(finding.code) }), separator: true };
}

export function planSection(plan: Plan, detail: Detail = FULL_DETAIL): BodyElement[] {
  const out: BodyElement[] = [{ ...heading('Plan'), id: SECTION_IDS.plan }];
  if (plan.target) {
    out.push(text(`Target cloud user: **${escapeMarkdown(originalUpn(plan.target))}** (${escapeMarkdown(plan.target.id)})`));
  }
  if (plan.note) out.push(text(show(plan.note, detail)));
  if (plan.nothingToDo) {
    out.push(text('Nothing to do: no change is needed.', { tone: 'good' }));
    return out;
  }
  if (plan.steps.length === 0) {
    const reason = plan.blockedReason ?? 'No automatic plan can fix this; see the findings above.';
    out.push(text(show(reason, detail), { tone: 'warning' }));
    return out;
  }
  const irreversible = plan.steps.filter((s) => s.irreversible).length;
  out.push(
    text(
      `${plural(plan.steps.length, 'step')}, run in order after approval.${irreversible > 0 ? ` ${irreversible} cannot be undone (IRREVERSIBLE).` : ' Each can be undone.'}`,
      { subtle: true },
    ),
  );
  out.push(...plan.steps.map((step) => stepBlock(step, detail)));
  return out;
}

/** One text block per step: number, kind and marks on the first line, what it does below; red when it cannot be undone. */
function stepBlock(step: PlanStep, detail: Detail): BodyElement {
  const marks = [step.irreversible ? '**IRREVERSIBLE**: cannot be undone' : 'reversible'];
  if (step.kind === 'MANUAL') marks.push('**MANUAL**: you do this on-premises; Hardmatch waits for "Done"');
  const lines = [`**${step.number}. ${step.kind}** · ${marks.join(' · ')}`, show(step.description, detail)];
  if (step.kind === 'MANUAL' && step.instruction !== step.description) lines.push(show(step.instruction, detail));
  return { ...text(lines.join('\n\n'), { tone: stepTone(step), id: SECTION_IDS.step(step.number) }), spacing: 'small' };
}

export function predictionSection(prediction: SyncPrediction, detail: Detail = FULL_DETAIL): BodyElement[] {
  const out: BodyElement[] = [
    { ...heading('Next sync cycle'), id: SECTION_IDS.nextSync },
    text(`**Now:** ${show(prediction.nowText, detail)}`, { tone: outcomeTone(prediction.now) }),
  ];
  if (prediction.afterPlan && prediction.afterPlanText) {
    out.push(text(`**After the plan:** ${show(prediction.afterPlanText, detail)}`, { tone: outcomeTone(prediction.afterPlan) }));
  } else {
    out.push(text('**After the plan:** no plan to run.', { subtle: true }));
  }
  return out;
}
