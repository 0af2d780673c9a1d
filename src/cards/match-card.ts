/**
 * The `match` card (product.md, "The diagnosis card"): the on-prem object, the cloud candidates, the
 * findings (blockers first), the plan and what the next sync does now and after the plan. A pure
 * function of a Diagnosis; it changes nothing. When the plan has automated steps, `match` stores a
 * proposed request and passes its id: the card then offers Request approval (with the
 * justification) and Refresh, whose data carry only that id. Without an id there is nothing to
 * approve and the card has no buttons.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import type { Diagnosis } from '../domain/diagnosis/types.ts';
import type { OnPremUser } from '../domain/onprem-user.ts';
import { refreshAction, requestApprovalAction } from './approval-actions.ts';
import { card, codeSpan, copyRow, escapeMarkdown, facts, heading, plural, text, type BodyElement, type Tone } from './card-parts.ts';
import { candidatesSection, findingsSection, FULL_DETAIL, planSection, predictionSection, SECTION_IDS, type Detail } from './diagnosis-sections.ts';
import { severityStyle } from './status-tones.ts';
import { userAnchors } from './user-anchors.ts';

export interface MatchCardOptions {
  sandbox: boolean;
  /**
   * What the admin types to see this card again, e.g. `match jdoe to john@contoso.com`.
   * Defaults to `match <who>`.
   */
  command?: string;
  /**
   * The AD users the look-up found when it was not exactly one (ONPREM_AMBIGUOUS), so the card can
   * list each as a `match <sAMAccountName>` to type.
   */
  onPremMatches?: { users: readonly OnPremUser[]; truncated: boolean };
  /**
   * The proposed request `match` stored for this plan (only when it has automated steps). Given:
   * the card shows "Request <id>" and the Request approval and Refresh buttons. Default: none.
   */
  requestId?: string;
}

export const MATCH_CARD_IDS = {
  verdict: 'match-verdict',
  onPrem: 'match-onprem',
  effectiveImmutableId: 'match-effective-immutable-id',
  onPremChoices: 'match-onprem-choices',
  footer: 'match-footer',
  request: 'match-request',
  subject: 'match-subject',
  shortened: 'match-shortened',
  ...SECTION_IDS,
} as const;

export const NOTHING_CHANGED = 'Nothing has been changed.';

/**
 * Card JSON above this many bytes is rendered again with less detail. Teams refuses a message over
 * about 28 KB; the activity around the card and the request id the approval flow will add need room.
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
];

export const SHORTENED_NOTE = "Some long texts are shortened (…) to fit Teams' card size limit.";

export function matchCard(diagnosis: Diagnosis, options: MatchCardOptions): IAdaptiveCard {
  let built = render(diagnosis, options, FULL_DETAIL);
  for (const detail of DETAIL_LEVELS.slice(1)) {
    if (Buffer.byteLength(JSON.stringify(built), 'utf8') <= CARD_BUDGET_BYTES) break;
    built = render(diagnosis, options, detail);
  }
  return built;
}

function render(diagnosis: Diagnosis, options: MatchCardOptions, detail: Detail): IAdaptiveCard {
  const command = options.command ?? `match ${diagnosis.who}`;
  const body: BodyElement[] = [text(`match: ${escapeMarkdown(diagnosis.who)}`, { size: 'large', weight: 'bolder' }), verdict(diagnosis)];
  const onPrem = diagnosis.onPrem;
  if (onPrem) {
    body.push(...onPremSection(onPrem));
    body.push(...candidatesSection(diagnosis, detail));
  } else {
    body.push(...unresolvedOnPrem(diagnosis.who, options.onPremMatches));
  }
  body.push(...findingsSection(diagnosis.findings, detail), ...planSection(diagnosis.plan, detail));
  if (diagnosis.prediction) body.push(...predictionSection(diagnosis.prediction, detail));
  if (detail !== FULL_DETAIL) body.push(text(SHORTENED_NOTE, { subtle: true, id: MATCH_CARD_IDS.shortened }));
  body.push(
    text(`${NOTHING_CHANGED} To refresh, type ${codeSpan(command)} again.`, { subtle: true, id: MATCH_CARD_IDS.footer }),
  );
  const { requestId } = options;
  if (requestId !== undefined) body.push(text(`Request ${escapeMarkdown(requestId)}`, { subtle: true, size: 'small', id: MATCH_CARD_IDS.request }));
  const built = card(body, { sandbox: options.sandbox, speak: `Diagnosis for ${diagnosis.who}` });
  return requestId === undefined ? built : { ...built, actions: [requestApprovalAction(requestId), refreshAction(requestId)] };
}

/**
 * The verdict line and who the plan joins (the AD user and the target cloud user): the part of
 * this card the request card repeats, so an approver sees what the request is about.
 */
export function diagnosisSummary(diagnosis: Diagnosis): BodyElement[] {
  const onPrem = diagnosis.onPrem;
  const target = diagnosis.plan.target;
  const rows: [string, string][] = [
    ['AD user', onPrem ? `${onPrem.samAccountName} (${onPrem.dn})` : `${diagnosis.who} (not found)`],
    ['Target cloud user', target ? `${target.userPrincipalName} (${target.id})` : '(none)'],
  ];
  return [verdict(diagnosis), { ...facts(rows), id: MATCH_CARD_IDS.subject }];
}

/** One line under the title: the worst severity found and what the plan amounts to. */
function verdict(diagnosis: Diagnosis): BodyElement {
  const count = (severity: 'blocker' | 'warning' | 'info'): number => diagnosis.findings.filter((f) => f.severity === severity).length;
  const blockers = count('blocker');
  const warnings = count('warning');
  const parts: string[] = [];
  if (blockers > 0) parts.push(plural(blockers, 'blocker'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  const plan = diagnosis.plan;
  const irreversible = plan.steps.filter((s) => s.irreversible).length;
  let planText: string;
  if (plan.nothingToDo) planText = 'nothing to do';
  else if (plan.steps.length === 0) planText = 'no plan yet: a decision is needed (see Plan)';
  else planText = `plan of ${plural(plan.steps.length, 'step')}${irreversible > 0 ? `, ${irreversible} IRREVERSIBLE` : ''}`;
  const summary = parts.length > 0 ? `${parts.join(', ')}; ${planText}` : `No problems found; ${planText}`;
  let tone: Tone = plan.nothingToDo ? 'good' : 'neutral';
  if (warnings > 0) tone = severityStyle('warning').tone;
  if (blockers > 0) tone = severityStyle('blocker').tone;
  return text(capitalise(summary), { tone, weight: 'bolder', id: MATCH_CARD_IDS.verdict });
}

function onPremSection(user: OnPremUser): BodyElement[] {
  const rows: [string, string][] = [
    ['DN', user.dn],
    ['sAMAccountName', user.samAccountName],
    ['UPN', user.userPrincipalName ?? '(not set)'],
    ['Mail', user.mail ?? '(not set)'],
    ['Enabled', user.enabled ? 'Yes' : 'No (disabled)'],
    ['Effective anchor', `${user.anchor.attribute} (GUID ${user.anchor.guid})`],
  ];
  const out: BodyElement[] = [
    { ...heading('On-premises object'), id: MATCH_CARD_IDS.onPrem },
    facts(rows),
    // Shown exactly as computed so it pastes cleanly; escaping leaves valid base64 unchanged anyway.
    copyRow('ImmutableID', escapeMarkdown(user.anchor.immutableId), { marked: true, id: MATCH_CARD_IDS.effectiveImmutableId }),
  ];
  for (const other of userAnchors(user).filter((a) => !a.effective)) {
    out.push(copyRow(`ImmutableID of ${other.attribute}`, escapeMarkdown(other.immutableId)));
  }
  return out;
}

/** Not found, or several AD users: say so and list what to type instead. */
function unresolvedOnPrem(who: string, matches: MatchCardOptions['onPremMatches']): BodyElement[] {
  const out: BodyElement[] = [{ ...heading('On-premises object'), id: MATCH_CARD_IDS.onPrem }];
  const users = matches?.users ?? [];
  if (users.length === 0) {
    out.push(
      text(`No on-premises user matches "${escapeMarkdown(who)}".`, { tone: 'warning' }),
      text('Check the spelling, or type the UPN, mail address, sAMAccountName, DN or objectGUID, e.g. `match jdoe@contoso.com`.'),
    );
    return out;
  }
  const count = matches?.truncated ? `More than ${users.length}` : `${users.length}`;
  out.push(text(`${count} on-premises users match "${escapeMarkdown(who)}". Type one of:`, { tone: 'warning' }));
  out.push({
    ...facts(users.map((u) => [u.samAccountName, `${u.userPrincipalName ?? '(no UPN)'} · ${u.dn}`])),
    id: MATCH_CARD_IDS.onPremChoices,
  });
  out.push(text(users.map((u) => `- ${codeSpan(`match ${exactName(u, users)}`)}`).join('\n')));
  if (matches?.truncated) out.push(text(`Only the first ${users.length} are shown; type a UPN or DN to narrow it down.`, { subtle: true }));
  return out;
}

/** The sAMAccountName, or the DN when several listed users share it (users of different domains). */
function exactName(user: OnPremUser, all: readonly OnPremUser[]): string {
  const sam = user.samAccountName.toLowerCase();
  return all.filter((u) => u.samAccountName.toLowerCase() === sam).length > 1 ? user.dn : user.samAccountName;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
