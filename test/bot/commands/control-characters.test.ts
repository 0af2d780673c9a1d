/**
 * A control character in what the admin typed after `guid` or `match` is refused with a clear card
 * before the relay or Graph is asked anything (a NUL would otherwise cut the LDAP value short:
 * `plainuser\0*` found plainuser). Around the value, tab and line breaks are trimmed like spaces.
 */
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../src/bot/commands/index.ts';
import { messageText } from '../../../src/bot/message-text.ts';
import { route } from '../../../src/bot/router.ts';
import { visibleText } from '../../support/card-query.ts';
import { commandDeps, fakeCloud, fakeRelay } from '../../support/fakes.ts';
import { onPremUser } from '../../support/users.ts';

const found = { users: [onPremUser()], truncated: false };

/** Every string anywhere in the card, whether shown or not. */
function cardStrings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (node && typeof node === 'object') return Object.values(node).flatMap(cardStrings);
  return [];
}

describe('guid and match refuse a control character in what was typed', () => {
  it.each([
    { command: 'guid', message: 'guid plainuser\u0000*', around: 'r\u0000', named: 'U+0000 (NUL) at position 10' },
    { command: 'guid', message: 'guid obrien\u0000x', around: 'n\u0000', named: 'U+0000 (NUL) at position 7' },
    { command: 'match', message: 'match plainuser\u0000*', around: 'r\u0000', named: 'U+0000 (NUL) at position 10' },
    { command: 'match', message: 'match obrien\u0000x', around: 'n\u0000', named: 'U+0000 (NUL) at position 7' },
    { command: 'match', message: 'match jdoe to john\u0000@contoso.com', around: 'n\u0000', named: 'U+0000 (NUL) at position 13' },
    { command: 'guid', message: 'guid jd\toe', around: 'd\t', named: 'U+0009 (tab) at position 3' },
    {
      command: 'match',
      message: 'match CN=John\nDoe,OU=Staff,DC=contoso,DC=com',
      around: 'n\nD',
      named: 'U+000A (line feed) at position 8',
    },
    {
      command: 'match',
      message: 'match CN=John\tDoe,OU=Staff,DC=contoso,DC=com to jdoe@contoso.com',
      around: 'n\tD',
      named: 'U+0009 (tab) at position 8',
    },
    { command: 'match', message: 'match jd\r\noe', around: 'd\r', named: 'U+000D (carriage return) at position 3' },
    { command: 'match', message: 'match jdoe to jo\u0000hn', around: 'o\u0000', named: 'U+0000 (NUL) at position 11' },
    { command: 'guid', message: 'guid jdoe\u007f', around: 'e\u007f', named: 'U+007F at position 5' },
    { command: 'guid', message: 'guid jd\u0085oe', around: 'd\u0085', named: 'U+0085 at position 3' },
    { command: 'guid', message: 'guid jdoe\u001b[0m', around: 'e\u001b', named: 'U+001B at position 5' },
  ])('$command, $named: an INPUT_INVALID card naming it, nothing asked', async ({ message, around, named }) => {
    const relay = fakeRelay(found);
    const cloud = fakeCloud();
    const { card } = await route(message, createRegistry(), commandDeps({ relay, cloud }));
    const text = visibleText(card);
    expect(text).toContain('INPUT\\_INVALID');
    expect(text).toContain(`contains the control character ${named}`);
    expect(
      cardStrings(card).filter((s) => s.includes(around)),
      'the character is not echoed',
    ).toEqual([]);
    expect(relay.calls).toEqual([]);
    expect(cloud.calls).toEqual([]);
  });

  it('trims a line break or tab around the value, as Teams or a paste may add one; match takes a tab between words', async () => {
    const relay = fakeRelay(found);
    const teams = {
      text: '<at>Hardmatch</at> guid jdoe\r\n',
      recipient: { id: 'bot-1', name: 'Hardmatch' },
      entities: [{ type: 'mention', text: '<at>Hardmatch</at>', mentioned: { id: 'bot-1', name: 'Hardmatch' } }],
    };
    await route(messageText(teams), createRegistry(), commandDeps({ relay }));
    await route('match \tjdoe\n', createRegistry(), commandDeps({ relay, cloud: fakeCloud() }));
    await route('match jdoe\tto\tjdoe@contoso.com', createRegistry(), commandDeps({ relay, cloud: fakeCloud() }));
    expect(relay.calls.map((c) => c.who)).toEqual(['jdoe', 'jdoe', 'jdoe']);
  });
});
