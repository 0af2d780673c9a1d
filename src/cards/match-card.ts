/**
 * The `match` card (product.md, "The diagnosis card"), laid out as an admin reads it: the first
 * screen holds the verdict (one sentence, coloured by what it means), who is matched to whom, the
 * findings one line each (codes linking to docs/finding-codes.md), the plan one line per step, and the
 * buttons. One click away (Action.ToggleVisibility): the AD user and the cloud candidates, the
 * evidence with what to do, how to do the person's steps, and the next sync. A pure function of a
 * Diagnosis; it changes nothing. When the plan has automated steps, `match` stores a proposed
 * request and passes its id: the card then offers Request approval (with the justification) and
 * Refresh, whose data carry only that id. Without an id there is nothing to approve, and the card
 * offers the command again as a button.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { Diagnosis } from '../domain/diagnosis/types.ts';
import type { OnPremUser } from '../domain/onprem-user.ts';
import { refreshAction, requestApprovalAction } from './approval-actions.ts';
import type { UserText } from '../errors/index.ts';
import {
  buttonRow,
  card,
  commandButton,
  escapeMarkdown,
  facts,
  FRAME_ALLOWANCE_BYTES,
  notice,
  plural,
  text,
  toggleSection,
  type BodyElement,
  type Tone,
} from './card-parts.ts';
import {
  candidatesSection,
  evidenceSection,
  findingsSection,
  FULL_DETAIL,
  howToSection,
  onPremSection,
  planSection,
  predictionSection,
  SECTION_IDS,
  wording,
  type Detail,
} from './diagnosis-sections.ts';
import { originalUpn } from '../domain/diagnosis/describe.ts';
import { severityStyle } from './status-tones.ts';
import { exactName } from './users-list-card.ts';

export interface MatchCardOptions {
  /**
   * What the admin types to see this card again, e.g. `match jdoe to john@contoso.com`.
   * Defaults to `match <who>`.
   */
  command?: string;
  /**
   * The AD users the look-up found when it was not exactly one (ONPREM_AMBIGUOUS), so the card can
   * offer each as a `match <sAMAccountName>` button.
   */
  onPremMatches?: { users: readonly OnPremUser[]; truncated: boolean };
  /**
   * The proposed request `match` stored for this plan (only when it has automated steps). Given:
   * the card shows "Request <id>" and the Request approval and Refresh buttons. Default: none.
   */
  requestId?: string;
  /**
   * Why approval cannot be requested for this plan right now (the request store failed): shown
   * above the buttons, which then only run the command again. The diagnosis itself is unaffected.
   */
  approvalUnavailable?: UserText;
}

export const MATCH_CARD_IDS = {
  verdict: 'match-verdict',
  onPrem: 'match-onprem',
  effectiveImmutableId: 'match-effective-immutable-id',
  onPremChoices: 'match-onprem-choices',
  actions: 'match-actions',
  toggles: 'match-toggles',
  footer: 'match-footer',
  request: 'match-request',
  approvalUnavailable: 'match-approval-unavailable',
  subject: 'match-subject',
  shortened: 'match-shortened',
  ...SECTION_IDS,
} as const;

export const NOTHING_CHANGED = 'Nothing has been changed.';

/**
 * Card JSON above this many bytes is rendered again with less detail. Teams refuses a message over
 * about 28 KB; the activity around the card, the request id the approval flow will add and a frame
 * (FRAME_ALLOWANCE_BYTES) need room.
 */
export const CARD_BUDGET_BYTES = 24 * 1024;

/** Tried in order until the card fits the budget: clip long texts first, then drop evidence lists, info findings' first. */
const DETAIL_LEVELS: readonly Detail[] = [
  FULL_DETAIL,
  { maxText: 240, evidence: 'all' },
  { maxText: 120, evidence: 'all' },
  { maxText: 120, evidence: 'no-info' },
  { maxText: 120, evidence: 'none' },
  { maxText: 60, evidence: 'none' },
  { maxText: 40, evidence: 'none' },
  { maxText: 24, evidence: 'none' },
  { maxText: 16, evidence: 'none' },
];

export const SHORTENED_NOTE = "Some long texts are shortened (…) to fit Teams' card size limit.";

/** The toggle buttons' titles (tests and the README name them). */
export const TOGGLE_TITLES = {
  objects: (candidates: number) => `AD user and ${plural(candidates, 'cloud candidate')}`,
  evidence: 'Evidence and what to do',
  howTo: (steps: number) => `How to do the person's ${steps === 1 ? 'step' : 'steps'}`,
  nextSync: 'Next sync',
} as const;

export function matchCard(diagnosis: Diagnosis, options: MatchCardOptions = {}): IAdaptiveCard {
  let built = render(diagnosis, options, FULL_DETAIL);
  for (const detail of DETAIL_LEVELS.slice(1)) {
    if (Buffer.byteLength(JSON.stringify(built), 'utf8') <= CARD_BUDGET_BYTES - FRAME_ALLOWANCE_BYTES) break;
    built = render(diagnosis, options, detail);
  }
  return built;
}

function render(diagnosis: Diagnosis, options: MatchCardOptions, detail: Detail): IAdaptiveCard {
  const command = options.command ?? `match ${diagnosis.who}`;
  const words = wording(diagnosis, detail);
  const body: BodyElement[] = [verdict(diagnosis, options.onPremMatches), subject(diagnosis, false)];
  if (!diagnosis.onPrem) body.push(...unresolvedOnPrem(diagnosis.who, options.onPremMatches));
  body.push(...findingsSection(diagnosis, words.say), ...planSection(diagnosis.plan, words));
  if (options.approvalUnavailable) body.push(approvalUnavailableNotice(options.approvalUnavailable));
  body.push(actionRow(command, options.requestId));
  body.push(...toggles(diagnosis, words, detail));
  const footer = [NOTHING_CHANGED];
  if (options.requestId !== undefined) footer.push(`Request ${escapeMarkdown(options.requestId)}.`);
  if (detail !== FULL_DETAIL) body.push(text(SHORTENED_NOTE, { subtle: true, size: 'small', id: MATCH_CARD_IDS.shortened }));
  body.push(text(footer.join(' '), { subtle: true, size: 'small', id: MATCH_CARD_IDS.footer }));
  return card(body, { summary: matchSummaryText(diagnosis, command, options.onPremMatches) });
}

function approvalUnavailableNotice(problem: UserText): BodyElement {
  return notice({
    tone: 'warning',
    title: `Approval cannot be requested now: ${problem.title}`,
    text: problem.text,
    code: problem.code,
    id: MATCH_CARD_IDS.approvalUnavailable,
  });
}

/** Request approval and Refresh for a proposed request; otherwise the command again, as a button. */
function actionRow(command: string, requestId: string | undefined): BodyElement {
  const actions =
    requestId === undefined
      ? [commandButton(command, { id: 'action-run-again', title: `Run "${command}" again` })]
      : [requestApprovalAction(requestId), refreshAction(requestId)];
  return { ...buttonRow(actions, { id: MATCH_CARD_IDS.actions }), spacing: 'medium' };
}

/** The sections one click away, each behind its own button, in one row under the actions. */
function toggles(diagnosis: Diagnosis, words: ReturnType<typeof wording>, detail: Detail): BodyElement[] {
  const sections: ReturnType<typeof toggleSection>[] = [];
  const onPrem = diagnosis.onPrem;
  if (onPrem) {
    const items = [
      ...onPremSection(onPrem, { onPrem: MATCH_CARD_IDS.onPrem, effectiveImmutableId: MATCH_CARD_IDS.effectiveImmutableId }),
      ...candidatesSection(diagnosis, detail),
    ];
    sections.push(toggleSection({ id: MATCH_CARD_IDS.objects, title: TOGGLE_TITLES.objects(diagnosis.candidates.length), items }));
  }
  if (diagnosis.findings.length > 0) {
    sections.push(
      toggleSection({
        id: MATCH_CARD_IDS.evidence,
        title: TOGGLE_TITLES.evidence,
        items: evidenceSection(diagnosis.findings, words.say, detail),
      }),
    );
  }
  const howTo = howToSection(diagnosis.plan, words.say);
  if (howTo.length > 0) sections.push(toggleSection({ id: MATCH_CARD_IDS.howTo, title: TOGGLE_TITLES.howTo(howTo.length), items: howTo }));
  if (diagnosis.prediction) {
    const items = predictionSection(diagnosis.prediction, diagnosis.plan.target?.id, diagnosis.plan.nothingToDo, words.say);
    sections.push(toggleSection({ id: MATCH_CARD_IDS.nextSync, title: TOGGLE_TITLES.nextSync, items }));
  }
  if (sections.length === 0) return [];
  return [
    {
      ...buttonRow(
        sections.map((s) => s.button),
        { id: MATCH_CARD_IDS.toggles },
      ),
      spacing: 'small',
    },
    ...sections.map((s) => s.section),
  ];
}

/**
 * Who the plan joins: the AD user (named once, with its DN) and the target cloud user. The request
 * card shows it too, with the target's object id (it has no candidates section to look it up in).
 */
function subject(diagnosis: Diagnosis, withTargetId: boolean): BodyElement {
  const onPrem = diagnosis.onPrem;
  const target = diagnosis.plan.target;
  const rows: [string, string][] = [['AD user', onPrem ? `${onPrem.samAccountName} · ${onPrem.dn}` : `${diagnosis.who} (not found)`]];
  if (onPrem) rows.push(['Cloud user', target ? `${originalUpn(target)}${withTargetId ? ` · ${target.id}` : ''}` : '(none chosen)']);
  return { ...facts(rows), id: MATCH_CARD_IDS.subject, spacing: 'small' };
}

/** The verdict and the subject: what the request card repeats, so an approver sees what the request is about. */
export function diagnosisSummary(diagnosis: Diagnosis): BodyElement[] {
  return [verdict(diagnosis, undefined), subject(diagnosis, true)];
}

function counts(diagnosis: Diagnosis): { blockers: number; warnings: number } {
  const count = (severity: 'blocker' | 'warning'): number => diagnosis.findings.filter((f) => f.severity === severity).length;
  return { blockers: count('blocker'), warnings: count('warning') };
}

/** The verdict's words and tone: bad news in the attention colour, good news (and only that) green. */
function verdictOf(diagnosis: Diagnosis, matches: MatchCardOptions['onPremMatches']): { words: string; tone: Tone } {
  const { blockers, warnings } = counts(diagnosis);
  const plan = diagnosis.plan;
  if (!diagnosis.onPrem) {
    const users = matches?.users.length ?? 0;
    if (users === 0) return { words: `No AD user matches "${diagnosis.who}".`, tone: severityStyle('blocker').tone };
    return {
      words: `${matches?.truncated ? 'More than ' : ''}${users} AD users match "${diagnosis.who}": choose one below.`,
      tone: severityStyle('warning').tone,
    };
  }
  const problems = [blockers > 0 ? plural(blockers, 'blocker') : '', warnings > 0 ? plural(warnings, 'warning') : '']
    .filter(Boolean)
    .join(' and ');
  const tone: Tone = blockers > 0 ? severityStyle('blocker').tone : warnings > 0 ? severityStyle('warning').tone : 'info';
  if (plan.nothingToDo)
    return {
      words: problems ? `Nothing to do, but ${problems}: see below.` : 'Already matched: nothing to do.',
      tone: problems ? tone : 'good',
    };
  if (plan.steps.length === 0)
    return {
      words: `${problems ? `${capitalise(problems)}: n` : 'N'}o plan yet, a decision is needed first.`,
      tone: blockers > 0 ? tone : 'warning',
    };
  const irreversible = plan.steps.filter((s) => s.irreversible).length;
  const steps = `a ${plan.steps.length}-step plan fixes it${irreversible > 0 ? ` (${irreversible} IRREVERSIBLE)` : ''}`;
  return { words: `${problems ? `${capitalise(problems)}: ` : 'Not matched yet: '}${steps}.`, tone };
}

function verdict(diagnosis: Diagnosis, matches: MatchCardOptions['onPremMatches']): BodyElement {
  const { words, tone } = verdictOf(diagnosis, matches);
  return text(escapeMarkdown(words), { tone, weight: 'bolder', size: 'medium', id: MATCH_CARD_IDS.verdict });
}

/**
 * The card's one line for a notification or the chat list, plain text:
 * "match jdoe: 1 blocker: a plan of 7 steps (1 IRREVERSIBLE) fixes it."
 */
export function matchSummaryText(diagnosis: Diagnosis, command: string, matches?: MatchCardOptions['onPremMatches']): string {
  return `${command}: ${verdictOf(diagnosis, matches).words}`;
}

/** Not found, or several AD users: say so, and offer each user as a button that runs `match` on it. */
function unresolvedOnPrem(who: string, matches: MatchCardOptions['onPremMatches']): BodyElement[] {
  const users = matches?.users ?? [];
  if (users.length === 0) {
    return [
      text(
        `Check the spelling, or try the UPN, mail address, sAMAccountName, DN or objectGUID of "${escapeMarkdown(who)}", e.g. **match jdoe@contoso.com**.`,
        {
          id: MATCH_CARD_IDS.onPrem,
        },
      ),
    ];
  }
  const out: BodyElement[] = [
    { ...facts(users.map((u) => [u.samAccountName, `${u.userPrincipalName ?? '(no UPN)'} · ${u.dn}`])), id: MATCH_CARD_IDS.onPremChoices },
    buttonRow(
      users.map((u) => commandButton(`match ${exactName(u, users)}`)),
      { id: MATCH_CARD_IDS.onPrem },
    ),
  ];
  if (matches?.truncated) out.push(text(`Only the first ${users.length} are shown; type a UPN or DN to narrow it down.`, { subtle: true }));
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
