/**
 * The sections of the match card: on the first screen the findings (one line each) and the plan
 * (one line per step); one click away the objects (the AD user and the cloud candidates), the
 * evidence with what to do, how to do the person's steps, and the next sync. Split from
 * match-card.ts to keep each file small; pure functions.
 * Every string from a directory or the diagnosis goes through escapeMarkdown; codes and step kinds
 * are our own constants. Each fact is said once: the AD user's DN is named on top and called
 * "the AD user" below it, and a cloud user's object id is in its candidate block, not repeated in
 * every sentence that names the user.
 */
import type { CandidateReason, CloudCandidate, CloudUser } from '../domain/cloud.ts';
import type { Diagnosis, Finding, Plan, PlanStep, SyncPrediction } from '../domain/diagnosis/types.ts';
import type { OnPremUser } from '../domain/onprem-user.ts';
import { container, copyRow, escapeMarkdown, facts, plainCommands, plural, text, type BodyElement } from './card-parts.ts';
import { shortStep, undoMark, type StepNames } from './plan-steps.ts';
import { findingLink } from './finding-links.ts';
import { predictionTone, severityStyle, stepTone } from './status-tones.ts';
import { userAnchors } from './user-anchors.ts';
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

/** Element ids shared with match-card.ts (kept here so the sections do not import the card). */
export const SECTION_IDS = {
  objects: 'match-objects',
  candidates: 'match-candidates',
  findings: 'match-findings',
  infoFindings: 'match-info-findings',
  evidence: 'match-evidence',
  plan: 'match-plan',
  howTo: 'match-how-to',
  nextSync: 'match-next-sync',
  /** A finding's evidence and remedy (every finding has one). */
  finding: (code: string) => `finding-${code}`,
  /** A blocker's or warning's line on the first screen. */
  findingLine: (code: string) => `finding-line-${code}`,
  step: (n: number) => `plan-step-${n}`,
  howToStep: (n: number) => `how-to-step-${n}`,
  candidate: (id: string) => `candidate-${id}`,
} as const;

/**
 * Diagnosis texts as the card says them: the AD user's DN becomes "the AD user", a candidate's
 * " (id …)" is dropped (its block shows the id), a `command` is quoted, then clipped and escaped.
 */
export interface Wording {
  names: StepNames;
  say: (value: string) => string;
}

export function wording(diagnosis: Diagnosis, detail: Detail): Wording {
  const dn = diagnosis.onPrem?.dn;
  const targetId = diagnosis.plan.target?.id;
  const byId = new Map(diagnosis.candidates.map((c) => [c.user.id.toLowerCase(), originalUpn(c.user)]));
  const ids = [...byId.keys()].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const idPattern = ids.length > 0 ? new RegExp(` \\((?:id |object id )?(?:${ids.join('|')})\\)`, 'gi') : undefined;
  const compact = (value: string): string => {
    let out = plainCommands(value);
    if (dn) out = out.replaceAll(`(${dn})`, '').replaceAll(dn, 'the AD user');
    if (idPattern) out = out.replace(idPattern, '');
    return out.replace(/ {2,}/g, ' ').replace(/ ([,.;:])/g, '$1');
  };
  return {
    names: {
      ...(dn ? { onPremDn: dn } : {}),
      nameOf: (id, fallback) => (id === targetId ? 'the cloud user' : (byId.get(id.toLowerCase()) ?? fallback)),
    },
    say: (value) => escapeMarkdown(clip(compact(value), detail)),
  };
}

/** Short on purpose: a card can list ten candidates. */
const REASON_TEXT: Readonly<Record<CandidateReason, string>> = {
  anchor: 'effective anchor',
  otherAnchor: 'other anchor (objectGUID vs ConsistencyGuid)',
  upn: 'same UPN',
  primarySmtp: 'primary SMTP address',
  address: 'another of the AD addresses',
  target: 'named by you after "to"',
};

/** The AD user's own facts (the DN and sAMAccountName are on top of the card already). */
export function onPremSection(user: OnPremUser, ids: { onPrem: string; effectiveImmutableId: string }): BodyElement[] {
  const rows: [string, string][] = [
    ['UPN', user.userPrincipalName ?? '(not set)'],
    ['Mail', user.mail ?? '(not set)'],
    ['Enabled', user.enabled ? 'Yes' : 'No (disabled)'],
    ['Effective anchor', `${user.anchor.attribute} (GUID ${user.anchor.guid})`],
  ];
  const out: BodyElement[] = [
    { ...text('AD user', { weight: 'bolder' }), id: ids.onPrem },
    facts(rows),
    // Shown exactly as computed so it pastes cleanly; escaping leaves valid base64 unchanged anyway.
    copyRow('ImmutableID', escapeMarkdown(user.anchor.immutableId), { marked: true, id: ids.effectiveImmutableId }),
  ];
  for (const other of userAnchors(user).filter((a) => !a.effective)) {
    out.push(copyRow(`ImmutableID of ${other.attribute}`, escapeMarkdown(other.immutableId)));
  }
  return out;
}

export function candidatesSection(diagnosis: Diagnosis, detail: Detail = FULL_DETAIL): BodyElement[] {
  const { candidates } = diagnosis;
  const out: BodyElement[] = [
    { ...text(`Cloud candidates (${candidates.length})`, { weight: 'bolder' }), id: SECTION_IDS.candidates, separator: true },
  ];
  if (candidates.length === 0) {
    out.push(text("No cloud user, active or in the recycle bin, has this AD user's anchor, UPN or addresses.", { subtle: true }));
    return out;
  }
  const targetId = diagnosis.plan.target?.id;
  out.push(...candidates.map((c) => candidateBlock(c, c.user.id === targetId, diagnosis.onPrem?.dn, detail)));
  return out;
}

function candidateBlock(candidate: CloudCandidate, isTarget: boolean, onPremDn: string | undefined, detail: Detail): BodyElement {
  const u = candidate.user;
  // Named as the findings and steps name it: the UPN it had, not the recycle bin's prefixed one.
  const marks = [u.deletedDateTime ? 'in the recycle bin' : '', isTarget ? '**plan target**' : ''].filter(Boolean);
  const title = [escapeMarkdown(originalUpn(u)), ...marks].join(' · ');
  const rows: [string, string][] = [
    ['Object id', u.id],
    ['Sync', clip(syncState(u, onPremDn), detail)],
    ['ImmutableID', u.immutableId ?? '(none)'],
    ['Deleted', u.deletedDateTime ? `Yes, in the recycle bin since ${u.deletedDateTime}` : 'No (active)'],
    ['Admin roles', u.adminRoles.length > 0 ? clip(u.adminRoles.join(', '), detail) : 'None'],
    ['Matches on', candidate.reasons.map((r) => REASON_TEXT[r]).join('; ')],
  ];
  // Bold only: a candidate is a fact, not news; its colour would claim a meaning it does not have.
  return { ...container([text(title, { weight: 'bolder' }), facts(rows)], { id: SECTION_IDS.candidate(u.id) }), separator: true };
}

function syncState(u: CloudUser, onPremDn: string | undefined): string {
  if (!u.synced) return 'Cloud-only';
  const dn = u.onPremisesDistinguishedName;
  const joined = dn ? `, joined to ${dn === onPremDn ? 'this AD user' : dn}` : '';
  const last = u.lastSyncDateTime ? `, last sync ${u.lastSyncDateTime}` : '';
  return `Synced${joined}${last}`;
}

export function sortedFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityStyle(a.severity).rank - severityStyle(b.severity).rank);
}

/**
 * First screen: one line per blocker and warning (severity, the code as a link to docs/finding-codes.md, the
 * title), then the info findings' codes together on one line: their titles are in the evidence.
 */
export function findingsSection(diagnosis: Diagnosis, say: Wording['say']): BodyElement[] {
  const sorted = sortedFindings(diagnosis.findings);
  const rows: BodyElement[] = sorted
    .filter((f) => f.severity !== 'info')
    .map((f) => {
      const style = severityStyle(f.severity);
      return {
        ...text(`**${style.label}** ${findingLink(f.code)}: ${say(f.title)}`, { tone: style.tone, id: SECTION_IDS.findingLine(f.code) }),
        spacing: 'none' as const,
      };
    });
  const info = sorted.filter((f) => f.severity === 'info');
  if (info.length > 0) {
    const style = severityStyle('info');
    const codes = info.map((f) => findingLink(f.code)).join(', ');
    rows.push({ ...text(`**${style.label}** ${codes}`, { tone: style.tone, id: SECTION_IDS.infoFindings }), spacing: 'none' });
  }
  return rows.length === 0 ? [] : [container(rows, { id: SECTION_IDS.findings })];
}

/** One click away: each finding's evidence and what to do, under its code (and, for info, its title). */
export function evidenceSection(findings: readonly Finding[], say: Wording['say'], detail: Detail): BodyElement[] {
  return sortedFindings(findings).map((f) => {
    const lines: string[] = [`**${escapeMarkdown(f.code)}**${f.severity === 'info' ? `: ${say(f.title)}` : ''}`];
    if (showsEvidence(f, detail) && f.evidence.length > 0) lines.push(f.evidence.map((e) => `- ${say(e)}`).join('\n'));
    lines.push(`**What to do:** ${say(f.remedy)}`);
    return { ...text(lines.join('\n\n'), { id: SECTION_IDS.finding(f.code) }), separator: true };
  });
}

/** First screen: the plan's one-line head, then one line per step (what, who, undo), or why there is none. */
export function planSection(plan: Plan, wordingOf: Wording): BodyElement[] {
  const out: BodyElement[] = [];
  if (plan.nothingToDo) {
    out.push({ ...text('Nothing to do: no change is needed.', { tone: 'good', id: SECTION_IDS.plan }), separator: true });
    return out;
  }
  if (plan.steps.length === 0) {
    const reason = plan.blockedReason ?? 'No automatic plan can fix this; see the findings above.';
    out.push({ ...text(`**No plan yet:** ${wordingOf.say(reason)}`, { tone: 'warning', id: SECTION_IDS.plan }), separator: true });
    return out;
  }
  out.push({ ...text(planHead(plan.steps), { weight: 'bolder', id: SECTION_IDS.plan }), separator: true });
  if (plan.note) out.push({ ...text(wordingOf.say(plan.note), { subtle: true }), spacing: 'none' });
  out.push(...plan.steps.map((step) => stepLine(step, wordingOf)));
  return out;
}

/** "Plan: 7 steps, in order, after approval; 2 by a person (Hardmatch waits for their "Done"); 1 IRREVERSIBLE". */
function planHead(steps: readonly PlanStep[]): string {
  const manual = steps.filter((s) => s.kind === 'MANUAL').length;
  const irreversible = steps.filter((s) => s.irreversible).length;
  const parts = [`Plan: ${plural(steps.length, 'step')} in order${manual === steps.length ? '' : ' after approval'}`];
  if (manual > 0) parts.push(`${manual} by a person (Hardmatch waits for their "Done")`);
  if (irreversible > 0) parts.push(`${irreversible} IRREVERSIBLE`);
  return parts.join('; ');
}

/** "**3.** Permanently delete x from the recycle bin · automatic, **IRREVERSIBLE**". */
function stepLine(step: PlanStep, wordingOf: Wording): BodyElement {
  const what = wordingOf.say(shortStep(step, wordingOf.names));
  return {
    ...text(`**${step.number}.** ${what} · ${undoMark(step)}`, { tone: stepTone(step), id: SECTION_IDS.step(step.number) }),
    spacing: 'none',
  };
}

/** One click away: what the person does for each MANUAL step, in full. */
export function howToSection(plan: Plan, say: Wording['say']): BodyElement[] {
  return plan.steps.flatMap((step) =>
    step.kind === 'MANUAL'
      ? [
          {
            ...text(`**Step ${step.number}:** ${say(step.instruction)}`, { id: SECTION_IDS.howToStep(step.number) }),
            spacing: 'small' as const,
          },
        ]
      : [],
  );
}

/** One click away: what the next sync does now and after the plan, coloured by what it means for this user. */
export function predictionSection(
  prediction: SyncPrediction,
  targetId: string | undefined,
  nothingToDo: boolean,
  say: Wording['say'],
): BodyElement[] {
  const out: BodyElement[] = [
    text(`**Now:** ${say(prediction.nowText)}`, { tone: predictionTone(prediction.now, { targetId, nothingToDo }) }),
  ];
  if (prediction.afterPlan && prediction.afterPlanText) {
    out.push(
      text(`**After the plan:** ${say(prediction.afterPlanText)}`, {
        tone: predictionTone(prediction.afterPlan, { targetId, nothingToDo }),
      }),
    );
  } else {
    out.push(text('**After the plan:** no plan to run.', { subtle: true }));
  }
  return out;
}
