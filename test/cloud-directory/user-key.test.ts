/**
 * Unit: what findUser and the writers accept as a cloud user reference, and what they refuse
 * before anything reaches Graph.
 */
import { describe, expect, it } from 'vitest';
import { parseObjectId, parseUserKey } from '../../src/cloud-directory/users.ts';
import { InputError } from '../../src/errors/index.ts';

function refusal(call: () => unknown): { code: string; message: string } {
  try {
    call();
  } catch (err) {
    if (err instanceof InputError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('parseUserKey', () => {
  it('reads object ids (braces, case, spaces ignored) and UPNs', () => {
    expect(parseUserKey(' {1F0E2D3C-4B5A-4968-8776-655443322110} ')).toEqual({ kind: 'id', id: '1f0e2d3c-4b5a-4968-8776-655443322110' });
    expect(parseUserKey("o'brien@contoso.com")).toEqual({ kind: 'upn', upn: "o'brien@contoso.com" });
    expect(parseUserKey('zoë@contoso.com')).toEqual({ kind: 'upn', upn: 'zoë@contoso.com' });
    expect(parseUserKey('$admin@contoso.com')).toEqual({ kind: 'upn', upn: '$admin@contoso.com' });
  });

  it('refuses anything else, naming the input without control characters', () => {
    expect(refusal(() => parseUserKey("' or 1 eq 1 or '"))).toEqual({
      code: 'INPUT_INVALID',
      message: `"' or 1 eq 1 or '" is neither a cloud object id (GUID) nor a user principal name (name@domain).`,
    });
    expect(refusal(() => parseUserKey('a\u0000b@contoso.com')).message).toContain('"a?b@contoso.com"');
    expect(refusal(() => parseUserKey('')).code).toBe('INPUT_EMPTY');
    expect(refusal(() => parseUserKey('x'.repeat(257))).code).toBe('INPUT_TOO_LONG');
    expect(refusal(() => parseUserKey('jdoe@localhost')).code).toBe('INPUT_INVALID');
  });
});

describe('parseObjectId', () => {
  it('accepts GUIDs only', () => {
    expect(parseObjectId('1F0E2D3C-4B5A-4968-8776-655443322110')).toBe('1f0e2d3c-4b5a-4968-8776-655443322110');
    expect(refusal(() => parseObjectId('jdoe@contoso.com')).code).toBe('INPUT_INVALID');
  });
});
