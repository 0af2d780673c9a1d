/**
 * The `guid` card: the on-prem object (when the relay found it), every format of its anchors, which
 * one Entra Connect joins on, and the cloud section. A pure function of domain data.
 */
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { anchorFormats, parseAnchor, toLdapFilter, type Anchor } from '../domain/anchors.ts';
import type { CloudUser } from '../domain/cloud.ts';
import type { AnchorAttribute, OnPremUser } from '../domain/onprem-user.ts';
import type { UserText } from '../errors/index.ts';
import {
  buttonRow,
  card,
  commandButton,
  container,
  copyRow,
  escapeMarkdown,
  facts,
  heading,
  notice,
  text,
  type BodyElement,
} from './card-parts.ts';
import { exactName } from './users-list-card.ts';
import { problemNotice, type Problem } from './problem.ts';

/** What the relay said about the on-prem side of this look-up. */
export type OnPremState =
  | { kind: 'found'; user: OnPremUser }
  /** The relay answered: no AD user carries this anchor. */
  | { kind: 'none' }
  /** Several AD users carry the value (e.g. one's objectGUID is another's ConsistencyGuid). */
  | { kind: 'several'; users: OnPremUser[]; truncated: boolean }
  | { kind: 'unavailable'; problem: UserText }
  | { kind: 'not-configured' };

/** Who in the cloud holds one ImmutableID, or why that could not be read. */
export interface AnchorHolders {
  immutableId: string;
  /** Which value this is, e.g. `effective anchor, objectGUID` or `the value you typed`. */
  label: string;
  result: { kind: 'holders'; users: CloudUser[] } | { kind: 'failed'; problem: Problem };
}

/** The cloud section: one entry per ImmutableID checked, or not configured (no Graph). */
export type CloudState = { kind: 'not-configured' } | { kind: 'checked'; anchors: AnchorHolders[] };

export interface GuidCardInput {
  /** What the admin typed after `guid`. */
  query: string;
  /** The anchor the admin typed, when they typed one (shown when no single AD user was found). */
  typed?: Anchor;
  onPrem: OnPremState;
  /** Defaults to not configured. */
  cloud?: CloudState;
}

export const CLOUD_NOT_CONFIGURED =
  'Cloud check not configured: which cloud users (active or deleted) hold this ImmutableID will show here once Microsoft Graph is configured.';

export const ELEMENT_IDS = {
  effectiveImmutableId: 'effective-immutable-id',
  onPremFacts: 'onprem-facts',
  consistencyGuid: 'consistency-guid',
  cloud: 'cloud',
  cloudHolder: (id: string) => `cloud-holder-${id}`,
} as const;

export const CLOUD_CHECK_FAILED =
  'The cloud check failed, so which cloud users hold this ImmutableID is unknown; the on-premises part above is unaffected.';

export function guidCard(input: GuidCardInput): IAdaptiveCard {
  const body: BodyElement[] = [text(`guid: ${escapeMarkdown(input.query)}`, { size: 'large', weight: 'bolder' })];
  body.push(...onPremSection(input.onPrem));
  if (input.onPrem.kind === 'found') {
    body.push(...userAnchorSections(input.onPrem.user));
  } else if (input.typed) {
    body.push(...typedAnchorSection(input.typed));
  }
  body.push(...cloudSection(input.cloud ?? { kind: 'not-configured' }));
  return card(body, { summary: `Anchor formats for ${input.query}` });
}

function onPremSection(state: OnPremState): BodyElement[] {
  const title = heading('On-premises object');
  switch (state.kind) {
    case 'found':
      return [title, ...userFacts(state.user)];
    case 'none':
      return [title, text('No on-premises user has this value as objectGUID or mS-DS-ConsistencyGuid.', { tone: 'warning' })];
    case 'several':
      return [title, ...severalUsers(state.users, state.truncated)];
    case 'unavailable':
      return [
        title,
        text('The AD object could not be read through the relay; the formats below are converted locally.', {
          tone: 'warning',
        }),
        notice({ tone: 'error', title: state.problem.title, text: state.problem.text, code: state.problem.code }),
      ];
    case 'not-configured':
      return [
        title,
        text('On-premises look-up not configured (RELAY_URL and RELAY_KEY are not set); the formats below are converted locally.', {
          tone: 'warning',
        }),
      ];
  }
}

function userFacts(user: OnPremUser): BodyElement[] {
  const rows: [string, string][] = [
    ['DN', user.dn],
    ['sAMAccountName', user.samAccountName],
    ['UPN', user.userPrincipalName ?? '(not set)'],
    ['Mail', user.mail ?? '(not set)'],
  ];
  if (user.displayName) rows.push(['Display name', user.displayName]);
  rows.push(['Enabled', user.enabled ? 'Yes' : 'No'], ['whenChanged', user.whenChanged ?? '(unknown)']);
  const out: BodyElement[] = [{ ...facts(rows), id: ELEMENT_IDS.onPremFacts }];
  if (!user.enabled) out.push(text('This AD account is disabled.', { tone: 'warning' }));
  return out;
}

function severalUsers(users: readonly OnPremUser[], truncated: boolean): BodyElement[] {
  const out: BodyElement[] = [text(`${users.length} on-premises users carry this value:`, { tone: 'warning' })];
  out.push(facts(users.map((u) => [u.samAccountName, `${u.dn} (effective anchor: ${u.anchor.attribute})`])));
  if (truncated) out.push(text('More users matched than are shown.', { subtle: true }));
  out.push(
    text('See the anchors of one of them:', { subtle: true }),
    buttonRow(users.map((u) => commandButton(`guid ${exactName(u, users)}`))),
  );
  return out;
}

const EFFECTIVE_WHY = "This is the value the cloud user's onPremisesImmutableId must hold for Entra Connect to hard-match it.";

function userAnchorSections(user: OnPremUser): BodyElement[] {
  const effective = user.anchor.attribute;
  const out: BodyElement[] = [
    heading('Effective anchor', 'good'),
    copyRow('ImmutableID', user.anchor.immutableId, { marked: true, id: ELEMENT_IDS.effectiveImmutableId }),
    text(`Taken from **${effective}**. ${EFFECTIVE_WHY}`, { subtle: true }),
  ];
  out.push(...formatRows('objectGUID', parseAnchor(user.objectGuid), effective === 'objectGUID'));
  if (user.consistencyGuid) {
    out.push(...formatRows('mS-DS-ConsistencyGuid', parseAnchor(user.consistencyGuid), effective === 'mS-DS-ConsistencyGuid'));
  } else {
    out.push(text('mS-DS-ConsistencyGuid is not set on this user.', { subtle: true }));
  }
  return out;
}

function typedAnchorSection(anchor: Anchor): BodyElement[] {
  return [
    ...formatRows('objectGUID', anchor, false, 'Formats'),
    text('Which attribute is the effective anchor shows once the AD object is found.', { subtle: true }),
  ];
}

function formatRows(attribute: AnchorAttribute, anchor: Anchor, effective: boolean, title?: string): BodyElement[] {
  const f = anchorFormats(anchor);
  const label = title ?? (effective ? `${attribute} (effective anchor)` : attribute);
  const head = heading(label, effective ? 'good' : 'neutral');
  if (attribute === 'mS-DS-ConsistencyGuid') head.id = ELEMENT_IDS.consistencyGuid;
  return [
    head,
    copyRow('GUID', f.guid),
    copyRow('ImmutableID', f.immutableId, { marked: effective }),
    copyRow('Hex', f.hex),
    copyRow('LDAP filter', toLdapFilter(anchor, attribute)),
  ];
}

function cloudSection(state: CloudState): BodyElement[] {
  const title = { ...heading('Cloud'), id: ELEMENT_IDS.cloud };
  if (state.kind === 'not-configured') return [title, text(CLOUD_NOT_CONFIGURED, { subtle: true })];
  return [title, ...state.anchors.flatMap(holdersBlock)];
}

function holdersBlock(entry: AnchorHolders): BodyElement[] {
  // The ImmutableID was computed from 16 bytes (base64 only), so it is safe in a code span.
  const out: BodyElement[] = [
    text(`Holders of ${escapeMarkdown(entry.immutableId)} (${escapeMarkdown(entry.label)}):`, { weight: 'bolder' }),
  ];
  if (entry.result.kind === 'failed') {
    out.push(text(CLOUD_CHECK_FAILED, { tone: 'warning' }), problemNotice(entry.result.problem));
    return out;
  }
  const users = entry.result.users;
  if (users.length === 0) {
    out.push(text('No cloud user, active or in the recycle bin, holds this ImmutableID.', { subtle: true }));
    return out;
  }
  const active = users.filter((u) => !u.deletedDateTime);
  const deleted = users.filter((u) => u.deletedDateTime);
  for (const user of [...active, ...deleted]) out.push(holderBlock(user));
  return out;
}

function holderBlock(user: CloudUser): BodyElement {
  const rows: [string, string][] = [
    ['Object id', user.id],
    [
      'Sync',
      user.synced ? `Synced${user.onPremisesDistinguishedName ? `, joined to ${user.onPremisesDistinguishedName}` : ''}` : 'Cloud-only',
    ],
    ['Deleted', user.deletedDateTime ? `Yes, in the recycle bin since ${user.deletedDateTime}` : 'No (active)'],
  ];
  const name = text(escapeMarkdown(user.userPrincipalName), {
    weight: 'bolder',
    ...(user.deletedDateTime ? { tone: 'warning' as const } : {}),
  });
  return { ...container([name, facts(rows)], { id: ELEMENT_IDS.cloudHolder(user.id) }), spacing: 'small' };
}
