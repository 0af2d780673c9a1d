import { describe, expect, it } from 'vitest';
import { SANDBOX_MARKER_ID } from '../../src/cards/card-parts.ts';
import { CARD_BUDGET_BYTES, MATCH_CARD_IDS, matchCard, NOTHING_CHANGED, SHORTENED_NOTE } from '../../src/cards/match-card.ts';
import type { Diagnosis } from '../../src/domain/diagnosis/types.ts';
import { allElements, copyRowValues, findById, visibleText } from '../support/card-query.ts';
import { cloudUser } from '../support/fakes.ts';
import { onPremUser } from '../support/users.ts';
import { DELETED_ID, deletedHolderDiagnosis, finding, JDOE_ANCHOR, largestDiagnosis, TARGET_ID } from './diagnosis-fixtures.ts';

const textOf = (card: unknown, id: string): string => visibleText(findById(card, id));

/** Ids of the elements whose id starts with `prefix`, in card order. */
const idsWith = (card: unknown, prefix: string): string[] =>
  allElements(card)
    .map((e) => e.id)
    .filter((id): id is string => typeof id === 'string' && id.startsWith(prefix));

describe('matchCard: the diagnosis card', () => {
  const card = matchCard(deletedHolderDiagnosis(), { sandbox: false });

  it('shows the on-prem object with its effective anchor and which attribute it comes from', () => {
    const onPrem = visibleText(card);
    for (const expected of ['CN=John Doe,OU=Staff,DC=contoso,DC=com', 'jdoe@contoso.com', 'john.doe@contoso.com', 'Enabled', 'Yes']) {
      expect(onPrem).toContain(expected);
    }
    expect(onPrem).toContain('objectGUID (GUID 96dcc383-2f6e-4fa2-af15-6b4c1119259a)');
    expect(findById(card, MATCH_CARD_IDS.effectiveImmutableId)).toMatchObject({ text: JDOE_ANCHOR, fontType: 'Monospace' });
  });

  it('shows the other anchor when ConsistencyGuid differs from objectGUID', () => {
    const d = deletedHolderDiagnosis({ onPrem: onPremUser({ consistencyGuid: '59815f49-920b-4e9d-ad6c-82b53aa4c102' }) });
    const c = matchCard(d, { sandbox: false });
    expect(findById(c, MATCH_CARD_IDS.effectiveImmutableId)).toMatchObject({ text: 'SV+BWQuSnU6tbIK1OqTBAg==' });
    expect(copyRowValues(c, 'ImmutableID of objectGUID')).toEqual([JDOE_ANCHOR]);
    expect(copyRowValues(card, 'ImmutableID of mS-DS-ConsistencyGuid')).toEqual([]);
  });

  it('shows each cloud candidate: UPN, object id, sync state, ImmutableID, deleted or not, roles, why', () => {
    const active = textOf(card, MATCH_CARD_IDS.candidate(TARGET_ID));
    expect(active).toContain('jdoe@contoso.com · **plan target**');
    expect(active).toContain(TARGET_ID);
    expect(active).toContain('Cloud-only');
    expect(active).toMatch(/ImmutableID\n\(none\)/);
    expect(active).toContain('No (active)');
    expect(active).toContain('Exchange Administrator');
    expect(active).toContain('Matches on\nsame UPN; primary SMTP address');
    const deleted = textOf(card, MATCH_CARD_IDS.candidate(DELETED_ID));
    expect(deleted).toContain('Synced, joined to CN=John Doe,OU=Staff,DC=contoso,DC=com, last sync 2024-04-30T08:00:00Z');
    expect(deleted).toContain(JDOE_ANCHOR);
    expect(deleted).toContain('Yes, in the recycle bin since 2024-05-02T09:30:00Z');
    expect(deleted).toContain('Matches on\neffective anchor');
    expect(textOf(card, MATCH_CARD_IDS.candidates)).toBe('Cloud candidates (2)');
  });

  it('lists findings blockers first, each with code, coloured severity, evidence and remedy', () => {
    expect(idsWith(card, 'finding-')).toEqual(['finding-ANCHOR_HELD_BY_DELETED_USER', 'finding-TARGET_HAS_ADMIN_ROLE', 'finding-UPN_WILL_CHANGE']);
    const blocker = findById(card, MATCH_CARD_IDS.finding('ANCHOR_HELD_BY_DELETED_USER')) as { items: { text: string; color?: string }[] };
    expect(blocker.items[0]).toMatchObject({
      text: '⛔ **Blocker** · `ANCHOR_HELD_BY_DELETED_USER` · **The anchor is held by a user in the recycle bin**',
      color: 'attention',
    });
    const text = visibleText(blocker);
    expect(text).toContain(`- ${DELETED_ID.replaceAll('-', '')}jdoe1234@contoso.onmicrosoft.com (${DELETED_ID}) holds ${JDOE_ANCHOR}`);
    expect(text).toContain('**What to do:** Purge it from the recycle bin (step 1)');
    const warning = findById(card, MATCH_CARD_IDS.finding('TARGET_HAS_ADMIN_ROLE')) as { items: { text: string; color?: string }[] };
    expect(warning.items[0]).toMatchObject({ text: '⚠️ **Warning** · `TARGET_HAS_ADMIN_ROLE` · **TARGET\\_HAS\\_ADMIN\\_ROLE title**', color: 'warning' });
    const info = findById(card, MATCH_CARD_IDS.finding('UPN_WILL_CHANGE')) as { items: { color?: string }[] };
    expect(info.items[0]?.color).toBe('accent');
  });

  it('says in one line how bad it is and what the plan amounts to', () => {
    expect(findById(card, MATCH_CARD_IDS.verdict)).toMatchObject({
      text: '1 blocker, 1 warning; plan of 5 steps, 1 IRREVERSIBLE',
      color: 'attention',
    });
  });

  it('numbers the plan, marks each step reversible or IRREVERSIBLE, and MANUAL steps as on-premises work', () => {
    expect(idsWith(card, 'plan-step-')).toEqual(['plan-step-1', 'plan-step-2', 'plan-step-3', 'plan-step-4', 'plan-step-5']);
    const purge = findById(card, MATCH_CARD_IDS.step(1));
    expect(purge).toMatchObject({ color: 'attention' });
    expect(purge?.text).toMatch(/^\*\*1\. PURGE_DELETED_USER\*\* · \*\*IRREVERSIBLE\*\*: cannot be undone\n\nPermanently delete 0d0d0d0d/);
    const set = findById(card, MATCH_CARD_IDS.step(2));
    expect(set?.text).toBe(`**2. SET_ANCHOR** · reversible\n\nSet onPremisesImmutableId of jdoe@contoso.com to ${JDOE_ANCHOR} (now: null)`);
    expect(set?.color).toBeUndefined();
    const manual = findById(card, MATCH_CARD_IDS.step(3));
    expect(manual).toMatchObject({ color: 'warning' });
    expect(manual?.text).toContain('· reversible · **MANUAL**: you do this on-premises');
    expect(manual?.text).toContain('Open Synchronization Service Manager and check the OU filter for OU=Staff.');
    const plan = visibleText(card);
    expect(plan).toContain('Target cloud user: **jdoe@contoso.com** (0a0a0a0a-0000-4000-8000-000000000001)');
    expect(plan).toContain('5 steps, run in order after approval. 1 cannot be undone (IRREVERSIBLE).');
  });

  it('says what the next sync does now and after the plan, coloured by outcome', () => {
    const now = allElements(card).find((e) => typeof e.text === 'string' && e.text.startsWith('**Now:**'));
    expect(now).toMatchObject({ text: '**Now:** The next sync restores the deleted user instead of matching jdoe@contoso.com.', color: 'warning' });
    const after = allElements(card).find((e) => typeof e.text === 'string' && e.text.startsWith('**After the plan:**'));
    expect(after).toMatchObject({ text: '**After the plan:** The next sync joins the cloud user jdoe@contoso.com (hard match).', color: 'good' });
  });

  it('ends with "Nothing has been changed." and the command to type again', () => {
    expect(textOf(card, MATCH_CARD_IDS.footer)).toBe(`${NOTHING_CHANGED} To refresh, type \`match jdoe\` again.`);
    const c = matchCard(deletedHolderDiagnosis(), { sandbox: false, command: 'match jdoe to jdoe@contoso.com' });
    expect(textOf(c, MATCH_CARD_IDS.footer)).toContain('type `match jdoe to jdoe@contoso.com` again');
  });

  it('has no buttons without a request id (nothing to approve)', () => {
    expect(allElements(card).filter((e) => typeof e.type === 'string' && e.type.startsWith('Action.'))).toEqual([]);
    expect(card.actions).toBeUndefined();
  });

  it('says SANDBOX only in sandbox mode', () => {
    expect(findById(matchCard(deletedHolderDiagnosis(), { sandbox: true }), SANDBOX_MARKER_ID)).toBeDefined();
    expect(findById(card, SANDBOX_MARKER_ID)).toBeUndefined();
    expect(visibleText(card)).not.toContain('SANDBOX');
  });
});

describe('matchCard: with a proposed request', () => {
  const c = matchCard(deletedHolderDiagnosis(), { sandbox: false, requestId: 'r7k3q9' });

  it('offers Request approval (justification 10..500 characters) and Refresh, whose data carry only verb and requestId', () => {
    expect(c.actions?.map((a) => [a.type, a.title])).toEqual([
      ['Action.ShowCard', 'Request approval'],
      ['Action.Execute', 'Refresh'],
    ]);
    const show = c.actions?.[0] as { card: unknown };
    expect(allElements(show.card).find((e) => e.type === 'Input.Text')).toMatchObject({
      id: 'justification',
      isMultiline: true,
      isRequired: true,
      regex: '^[\\s\\S]{10,500}$',
      maxLength: 500,
      errorMessage: 'Write a justification of 10 to 500 characters.',
    });
    const send = allElements(show.card).find((e) => e.type === 'Action.Execute');
    expect(send).toMatchObject({ verb: 'requestApproval' });
    expect(send?.data).toStrictEqual({ verb: 'requestApproval', requestId: 'r7k3q9' });
    expect(c.actions?.[1]).toMatchObject({ verb: 'refresh', data: { verb: 'refresh', requestId: 'r7k3q9' } });
    expect(Object.keys((c.actions?.[1] as { data: object }).data)).toHaveLength(2);
    const regex = new RegExp((allElements(show.card).find((e) => e.type === 'Input.Text')?.regex as string) ?? '');
    expect(regex.test('too short')).toBe(false);
    expect(regex.test('Ticket 4711\nline two')).toBe(true);
    expect(regex.test('x'.repeat(501))).toBe(false);
  });

  it('shows "Request r7k3q9" small', () => {
    expect(findById(c, MATCH_CARD_IDS.request)).toMatchObject({ text: 'Request r7k3q9', size: 'small', isSubtle: true });
  });
});

describe('matchCard: other shapes of diagnosis', () => {
  it('says there is nothing to do for a healthy match', () => {
    const d = deletedHolderDiagnosis({
      candidates: [{ user: cloudUser({ immutableId: JDOE_ANCHOR, synced: true }), reasons: ['anchor', 'upn'] }],
      findings: [finding('ALREADY_MATCHED', 'info')],
      plan: { target: null, steps: [], nothingToDo: true },
    });
    const c = matchCard(d, { sandbox: false });
    expect(findById(c, MATCH_CARD_IDS.verdict)).toMatchObject({ text: 'No problems found; nothing to do', color: 'good' });
    expect(visibleText(c)).toContain('Nothing to do: no change is needed.');
    expect(idsWith(c, 'plan-step-')).toEqual([]);
  });

  it('shows why no plan can be made and what to type', () => {
    const d = deletedHolderDiagnosis({
      findings: [finding('MULTIPLE_CLOUD_CANDIDATES', 'blocker')],
      plan: { target: null, steps: [], nothingToDo: false, blockedReason: 'Choose one: match jdoe to jdoe@contoso.com, or match jdoe to john.doe@contoso.com.' },
    });
    const c = matchCard(d, { sandbox: false });
    expect(visibleText(c)).toContain('Choose one: match jdoe to jdoe@contoso.com, or match jdoe to john.doe@contoso.com.');
    expect(findById(c, MATCH_CARD_IDS.verdict)).toMatchObject({ text: '1 blocker; no plan yet: a decision is needed (see Plan)' });
  });

  it('says when no cloud user could match', () => {
    const c = matchCard(deletedHolderDiagnosis({ candidates: [] }), { sandbox: false });
    expect(textOf(c, MATCH_CARD_IDS.candidates)).toBe('Cloud candidates (0)');
    expect(visibleText(c)).toContain("No cloud user, active or in the recycle bin, has this AD user's anchor, UPN or addresses.");
  });

  const notFound = (who: string): Diagnosis => ({
    who,
    onPrem: null,
    candidates: [],
    findings: [finding('ONPREM_NOT_FOUND', 'blocker')],
    plan: { target: null, steps: [], nothingToDo: false, blockedReason: 'Find the AD user first.' },
  });

  it('for an unknown AD user says so, suggests what to type and shows no cloud or sync section', () => {
    const c = matchCard(notFound('nobody'), { sandbox: false, onPremMatches: { users: [], truncated: false } });
    const text = visibleText(c);
    expect(text).toContain('No on-premises user matches "nobody".');
    expect(text).toContain('`match jdoe@contoso.com`');
    expect(text).toContain('`ONPREM_NOT_FOUND`');
    expect(findById(c, MATCH_CARD_IDS.candidates)).toBeUndefined();
    expect(findById(c, MATCH_CARD_IDS.nextSync)).toBeUndefined();
    expect(textOf(c, MATCH_CARD_IDS.footer)).toContain('`match nobody`');
  });

  it('for an ambiguous name lists each AD user as a command to type', () => {
    const users = [
      onPremUser({ samAccountName: 'share1', dn: 'CN=Share One,OU=Staff,DC=contoso,DC=com', userPrincipalName: 'share1@contoso.com' }),
      onPremUser({ samAccountName: 'share2', dn: 'CN=Share Two,OU=Staff,DC=contoso,DC=com', userPrincipalName: 'share2@contoso.com' }),
    ];
    const d = { ...notFound('shared@contoso.com'), findings: [finding('ONPREM_AMBIGUOUS', 'blocker')] };
    const c = matchCard(d, { sandbox: false, onPremMatches: { users, truncated: true } });
    const text = visibleText(c);
    expect(text).toContain('More than 2 on-premises users match "shared@contoso.com". Type one of:');
    expect(text).toContain('- `match share1`\n- `match share2`');
    expect(textOf(c, MATCH_CARD_IDS.onPremChoices)).toContain('share2@contoso.com · CN=Share Two,OU=Staff,DC=contoso,DC=com');
    expect(text).toContain('Only the first 2 are shown');
  });

  it('names users who share a sAMAccountName (two domains) by DN', () => {
    const users = [
      onPremUser({ samAccountName: 'jdoe', dn: 'CN=John Doe,OU=Staff,DC=contoso,DC=com' }),
      onPremUser({ samAccountName: 'JDoe', dn: 'CN=John Doe,OU=Staff,DC=fabrikam,DC=com' }),
    ];
    const c = matchCard({ ...notFound('jdoe'), findings: [finding('ONPREM_AMBIGUOUS', 'blocker')] }, { sandbox: false, onPremMatches: { users, truncated: false } });
    expect(visibleText(c)).toContain('- `match CN=John Doe,OU=Staff,DC=contoso,DC=com`\n- `match CN=John Doe,OU=Staff,DC=fabrikam,DC=com`');
  });
});

describe('matchCard: hostile values and size', () => {
  it('escapes every directory and diagnosis value so none becomes markdown', () => {
    const evil = '[click](http://evil)';
    const d = deletedHolderDiagnosis({
      who: evil,
      onPrem: onPremUser({ dn: `CN=${evil},DC=contoso,DC=com`, samAccountName: '*bold*' }),
      candidates: [{ user: cloudUser({ userPrincipalName: `${evil}@contoso.com`, adminRoles: ['<b>x</b>'] }), reasons: ['upn'] }],
      findings: [finding('UPN_CONFLICT', 'warning', { title: evil, evidence: [evil, '# heading'], remedy: evil })],
    });
    const c = matchCard(d, { sandbox: false, command: 'match `x` to y' });
    const text = visibleText(c);
    expect(text).not.toMatch(/(^|[^\\])\[[^\]\\]*\]\(http/);
    expect(text).toContain('\\*bold\\*');
    expect(text).toContain('\\<b\\>x\\</b\\>');
    expect(text).toContain('- \\# heading');
    // A command with a backtick cannot close the code span: it is shown escaped instead.
    expect(textOf(c, MATCH_CARD_IDS.footer)).toContain('type match \\`x\\` to y again');
  });

  it('stays well under Teams\' 28 KB card limit with 10 candidates, every finding and a long plan', () => {
    const c = matchCard(largestDiagnosis(), { sandbox: true, command: `match ${'a'.repeat(64)}` });
    const bytes = Buffer.byteLength(JSON.stringify(c), 'utf8');
    expect(bytes).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(CARD_BUDGET_BYTES).toBeLessThan(28 * 1024);
    // Shortened, but nothing is left out: every candidate, finding code and step is still there.
    expect(idsWith(c, 'candidate-')).toHaveLength(10);
    expect(idsWith(c, 'finding-')).toHaveLength(21);
    expect(idsWith(c, 'plan-step-')).toHaveLength(14);
    expect(textOf(c, MATCH_CARD_IDS.shortened)).toBe(SHORTENED_NOTE);
    expect(textOf(c, MATCH_CARD_IDS.footer)).toContain(NOTHING_CHANGED);
    expect(findById(c, SANDBOX_MARKER_ID)).toBeDefined();
  });

  it('clips long texts before dropping anything, and only when the card would be too big', () => {
    expect(findById(matchCard(deletedHolderDiagnosis(), { sandbox: false }), MATCH_CARD_IDS.shortened)).toBeUndefined();
    const huge = 'e'.repeat(600);
    const d = deletedHolderDiagnosis({
      findings: Array.from({ length: 8 }, () => finding('ANCHOR_HELD_BY_OTHER_USER', 'blocker', { evidence: [huge, huge, huge, huge] })),
    });
    const c = matchCard(d, { sandbox: false });
    expect(Buffer.byteLength(JSON.stringify(c), 'utf8')).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const text = visibleText(c);
    expect(text).toContain(`- ${'e'.repeat(239)}…`);
    expect(text).not.toContain('e'.repeat(240));
    expect(text).toContain(SHORTENED_NOTE);
  });
});
