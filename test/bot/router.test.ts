import { describe, expect, it } from 'vitest';
import type { IAdaptiveCard } from 'adaptivecards/lib/schema.js';
import { createRegistry, type Command, type CommandRegistry } from '../../src/bot/commands/index.ts';
import { messageText } from '../../src/bot/message-text.ts';
import { MAX_MESSAGE_LENGTH, parseCommand, route } from '../../src/bot/router.ts';
import { suggestCommand } from '../../src/bot/suggest.ts';
import { CloudError, DirectoryError } from '../../src/errors/index.ts';
import { allElements, visibleText } from '../support/card-query.ts';
import { asSandboxSends, commandDeps } from '../support/fakes.ts';

/** A registry whose `guid` records what it was given, so routing is observed, not inferred. */
function recordingRegistry(): { registry: CommandRegistry; seen: string[] } {
  const seen: string[] = [];
  const base = createRegistry();
  const real = base.commands.get('guid');
  if (!real) throw new Error('guid not registered');
  const recorder: Command = {
    ...real,
    run: (args) => {
      seen.push(args);
      return Promise.resolve({ text: `guid:${args}` });
    },
  };
  return { registry: { commands: new Map([...base.commands, ['guid', recorder]]), coming: base.coming }, seen };
}

const cardText = (reply: { card?: IAdaptiveCard }): string => visibleText(reply.card);

describe('parseCommand', () => {
  it('splits the first word from the rest, lower-casing only the command', () => {
    expect(parseCommand('GUID JDoe')).toEqual({ name: 'guid', args: 'JDoe' });
    expect(parseCommand('  guid   jdoe  ')).toEqual({ name: 'guid', args: 'jdoe' });
    expect(parseCommand('help')).toEqual({ name: 'help', args: '' });
    expect(parseCommand(' \n\t ')).toBeUndefined();
  });
});

describe('route', () => {
  it('matches the command word case-insensitively and passes the argument', async () => {
    const { registry, seen } = recordingRegistry();
    await route('GUID jdoe', registry, commandDeps());
    await route('guid   jdoe', registry, commandDeps());
    expect(seen).toEqual(['jdoe', 'jdoe']);
  });

  it('does not treat a longer word as the command', async () => {
    const { registry, seen } = recordingRegistry();
    const reply = await route('guidx jdoe', registry, commandDeps());
    expect(seen).toEqual([]);
    expect(cardText(reply)).toContain('UNKNOWN\\_COMMAND');
    // The suggestion keeps what followed the mistyped word, and is a button that sends it.
    expect(cardText(reply)).toContain('Did you mean **guid jdoe**?');
    const button = allElements(reply.card).find((e) => e.type === 'Action.Submit');
    expect(button).toMatchObject({
      title: 'guid jdoe',
      data: { command: 'guid jdoe', msteams: { type: 'messageBack', text: 'guid jdoe', displayText: 'guid jdoe' } },
    });
  });

  it('does not find a command in the middle of a sentence', async () => {
    const { registry, seen } = recordingRegistry();
    const reply = await route('please guid jdoe', registry, commandDeps());
    expect(seen).toEqual([]);
    const text = cardText(reply);
    expect(text).toContain('"please" is not a Hardmatch command.');
    expect(text).not.toContain('Did you mean');
    expect(text).toContain('**guid \\<who\\>**');
  });

  it('answers an empty message with INPUT_EMPTY and the commands', async () => {
    const text = cardText(await route('   ', createRegistry(), commandDeps()));
    expect(text).toContain('INPUT\\_EMPTY');
    expect(text).toContain('Type "help" to see the commands');
    expect(text).toContain('**guid \\<who\\>**');
    expect(text).not.toContain('`');
  });

  it('refuses a message over 2,000 characters without running anything', async () => {
    const { registry, seen } = recordingRegistry();
    const long = `guid ${'a'.repeat(MAX_MESSAGE_LENGTH - 4)}`;
    expect(long).toHaveLength(2001);
    const text = cardText(await route(long, registry, commandDeps()));
    expect(seen).toEqual([]);
    expect(text).toContain('INPUT\\_TOO\\_LONG');
    expect(text).toContain('2,001 characters; the limit is 2,000');
    await route(long.slice(0, MAX_MESSAGE_LENGTH), registry, commandDeps());
    expect(seen).toHaveLength(1);
  });

  it('answers the approval commands with what to configure when the bot has no request store', async () => {
    for (const name of ['Status', 'cancel r7k3q9', 'audit r7k3q9', 'undo r7k3q9', 'approvals']) {
      const text = cardText(await route(name, createRegistry(), commandDeps()));
      expect(text).toContain('Approval is not configured');
      expect(text).toMatch(/STORE\\?_URL/);
      expect(text).not.toContain('UNKNOWN');
    }
  });

  it('answers help with a card listing only working commands', async () => {
    const text = cardText(asSandboxSends(await route('help', createRegistry(), commandDeps())));
    // Bold, escaped: Teams has no code spans, and an unescaped <who> would be taken for HTML and dropped.
    expect(text).toContain('**help**');
    expect(text).toContain('**guid \\<who\\>**');
    expect(text).toContain('**match \\<who\\> \\[to \\<cloud UPN or object id\\>\\]**');
    expect(text).toContain('**match jdoe to john.doe@contoso.com**');
    expect(text).toContain('**status \\[\\<request id\\>\\]**');
    expect(text).toContain('**undo \\<request id\\>**');
    expect(text).not.toContain('`');
    expect(text).not.toContain('Coming in a later version');
    expect(text).toContain('SANDBOX');
  });

  it('turns a coded error from a command into an error card with its code', async () => {
    const failing: Command = {
      name: 'fail',
      help: { usage: 'fail', summary: '', examples: [] },
      run: () => Promise.reject(new DirectoryError('DIRECTORY_CREDENTIALS', 'Bind refused.')),
    };
    const text = cardText(await route('fail', createRegistry([failing]), commandDeps()));
    expect(text).toContain('DIRECTORY\\_CREDENTIALS');
    expect(text).toContain('Bind refused.');
  });

  it("shows Graph's own code and status for a cloud error, without repeating a message already quoted", async () => {
    const failing: Command = {
      name: 'fail',
      help: { usage: 'fail', summary: '', examples: [] },
      run: () =>
        Promise.reject(
          new CloudError('CLOUD_REQUEST_FAILED', 'Graph answered 400 Request_BadRequest: Invalid filter clause.', {
            status: 400,
            graphCode: 'Request_BadRequest',
            graphMessage: 'Invalid filter clause.',
          }),
        ),
    };
    const text = cardText(await route('fail', createRegistry([failing]), commandDeps()));
    expect(text).toContain('Code: CLOUD\\_REQUEST\\_FAILED');
    expect(text).toContain('Graph error code\nRequest\\_BadRequest');
    expect(text).toContain('HTTP status\n400');
    expect(text).not.toContain('Graph message');
  });

  it('lets an unexpected error propagate to onTurnError', async () => {
    const bug: Command = {
      name: 'bug',
      help: { usage: 'bug', summary: '', examples: [] },
      run: () => Promise.reject(new TypeError('x is undefined')),
    };
    await expect(route('bug', createRegistry([bug]), commandDeps())).rejects.toThrow(TypeError);
  });
});

describe('suggestCommand', () => {
  it('suggests close names and nothing for far ones', () => {
    const known = ['help', 'guid', 'match', 'status', 'cancel'];
    expect(suggestCommand('hlep', known)).toBe('help');
    expect(suggestCommand('guid:', known)).toBe('guid');
    expect(suggestCommand('stauts', known)).toBe('status');
    expect(suggestCommand('hi', known)).toBeUndefined();
    expect(suggestCommand('please', known)).toBeUndefined();
  });
});

describe('messageText', () => {
  it("removes the bot's own @mention", () => {
    const activity = {
      text: '<at>Hardmatch</at> guid jdoe',
      recipient: { id: 'bot-1', name: 'Hardmatch' },
      entities: [{ type: 'mention', text: '<at>Hardmatch</at>', mentioned: { id: 'bot-1', name: 'Hardmatch' } }],
    };
    expect(messageText(activity)).toBe('guid jdoe');
    expect(activity.text).toBe('<at>Hardmatch</at> guid jdoe');
  });

  it("keeps someone else's mention and copes with no text", () => {
    const activity = {
      text: '<at>Alice</at> guid jdoe',
      recipient: { id: 'bot-1', name: 'Hardmatch' },
      entities: [{ type: 'mention', text: '<at>Alice</at>', mentioned: { id: 'user-2', name: 'Alice' } }],
    };
    expect(messageText(activity)).toBe('<at>Alice</at> guid jdoe');
    expect(messageText({ recipient: { id: 'bot-1', name: 'x' } })).toBe('');
  });
});
