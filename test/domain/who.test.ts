import { describe, expect, it } from 'vitest';
import { toGuid } from '../../src/domain/anchors.ts';
import { classifyWho, MAX_WHO_LENGTH } from '../../src/domain/who.ts';

describe('classifyWho', () => {
  it('recognises every anchor form', () => {
    for (const text of ['96dcc383-2f6e-4fa2-af15-6b4c1119259a', '{96DCC383-2F6E-4FA2-AF15-6B4C1119259A}', 'g8Pclm4vok+vFWtMERklmg==']) {
      const who = classifyWho(text);
      expect(who.kind).toBe('anchor');
      if (who.kind === 'anchor') expect(toGuid(who.anchor)).toBe('96dcc383-2f6e-4fa2-af15-6b4c1119259a');
    }
  });

  it('sends a near-miss anchor to a precise error instead of a name search', () => {
    expect(() => classifyWho('96dcc383-2f6e-4fa2-af15-6b4c111925')).toThrow(/grouped 8-4-4-4-12/);
    expect(() => classifyWho('g8Pclm4vok+vFWtMERkl==')).toThrow(/16 bytes/);
  });

  it('recognises DNs, including escaped commas', () => {
    expect(classifyWho('CN=John Doe,OU=Staff,DC=contoso,DC=com')).toMatchObject({ kind: 'dn' });
    expect(classifyWho('CN=Doe\\, John,OU=Staff,DC=contoso,DC=com')).toMatchObject({ kind: 'dn' });
  });

  it('treats anything with @ as an address and drops an smtp: prefix', () => {
    expect(classifyWho('jdoe@contoso.com')).toEqual({ kind: 'address', address: 'jdoe@contoso.com', text: 'jdoe@contoso.com' });
    expect(classifyWho('SMTP:jdoe@contoso.com')).toMatchObject({ kind: 'address', address: 'jdoe@contoso.com' });
  });

  it('keeps LDAP special characters as data for a sAMAccountName search', () => {
    expect(classifyWho('j*')).toEqual({ kind: 'samAccountName', name: 'j*', text: 'j*' });
    expect(classifyWho('a)(objectClass=*')).toMatchObject({ kind: 'samAccountName' });
  });

  it('refuses empty, spaced and oversized input', () => {
    expect(() => classifyWho('   ')).toThrow(expect.objectContaining({ code: 'INPUT_EMPTY' }));
    expect(() => classifyWho('john doe')).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => classifyWho('x'.repeat(MAX_WHO_LENGTH + 1))).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LONG' }));
  });

  it('refuses a control character inside the value, naming it without echoing it', () => {
    const cases: [string, string][] = [
      ['plainuser\u0000*', 'U+0000 (NUL) at position 10'],
      ['obrien\u0000x', 'U+0000 (NUL) at position 7'],
      ['jd\toe', 'U+0009 (tab) at position 3'],
      ['CN=John\r\nDoe,OU=Staff,DC=contoso,DC=com', 'U+000D (carriage return) at position 8'],
      ['jdoe\u001f', 'U+001F at position 5'],
      ['jdoe\u007f', 'U+007F at position 5'],
      ['\u0080jdoe', 'U+0080 at position 1'],
      ['jdoe@contoso.com\u009f', 'U+009F at position 17'],
      ['{96dcc383-2f6e-4fa2-af15-6b4c1119259a}\u0000', 'U+0000 (NUL) at position 39'],
    ];
    for (const [text, named] of cases) {
      let thrown: unknown;
      try {
        classifyWho(text);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, JSON.stringify(text)).toMatchObject({
        code: 'INPUT_INVALID',
        message: expect.stringContaining(`contains the control character ${named}`) as unknown,
      });
      expect(
        [...(thrown as Error).message].filter((ch) => /\p{Cc}/u.test(ch)),
        JSON.stringify(text),
      ).toEqual([]);
    }
  });

  it('trims tab and line breaks around the value like spaces; other characters near the range pass', () => {
    expect(classifyWho('\tjdoe\r\n')).toEqual({ kind: 'samAccountName', name: 'jdoe', text: 'jdoe' });
    expect(classifyWho('zoë~ø\u00a0')).toMatchObject({ kind: 'samAccountName', name: 'zoë~ø' });
    expect(classifyWho('jdoe\u00a1')).toMatchObject({ kind: 'samAccountName', name: 'jdoe\u00a1' });
  });
});
