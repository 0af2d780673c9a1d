import { describe, expect, it } from 'vitest';
import { SANDBOX_MARKER_ID, sandboxFrame } from '../../src/sandbox/sandbox-cards.ts';
import { ERROR_CARD_IDS, ERROR_NOTICE_ID, errorCard } from '../../src/cards/error-card.ts';
import { helpCard } from '../../src/cards/help-card.ts';
import { noticeCard } from '../../src/cards/notice-card.ts';
import { allElements, findById, visibleText } from '../support/card-query.ts';

const textOf = (card: unknown, id: string): string => visibleText(findById(card, id));

const guidHelp = { usage: 'guid <who>', summary: 'Anchor formats.', examples: ['guid jdoe'] };

describe('helpCard', () => {
  it('lists each command with examples, and the coming ones separately', () => {
    const text = visibleText(helpCard({ commands: [guidHelp], coming: ['match', 'status'] }));
    // Bold and escaped, never a code span: Teams would print the backticks and drop <who> as HTML.
    expect(text).toContain('**guid \\<who\\>**');
    expect(text).toContain('Examples: **guid jdoe**');
    expect(text).toContain('Coming in a later version: **match**, **status**.');
    expect(text).not.toContain('`');
  });

  it('has no coming line when nothing is coming, and SANDBOX only in sandbox', () => {
    const c = sandboxFrame(helpCard({ commands: [guidHelp], coming: [] }));
    expect(visibleText(c)).not.toContain('Coming');
    expect(findById(c, SANDBOX_MARKER_ID)).toBeDefined();
    expect(findById(helpCard({ commands: [], coming: [] }), SANDBOX_MARKER_ID)).toBeUndefined();
  });
});

describe('errorCard', () => {
  const userText = { code: 'ANCHOR_MALFORMED' as const, title: 'Not a valid GUID', text: '"[x](http://evil)" is not a valid anchor.' };

  it('shows the title, the text and the code, escaped', () => {
    const c = errorCard(userText);
    const notice = findById(c, ERROR_NOTICE_ID);
    expect(notice).toBeDefined();
    const text = visibleText(c);
    expect(text).toContain('Not a valid GUID');
    expect(text).toContain('"\\[x\\](http://evil)" is not a valid anchor.');
    expect(text).toContain('Code: ANCHOR\\_MALFORMED');
  });

  it('adds a suggestion and the command list when given', () => {
    const c = sandboxFrame(errorCard(userText, { suggestion: 'guid jdoe', commands: [guidHelp] }));
    const text = visibleText(c);
    expect(textOf(c, ERROR_CARD_IDS.suggestion)).toBe('Did you mean **guid jdoe**?');
    expect(allElements(findById(c, ERROR_CARD_IDS.suggestionButton)).find((e) => e.type === 'Action.Submit')).toMatchObject({
      title: 'guid jdoe',
      data: { command: 'guid jdoe', msteams: { type: 'messageBack', text: 'guid jdoe', displayText: 'guid jdoe' } },
    });
    expect(text).toContain('**guid \\<who\\>**');
    expect(text).toContain('SANDBOX');
  });

  it('quotes commands in our error words instead of printing backticks', () => {
    const c = errorCard({ code: 'INPUT_EMPTY', title: 'Nothing to look up', text: 'Type `help` to see the commands.' });
    expect(visibleText(c)).toContain('Type "help" to see the commands.');
    expect(visibleText(c)).not.toContain('`');
  });
});

describe('noticeCard', () => {
  it('shows title and text with the tone colour', () => {
    const c = noticeCard({ tone: 'info', title: 'Not yet', text: 'Later.' });
    expect(c.body?.[0]).toMatchObject({ type: 'Container' });
    expect(JSON.stringify(c)).toContain('"color":"accent"');
    expect(visibleText(c)).toContain('Later.');
  });
});
