import { describe, expect, it } from 'vitest';
import { SANDBOX_MARKER_ID, sandboxFrame } from '../../src/sandbox/sandbox-cards.ts';
import { CARD_BUDGET_BYTES, MATCH_CARD_IDS, matchCard, NOTHING_CHANGED, SHORTENED_NOTE } from '../../src/cards/match-card.ts';
import { FINDING_CODES_URL } from '../../src/cards/finding-links.ts';
import { FINDING_CODES } from '../../src/domain/diagnosis/types.ts';
import type { Diagnosis, PlanStep } from '../../src/domain/diagnosis/types.ts';
import { allElements, copyRowValues, findById, visibleText } from '../support/card-query.ts';
import { cloudUser } from '../support/fakes.ts';
import { onPremUser } from '../support/users.ts';
import { DELETED_ID, deletedHolderDiagnosis, finding, JDOE_ANCHOR, largestDiagnosis, target, TARGET_ID } from './diagnosis-fixtures.ts';

const textOf = (card: unknown, id: string): string => visibleText(findById(card, id));

/** The buttons of the body ActionSet inside the element `id`. */
const buttonsOf = (card: unknown, id: string): Record<string, unknown>[] =>
  (allElements(findById(card, id)).find((e) => e.type === 'ActionSet')?.actions as Record<string, unknown>[] | undefined) ?? [];

const toggles = (card: unknown) => allElements(card).filter((e) => e.type === 'Action.ToggleVisibility');
const toggleTitles = (card: unknown) => toggles(card).map((t) => t.title);
const toggleTargets = (card: unknown) => toggles(card).flatMap((t) => t.targetElements as string[]);

/** Ids of the elements whose id starts with `prefix`, in card order. */
const idsWith = (card: unknown, prefix: string): string[] =>
  allElements(card)
    .map((e) => e.id)
    .filter((id): id is string => typeof id === 'string' && id.startsWith(prefix));

describe('matchCard: the diagnosis card', () => {
  const card = matchCard(deletedHolderDiagnosis());

  it('shows the on-prem object with its effective anchor and which attribute it comes from', () => {
    const onPrem = visibleText(card);
    expect(textOf(card, MATCH_CARD_IDS.subject)).toBe(
      'AD user\njdoe · CN=John Doe,OU=Staff,DC=contoso,DC=com\nCloud user\njdoe@contoso.com',
    );
    for (const expected of ['CN=John Doe,OU=Staff,DC=contoso,DC=com', 'jdoe@contoso.com', 'john.doe@contoso.com', 'Enabled', 'Yes']) {
      expect(onPrem).toContain(expected);
    }
    expect(onPrem).toContain('objectGUID (GUID 96dcc383-2f6e-4fa2-af15-6b4c1119259a)');
    expect(findById(card, MATCH_CARD_IDS.effectiveImmutableId)).toMatchObject({ text: JDOE_ANCHOR, fontType: 'Monospace' });
  });

  it('shows the other anchor when ConsistencyGuid differs from objectGUID', () => {
    const d = deletedHolderDiagnosis({ onPrem: onPremUser({ consistencyGuid: '59815f49-920b-4e9d-ad6c-82b53aa4c102' }) });
    const c = matchCard(d);
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
    // The AD user's DN is said once, on top; here it is "this AD user".
    expect(deleted).toContain('Synced, joined to this AD user, last sync 2024-04-30T08:00:00Z');
    expect(deleted).toContain(JDOE_ANCHOR);
    expect(deleted).toContain('Yes, in the recycle bin since 2024-05-02T09:30:00Z');
    expect(deleted).toContain('Matches on\neffective anchor');
    expect(textOf(card, MATCH_CARD_IDS.candidates)).toBe('Cloud candidates (2)');
  });

  it('lists findings blockers first, one line each with severity, the code linking to its row in docs/finding-codes.md, and the title', () => {
    expect(idsWith(card, 'finding-line-')).toEqual(['finding-line-ANCHOR_HELD_BY_DELETED_USER', 'finding-line-TARGET_HAS_ADMIN_ROLE']);
    const link = (code: string) =>
      `[${code.replaceAll('_', '\\_')}](${FINDING_CODES_URL}#finding-${code.toLowerCase().replaceAll('_', '-')})`;
    expect(findById(card, MATCH_CARD_IDS.findingLine('ANCHOR_HELD_BY_DELETED_USER'))).toMatchObject({
      text: `**Blocker** ${link('ANCHOR_HELD_BY_DELETED_USER')}: The anchor is held by a user in the recycle bin`,
      color: 'attention',
    });
    expect(findById(card, MATCH_CARD_IDS.findingLine('TARGET_HAS_ADMIN_ROLE'))).toMatchObject({
      text: `**Warning** ${link('TARGET_HAS_ADMIN_ROLE')}: TARGET\\_HAS\\_ADMIN\\_ROLE title`,
      color: 'warning',
    });
    // Info findings: their codes on one line (titles are in the evidence), in the info colour.
    expect(findById(card, MATCH_CARD_IDS.infoFindings)).toMatchObject({ text: `**Info** ${link('UPN_WILL_CHANGE')}`, color: 'accent' });
  });

  it("puts each finding's evidence and remedy one click away, under its code", () => {
    const evidence = findById(card, MATCH_CARD_IDS.evidence);
    expect(evidence).toMatchObject({ type: 'Container', isVisible: false });
    expect(toggleTargets(card)).toContain(MATCH_CARD_IDS.evidence);
    expect(
      allElements(evidence)
        .map((e) => e.id)
        .filter((id) => typeof id === 'string' && id.startsWith('finding-')),
    ).toEqual(['finding-ANCHOR_HELD_BY_DELETED_USER', 'finding-TARGET_HAS_ADMIN_ROLE', 'finding-UPN_WILL_CHANGE']);
    const text = textOf(card, MATCH_CARD_IDS.finding('ANCHOR_HELD_BY_DELETED_USER'));
    expect(text).toMatch(/^\*\*ANCHOR\\_HELD\\_BY\\_DELETED\\_USER\*\*/);
    // The candidate's object id is in its block; the sentence names it by UPN only.
    expect(text).toContain(`- ${DELETED_ID.replaceAll('-', '')}jdoe1234@contoso.onmicrosoft.com holds ${JDOE_ANCHOR}`);
    expect(text).toContain('**What to do:** Purge it from the recycle bin (step 1)');
    expect(textOf(card, MATCH_CARD_IDS.finding('UPN_WILL_CHANGE'))).toMatch(/^\*\*UPN\\_WILL\\_CHANGE\*\*: UPN\\_WILL\\_CHANGE title/);
  });

  it('says in one line how bad it is and what the plan amounts to', () => {
    expect(findById(card, MATCH_CARD_IDS.verdict)).toMatchObject({
      text: '1 blocker and 1 warning: a 5-step plan fixes it (1 IRREVERSIBLE).',
      color: 'attention',
    });
    expect(card.speak).toBe('match jdoe: 1 blocker and 1 warning: a 5-step plan fixes it (1 IRREVERSIBLE).');
  });

  it("numbers the plan one line per step: what it does, automatic or a person's step and where, reversible only where it is", () => {
    expect(idsWith(card, 'plan-step-')).toEqual(['plan-step-1', 'plan-step-2', 'plan-step-3', 'plan-step-4', 'plan-step-5']);
    expect(findById(card, MATCH_CARD_IDS.step(1))).toMatchObject({
      text: '**1.** Permanently delete jdoe1234@contoso.onmicrosoft.com from the recycle bin · automatic, **IRREVERSIBLE**',
      color: 'attention',
    });
    const set = findById(card, MATCH_CARD_IDS.step(2));
    expect(set?.text).toBe("**2.** Set the ImmutableID of the cloud user to the AD user's anchor · automatic, reversible");
    expect(set?.color).toBeUndefined();
    const manual = findById(card, MATCH_CARD_IDS.step(3));
    expect(manual).toMatchObject({
      color: 'warning',
      text: "**3.** Confirm the AD user is in sync scope · **MANUAL: a person's step in on-premises AD**",
    });
    expect(textOf(card, MATCH_CARD_IDS.step(4))).toBe('**4.** Run a delta sync through the relay · automatic, nothing to undo');
    expect(textOf(card, MATCH_CARD_IDS.step(5))).toBe(
      '**5.** Check that the cloud user is synced and joined (up to 10 min) · automatic, nothing to undo',
    );
    expect(textOf(card, MATCH_CARD_IDS.plan)).toBe(
      'Plan: 5 steps in order after approval; 1 by a person (Hardmatch waits for their "Done"); 1 IRREVERSIBLE',
    );
    // The person's instruction in full is one click away.
    expect(findById(card, MATCH_CARD_IDS.howTo)).toMatchObject({ isVisible: false });
    expect(textOf(card, MATCH_CARD_IDS.howToStep(3))).toBe(
      '**Step 3:** Open Synchronization Service Manager and check the OU filter for OU=Staff.',
    );
  });

  it('calls no sync or check step reversible', () => {
    const marks = [4, 5].map((n) => textOf(card, MATCH_CARD_IDS.step(n)));
    for (const mark of marks) expect(mark).not.toMatch(/\breversible/);
  });

  it('names where a person does each kind of MANUAL step', () => {
    const manual = (action: NonNullable<Extract<PlanStep, { kind: 'MANUAL' }>['action']>, description: string): PlanStep => ({
      number: 1,
      kind: 'MANUAL',
      irreversible: false,
      description,
      instruction: 'Do it.',
      action,
    });
    const where = (step: PlanStep) =>
      textOf(matchCard(deletedHolderDiagnosis({ plan: { target, steps: [step], nothingToDo: false } })), MATCH_CARD_IDS.step(1));
    expect(where(manual({ kind: 'SCOPE_OUT', dn: 'CN=X' }, 'On-premises: move it'))).toContain("a person's step in on-premises AD");
    expect(
      where(
        manual(
          { kind: 'REMOVE_ADMIN_ROLES', subject: { userId: TARGET_ID, userPrincipalName: 'jdoe@contoso.com' }, roles: ['x'] },
          'Entra admin center: remove',
        ),
      ),
    ).toContain("a person's step in the Entra admin center");
    expect(
      where(
        manual(
          { kind: 'REMOVE_ADDRESSES', objectId: 'g', objectKind: 'group', addresses: ['a@b.c'], dn: null },
          'Exchange admin center: free a@b.c',
        ),
      ),
    ).toContain("a person's step in the Exchange admin center");
    expect(
      where(
        manual(
          { kind: 'REMOVE_ADDRESSES', objectId: 'u', objectKind: 'user', addresses: ['a@b.c'], dn: 'CN=Other,DC=contoso,DC=com' },
          'On-premises: free a@b.c',
        ),
      ),
    ).toContain("a person's step in on-premises AD");
    // Its place prefix is not repeated, and a `command` in it is quoted, never a literal backtick.
    const again = where(manual({ kind: 'RUN_MATCH_AGAIN', command: 'match jdoe to x' }, 'Teams: type `match jdoe to x` again'));
    expect(again).toBe('**1.** Type "match jdoe to x" again · **MANUAL: a person\'s step in this chat**');
  });

  it('says what the next sync does now and after the plan, one click away, coloured by what it means', () => {
    expect(findById(card, MATCH_CARD_IDS.nextSync)).toMatchObject({ isVisible: false });
    const now = allElements(card).find((e) => typeof e.text === 'string' && e.text.startsWith('**Now:**'));
    expect(now).toMatchObject({
      text: '**Now:** The next sync restores the deleted user instead of matching jdoe@contoso.com.',
      color: 'warning',
    });
    const after = allElements(card).find((e) => typeof e.text === 'string' && e.text.startsWith('**After the plan:**'));
    expect(after).toMatchObject({
      text: '**After the plan:** The next sync joins the cloud user jdoe@contoso.com (hard match).',
      color: 'good',
    });
  });

  it('never paints a sync that keeps the duplicate green', () => {
    const values = { immutableId: JDOE_ANCHOR, userPrincipalName: 'jdoe@contoso.com', quarantinedAddresses: [], conflicts: [] };
    // The sync updates the synced duplicate (not the plan's target): bad news, whatever its kind.
    const prediction = { now: { kind: 'UPDATE' as const, userId: DELETED_ID, values }, nowText: 'The duplicate stays.' };
    const c = matchCard(deletedHolderDiagnosis({ prediction }));
    expect(allElements(c).find((e) => e.text === '**Now:** The duplicate stays.')).toMatchObject({ color: 'warning' });
    // Joining the target is good news.
    const joins = { now: { kind: 'HARD_MATCH' as const, userId: TARGET_ID, values }, nowText: 'It joins.' };
    expect(
      allElements(matchCard(deletedHolderDiagnosis({ prediction: joins }))).find((e) => e.text === '**Now:** It joins.'),
    ).toMatchObject({ color: 'good' });
  });

  it("keeps the AD user and the candidates, the evidence, the person's steps and the next sync behind toggle buttons", () => {
    expect(toggleTitles(card)).toEqual([
      'AD user and 2 cloud candidates',
      'Evidence and what to do',
      "How to do the person's step",
      'Next sync',
    ]);
    expect(toggleTargets(card)).toEqual([MATCH_CARD_IDS.objects, MATCH_CARD_IDS.evidence, MATCH_CARD_IDS.howTo, MATCH_CARD_IDS.nextSync]);
    for (const id of toggleTargets(card)) expect(findById(card, id)).toMatchObject({ type: 'Container', isVisible: false });
    // First screen order: verdict, subject, findings, plan, then the buttons, then the toggles.
    const order = (card.body ?? []).map((e) => e.id).filter((id) => typeof id === 'string');
    expect(order.slice(0, 4)).toEqual([MATCH_CARD_IDS.verdict, MATCH_CARD_IDS.subject, MATCH_CARD_IDS.findings, MATCH_CARD_IDS.plan]);
    expect(order.indexOf(MATCH_CARD_IDS.actions)).toBeLessThan(order.indexOf(MATCH_CARD_IDS.toggles));
  });

  it("says each fact once: the DN once, the target's object id only in its candidate block", () => {
    const all = visibleText(card);
    expect(all.split('CN=John Doe,OU=Staff,DC=contoso,DC=com')).toHaveLength(2);
    expect(all.split(TARGET_ID)).toHaveLength(2);
  });

  it('is as wide as the conversation, and every text wraps', () => {
    expect(card).toMatchObject({ msteams: { width: 'Full' } });
    const blocks = allElements(card).filter((e) => e.type === 'TextBlock');
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks) expect(b.wrap).toBe(true);
  });

  it('shows no backtick: Teams renders no code spans', () => {
    expect(visibleText(card)).not.toContain('`');
  });

  it('ends with "Nothing has been changed." and offers the command again as a button', () => {
    expect(textOf(card, MATCH_CARD_IDS.footer)).toBe(NOTHING_CHANGED);
    const c = matchCard(deletedHolderDiagnosis(), { command: 'match jdoe to jdoe@contoso.com' });
    expect(buttonsOf(c, MATCH_CARD_IDS.actions)).toEqual([
      {
        type: 'Action.Submit',
        id: 'action-run-again',
        title: 'Run "match jdoe to jdoe@contoso.com" again',
        data: {
          command: 'match jdoe to jdoe@contoso.com',
          msteams: { type: 'messageBack', text: 'match jdoe to jdoe@contoso.com', displayText: 'match jdoe to jdoe@contoso.com' },
        },
      },
    ]);
  });

  it('has nothing to approve without a request id: no Execute action', () => {
    expect(allElements(card).filter((e) => e.type === 'Action.Execute' || e.type === 'Action.ShowCard')).toEqual([]);
    expect(card.actions).toBeUndefined();
  });

  it('says SANDBOX only in sandbox mode', () => {
    expect(findById(sandboxFrame(matchCard(deletedHolderDiagnosis())), SANDBOX_MARKER_ID)).toBeDefined();
    expect(findById(card, SANDBOX_MARKER_ID)).toBeUndefined();
    expect(visibleText(card)).not.toContain('SANDBOX');
  });
});

describe('matchCard: with a proposed request', () => {
  const c = matchCard(deletedHolderDiagnosis(), { requestId: 'r7k3q9' });

  it('offers Request approval (justification 10..500 characters) and Refresh, whose data carry only verb and requestId', () => {
    const actions = buttonsOf(c, MATCH_CARD_IDS.actions) as { type: string; title: string; data?: object }[];
    expect(actions.map((a) => [a.type, a.title])).toEqual([
      ['Action.ShowCard', 'Request approval'],
      ['Action.Execute', 'Refresh'],
    ]);
    const show = actions[0] as unknown as { card: unknown };
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
    expect(actions[1]).toMatchObject({ verb: 'refresh', data: { verb: 'refresh', requestId: 'r7k3q9' } });
    expect(Object.keys(actions[1]?.data ?? {})).toHaveLength(2);
    const regex = new RegExp((allElements(show.card).find((e) => e.type === 'Input.Text')?.regex as string) ?? '');
    expect(regex.test('too short')).toBe(false);
    expect(regex.test('Ticket 4711\nline two')).toBe(true);
    expect(regex.test('x'.repeat(501))).toBe(false);
  });

  it('names "Request r7k3q9" small, in the footer', () => {
    expect(findById(c, MATCH_CARD_IDS.footer)).toMatchObject({ text: `${NOTHING_CHANGED} Request r7k3q9.`, size: 'small', isSubtle: true });
  });
});

describe('matchCard: other shapes of diagnosis', () => {
  it('says there is nothing to do for a healthy match', () => {
    const d = deletedHolderDiagnosis({
      candidates: [{ user: cloudUser({ immutableId: JDOE_ANCHOR, synced: true }), reasons: ['anchor', 'upn'] }],
      findings: [finding('ALREADY_MATCHED', 'info')],
      plan: { target: null, steps: [], nothingToDo: true },
    });
    const c = matchCard(d);
    expect(findById(c, MATCH_CARD_IDS.verdict)).toMatchObject({ text: 'Already matched: nothing to do.', color: 'good' });
    expect(visibleText(c)).toContain('Nothing to do: no change is needed.');
    expect(idsWith(c, 'plan-step-')).toEqual([]);
  });

  it('shows why no plan can be made and what to type', () => {
    const d = deletedHolderDiagnosis({
      findings: [finding('MULTIPLE_CLOUD_CANDIDATES', 'blocker')],
      plan: {
        target: null,
        steps: [],
        nothingToDo: false,
        blockedReason: 'Choose one: match jdoe to jdoe@contoso.com, or match jdoe to john.doe@contoso.com.',
      },
    });
    const c = matchCard(d);
    expect(visibleText(c)).toContain('Choose one: match jdoe to jdoe@contoso.com, or match jdoe to john.doe@contoso.com.');
    expect(findById(c, MATCH_CARD_IDS.verdict)).toMatchObject({
      text: '1 blocker: no plan yet, a decision is needed first.',
      color: 'attention',
    });
  });

  it('says when no cloud user could match', () => {
    const c = matchCard(deletedHolderDiagnosis({ candidates: [] }));
    expect(textOf(c, MATCH_CARD_IDS.candidates)).toBe('Cloud candidates (0)');
    expect(toggleTitles(c)[0]).toBe('AD user and 0 cloud candidates');
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
    const c = matchCard(notFound('nobody'), { onPremMatches: { users: [], truncated: false } });
    const text = visibleText(c);
    expect(findById(c, MATCH_CARD_IDS.verdict)).toMatchObject({ text: 'No AD user matches "nobody".', color: 'attention' });
    expect(text).toContain('**match jdoe@contoso.com**');
    expect(text).toContain('ONPREM\\_NOT\\_FOUND');
    expect(findById(c, MATCH_CARD_IDS.candidates)).toBeUndefined();
    expect(findById(c, MATCH_CARD_IDS.nextSync)).toBeUndefined();
    expect(buttonsOf(c, MATCH_CARD_IDS.actions).map((b) => b.title)).toEqual(['Run "match nobody" again']);
  });

  it('for an ambiguous name offers each AD user as a button that sends its match command', () => {
    const users = [
      onPremUser({ samAccountName: 'share1', dn: 'CN=Share One,OU=Staff,DC=contoso,DC=com', userPrincipalName: 'share1@contoso.com' }),
      onPremUser({ samAccountName: 'share2', dn: 'CN=Share Two,OU=Staff,DC=contoso,DC=com', userPrincipalName: 'share2@contoso.com' }),
    ];
    const d = { ...notFound('shared@contoso.com'), findings: [finding('ONPREM_AMBIGUOUS', 'blocker')] };
    const c = matchCard(d, { onPremMatches: { users, truncated: true } });
    const text = visibleText(c);
    expect(findById(c, MATCH_CARD_IDS.verdict)).toMatchObject({
      text: 'More than 2 AD users match "shared@contoso.com": choose one below.',
      color: 'warning',
    });
    expect(buttonsOf(c, MATCH_CARD_IDS.onPrem)).toEqual([
      {
        type: 'Action.Submit',
        id: 'command-match-share1',
        title: 'match share1',
        data: { command: 'match share1', msteams: { type: 'messageBack', text: 'match share1', displayText: 'match share1' } },
      },
      {
        type: 'Action.Submit',
        id: 'command-match-share2',
        title: 'match share2',
        data: { command: 'match share2', msteams: { type: 'messageBack', text: 'match share2', displayText: 'match share2' } },
      },
    ]);
    expect(textOf(c, MATCH_CARD_IDS.onPremChoices)).toContain('share2@contoso.com · CN=Share Two,OU=Staff,DC=contoso,DC=com');
    expect(text).toContain('Only the first 2 are shown');
  });

  it('names users who share a sAMAccountName (two domains) by DN', () => {
    const users = [
      onPremUser({ samAccountName: 'jdoe', dn: 'CN=John Doe,OU=Staff,DC=contoso,DC=com' }),
      onPremUser({ samAccountName: 'JDoe', dn: 'CN=John Doe,OU=Staff,DC=fabrikam,DC=com' }),
    ];
    const c = matchCard(
      { ...notFound('jdoe'), findings: [finding('ONPREM_AMBIGUOUS', 'blocker')] },
      { onPremMatches: { users, truncated: false } },
    );
    expect(buttonsOf(c, MATCH_CARD_IDS.onPrem).map((b) => b.title)).toEqual([
      'match CN=John Doe,OU=Staff,DC=contoso,DC=com',
      'match CN=John Doe,OU=Staff,DC=fabrikam,DC=com',
    ]);
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
    const c = matchCard(d, { command: 'match `x` to y' });
    const text = visibleText(c);
    expect(text).not.toMatch(/(^|[^\\])\[[^\]\\]*\]\(http/);
    expect(text).toContain('\\*bold\\*');
    expect(text).toContain('\\<b\\>x\\</b\\>');
    expect(text).toContain('- \\# heading');
    // A button title is plain text, never markdown; the command it sends is exactly what was typed.
    expect(buttonsOf(c, MATCH_CARD_IDS.actions)[0]).toMatchObject({
      data: { command: 'match `x` to y', msteams: { text: 'match `x` to y' } },
    });
  });

  it("stays well under Teams' 28 KB card limit with 10 candidates, every finding and a long plan", () => {
    const c = sandboxFrame(matchCard(largestDiagnosis(), { command: `match ${'a'.repeat(64)}` }));
    const bytes = Buffer.byteLength(JSON.stringify(c), 'utf8');
    expect(bytes).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(CARD_BUDGET_BYTES).toBeLessThan(28 * 1024);
    // Shortened, but nothing is left out: every candidate, finding code and step is still there.
    expect(idsWith(c, 'candidate-')).toHaveLength(10);
    expect(idsWith(c, 'finding-').filter((id) => !id.startsWith('finding-line-'))).toHaveLength(FINDING_CODES.length);
    expect(idsWith(c, 'plan-step-')).toHaveLength(14);
    expect(textOf(c, MATCH_CARD_IDS.shortened)).toBe(SHORTENED_NOTE);
    expect(textOf(c, MATCH_CARD_IDS.footer)).toContain(NOTHING_CHANGED);
    expect(findById(c, SANDBOX_MARKER_ID)).toBeDefined();
  });

  it('clips long texts before dropping anything, and only when the card would be too big', () => {
    expect(findById(matchCard(deletedHolderDiagnosis()), MATCH_CARD_IDS.shortened)).toBeUndefined();
    const huge = 'e'.repeat(600);
    const d = deletedHolderDiagnosis({
      findings: Array.from({ length: 8 }, () => finding('ANCHOR_HELD_BY_OTHER_USER', 'blocker', { evidence: [huge, huge, huge, huge] })),
    });
    const c = matchCard(d);
    expect(Buffer.byteLength(JSON.stringify(c), 'utf8')).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const text = visibleText(c);
    expect(text).toContain(`- ${'e'.repeat(239)}…`);
    expect(text).not.toContain('e'.repeat(240));
    expect(text).toContain(SHORTENED_NOTE);
  });
});
