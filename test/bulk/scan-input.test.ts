import { describe, expect, it } from 'vitest';
import { MAX_LIST_ENTRIES, parseScanRequest } from '../../src/bulk/scan-input.ts';
import { InputError } from '../../src/errors/index.ts';

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('no refusal');
}

describe('parseScanRequest', () => {
  it('reads nothing as the whole sync scope and one DN as an OU', () => {
    expect(parseScanRequest('')).toEqual({ kind: 'scope', scope: { kind: 'sync-scope' } });
    expect(parseScanRequest('OU=Sales,DC=contoso,DC=com')).toEqual({
      kind: 'scope',
      scope: { kind: 'ou', dn: 'OU=Sales,DC=contoso,DC=com' },
    });
  });

  it('refuses a DN that does not parse, naming it', () => {
    const err = refusal(() => parseScanRequest('OU=Sales,DC=contoso,DC'));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toContain('OU=Sales,DC=contoso,DC');
  });

  it('reads a pasted list one user per line, numbering lines as typed (blank lines skipped), <br> as a break', () => {
    expect(parseScanRequest('jdoe\n\n asmith@contoso.com \r\nCN=Bob,OU=Staff,DC=contoso,DC=com')).toEqual({
      kind: 'list',
      source: 'pasted',
      entries: [
        { line: 1, input: 'jdoe' },
        { line: 2, input: 'asmith@contoso.com' },
        { line: 3, input: 'CN=Bob,OU=Staff,DC=contoso,DC=com' },
      ],
    });
    expect(parseScanRequest('jdoe<br>asmith').kind).toBe('list');
    expect(parseScanRequest('jdoe').kind).toBe('list');
  });

  it('reads a pasted CSV with a header row', () => {
    const parsed = parseScanRequest('name,userPrincipalName\nJohn,jdoe@contoso.com\nAnn,');
    expect(parsed).toEqual({ kind: 'list', source: 'pasted', entries: [{ line: 2, input: 'jdoe@contoso.com' }] });
  });

  it('reads an attached CSV by its user column, with a BOM, quoted DNs and any header case', () => {
    const text = '\uFEFFDisplay,DistinguishedName\n"Doe, John","CN=Doe\\, John,OU=Staff,DC=contoso,DC=com"\n';
    expect(parseScanRequest('', { name: 'users.csv', text })).toEqual({
      kind: 'list',
      source: 'file',
      fileName: 'users.csv',
      entries: [{ line: 2, input: 'CN=Doe\\, John,OU=Staff,DC=contoso,DC=com' }],
    });
  });

  it('refuses a CSV with the wrong columns, naming what it has and what is accepted', () => {
    const err = refusal(() => parseScanRequest('', { name: 'people.csv', text: 'Name,Department\nJohn,Sales\n' }));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toContain('"Name", "Department"');
    expect(err.message).toContain('"samaccountname"');
  });

  it('refuses an empty CSV, a CSV with no users, and a file together with typed text', () => {
    expect(refusal(() => parseScanRequest('', { name: 'a.csv', text: '' })).code).toBe('INPUT_EMPTY');
    expect(refusal(() => parseScanRequest('', { name: 'a.csv', text: 'user\n\n' })).code).toBe('INPUT_EMPTY');
    expect(refusal(() => parseScanRequest('jdoe', { name: 'a.csv', text: 'user\njdoe' })).code).toBe('INPUT_INVALID');
  });

  it('refuses an oversized list, saying the limit', () => {
    const many = Array.from({ length: MAX_LIST_ENTRIES + 1 }, (_, i) => `user${i}`).join('\n');
    const err = refusal(() => parseScanRequest(many));
    expect(err.code).toBe('INPUT_TOO_LONG');
    expect(err.message).toContain('5,001');
    expect(err.message).toContain('5,000');
    expect(parseScanRequest(many.split('\n').slice(0, MAX_LIST_ENTRIES).join('\n')).kind).toBe('list');
  });

  it('refuses an unreadable CSV', () => {
    expect(refusal(() => parseScanRequest('', { name: 'bad.csv', text: 'user\n"unterminated' })).message).toContain('not a readable CSV');
  });
});
