import { describe, expect, it } from 'vitest';
import { card, codeSpan, escapeMarkdown, FRAME_ALLOWANCE_BYTES, plural, text, toneColor } from '../../src/cards/card-parts.ts';
import { SANDBOX_MARKER_ID, sandboxFrame } from '../../src/sandbox/sandbox-cards.ts';

describe('escapeMarkdown', () => {
  it('makes a markdown link inert', () => {
    const out = escapeMarkdown('[click](http://evil)');
    expect(out).toBe('\\[click\\](http://evil)');
    expect(out).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
  });

  it('escapes emphasis, code, html and autolinks', () => {
    expect(escapeMarkdown('**bold** _it_ `code` <http://x> ~~s~~ a&amp;b')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\<http://x\\> \\~\\~s\\~\\~ a\\&amp;b',
    );
  });

  it('escapes existing backslashes so they cannot cancel an escape', () => {
    expect(escapeMarkdown('\\[x](y)')).toBe('\\\\\\[x\\](y)');
  });

  it('flattens line breaks so a value cannot open a block', () => {
    expect(escapeMarkdown('a\n# heading\r\n- item')).toBe('a # heading - item');
  });

  it('escapes a block marker at the start only', () => {
    expect(escapeMarkdown('# Admins')).toBe('\\# Admins');
    expect(escapeMarkdown('- x')).toBe('\\- x');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('jean-luc.picard@contoso.com')).toBe('jean-luc.picard@contoso.com');
  });

  it('leaves ordinary DNs and names readable', () => {
    expect(escapeMarkdown('CN=John Doe,OU=Staff,DC=contoso,DC=com')).toBe('CN=John Doe,OU=Staff,DC=contoso,DC=com');
  });
});

describe('card', () => {
  it('is an Adaptive Card 1.5 with its schema', () => {
    const c = card([text('hi')], { summary: 'hi' });
    expect(c).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
  });

  it('is as wide as the conversation (msteams.width Full) and carries its one-line summary as speak', () => {
    expect(card([text('hi')], { summary: 'One line' })).toMatchObject({ msteams: { width: 'Full' }, speak: 'One line' });
  });

  it('puts the SANDBOX marker first only in sandbox mode', () => {
    const sandboxed = sandboxFrame(card([text('hi')], { summary: 'hi' }));
    expect(sandboxed.body?.[0]).toMatchObject({ id: SANDBOX_MARKER_ID, color: 'warning' });
    expect(String(sandboxed.body?.[0]?.text)).toContain('SANDBOX');
    expect(JSON.stringify(card([text('hi')], { summary: 'hi' }))).not.toContain('SANDBOX');
  });

  it('maps tones to colours in one place', () => {
    expect([toneColor('good'), toneColor('warning'), toneColor('error'), toneColor('neutral')]).toEqual([
      'good',
      'warning',
      'attention',
      'default',
    ]);
  });
});

describe('codeSpan', () => {
  it('shows a command in bold, escaped: Teams has no code spans, so no backtick is printed', () => {
    expect(codeSpan('match [x](http://evil)')).toBe('**match \\[x\\](http://evil)**');
    expect(codeSpan('match a\\b*c')).toBe('**match a\\\\b\\*c**');
  });

  it('keeps a backtick or line break in the value inert', () => {
    expect(codeSpan('match `x`')).toBe('**match \\`x\\`**');
    expect(codeSpan('match a\n# b')).toBe('**match a # b**');
  });
});

describe('plural', () => {
  it('adds an s except for one', () => {
    expect([plural(0, 'step'), plural(1, 'step'), plural(3, 'step')]).toEqual(['0 steps', '1 step', '3 steps']);
  });
});

describe('the SANDBOX frame', () => {
  it('adds no more than the room every card leaves for a frame', () => {
    const plain = card([text('hi')], { summary: 'hi' });
    const added = Buffer.byteLength(JSON.stringify(sandboxFrame(plain)), 'utf8') - Buffer.byteLength(JSON.stringify(plain), 'utf8');
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(FRAME_ALLOWANCE_BYTES);
  });
});
