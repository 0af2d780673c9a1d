import { describe, expect, it } from 'vitest';
import { SANDBOX_MARKER_ID, sandboxFrame } from '../../src/sandbox/sandbox-cards.ts';
import { TRUNCATED_NOTE_ID, USERS_LIST_BUTTONS_ID, usersListCard } from '../../src/cards/users-list-card.ts';
import { allElements, findById, visibleText } from '../support/card-query.ts';
import { onPremUser } from '../support/users.ts';

const users = [
  onPremUser({ samAccountName: 'jsmith', userPrincipalName: 'jsmith@contoso.com', dn: 'CN=John Smith,OU=Sales,DC=contoso,DC=com' }),
  onPremUser({ samAccountName: 'jsmith2', userPrincipalName: null, dn: 'CN=Jane Smith,OU=IT,DC=contoso,DC=com', enabled: false }),
];

describe('usersListCard', () => {
  it('lists sAMAccountName, UPN, DN and enabled of each user and says how to be specific', () => {
    const text = visibleText(usersListCard({ query: 'Smith', command: 'guid', users, truncated: false }));
    expect(text).toContain('2 on-premises users match "Smith"');
    for (const s of ['jsmith', 'jsmith@contoso.com', 'CN=John Smith,OU=Sales,DC=contoso,DC=com', 'jsmith2', '(not set)', 'No']) {
      expect(text).toContain(s);
    }
    expect(text).toContain('Choose one below');
  });

  it('offers each user as a button that sends the command for it (messageBack), by DN when two share a sAMAccountName', () => {
    const c = usersListCard({ query: 'Smith', command: 'guid', users, truncated: false });
    const buttons = allElements(findById(c, USERS_LIST_BUTTONS_ID)).filter((e) => e.type === 'Action.Submit');
    expect(buttons.map((b) => [b.title, b.data])).toEqual([
      ['guid jsmith', { command: 'guid jsmith', msteams: { type: 'messageBack', text: 'guid jsmith', displayText: 'guid jsmith' } }],
      ['guid jsmith2', { command: 'guid jsmith2', msteams: { type: 'messageBack', text: 'guid jsmith2', displayText: 'guid jsmith2' } }],
    ]);
    const twins = [
      onPremUser({ samAccountName: 'jdoe', dn: 'CN=A,DC=contoso,DC=com' }),
      onPremUser({ samAccountName: 'JDOE', dn: 'CN=B,DC=fabrikam,DC=com' }),
    ];
    const titles = allElements(usersListCard({ query: 'jdoe', command: 'guid', users: twins, truncated: false }))
      .filter((e) => e.type === 'Action.Submit')
      .map((e) => e.title);
    expect(titles).toEqual(['guid CN=A,DC=contoso,DC=com', 'guid CN=B,DC=fabrikam,DC=com']);
  });

  it('notes truncation only when the list was cut', () => {
    expect(findById(usersListCard({ query: 's', command: 'guid', users, truncated: false }), TRUNCATED_NOTE_ID)).toBeUndefined();
    const cut = usersListCard({ query: 's', command: 'guid', users, truncated: true });
    expect(findById(cut, TRUNCATED_NOTE_ID)).toMatchObject({ text: 'Only the first 2 are shown; narrow the search to see the rest.' });
    expect(visibleText(cut)).toContain('More than 2 on-premises users match');
  });

  it('shows SANDBOX only in sandbox mode', () => {
    expect(
      findById(sandboxFrame(usersListCard({ query: 's', command: 'guid', users, truncated: false })), SANDBOX_MARKER_ID),
    ).toBeDefined();
    expect(findById(usersListCard({ query: 's', command: 'guid', users, truncated: false }), SANDBOX_MARKER_ID)).toBeUndefined();
  });

  it('escapes markdown in names and in the query', () => {
    const evil = [onPremUser({ samAccountName: '[click](http://evil)' })];
    const text = visibleText(usersListCard({ query: '*x*', command: 'guid', users: evil, truncated: false }));
    expect(text).toContain('\\[click\\](http://evil)');
    expect(text).toContain('"\\*x\\*"');
  });
});
