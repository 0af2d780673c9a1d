import { describe, expect, it } from 'vitest';
import { MATCH_USAGE, MAX_TARGET_LENGTH, parseMatchArgs } from '../../../src/bot/commands/match-args.ts';
import { InputError } from '../../../src/errors/index.ts';

/** The InputError a parse throws (fails the test when it does not throw one). */
function refusal(args: string): InputError {
  try {
    parseMatchArgs(args);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`"${args}" was accepted`);
}

describe('parseMatchArgs', () => {
  it('takes one AD user, with or without "to" and one cloud user (keyword in any case)', () => {
    expect(parseMatchArgs('jdoe')).toEqual({ who: 'jdoe' });
    expect(parseMatchArgs('  jdoe  ')).toEqual({ who: 'jdoe' });
    expect(parseMatchArgs('jdoe to john.doe@contoso.com')).toEqual({ who: 'jdoe', target: 'john.doe@contoso.com' });
    expect(parseMatchArgs('JDoe TO John.Doe@contoso.com')).toEqual({ who: 'JDoe', target: 'John.Doe@contoso.com' });
    expect(parseMatchArgs('jdoe   To\t1f0e6a4c-3f1d-4c55-9a51-0d2b7a1c9e11')).toEqual({
      who: 'jdoe',
      target: '1f0e6a4c-3f1d-4c55-9a51-0d2b7a1c9e11',
    });
    expect(parseMatchArgs('g8Pclm4vok+vFWtMERklmg== to jdoe@contoso.com')).toEqual({
      who: 'g8Pclm4vok+vFWtMERklmg==',
      target: 'jdoe@contoso.com',
    });
  });

  it('accepts a DN with spaces, even one containing the word "to"', () => {
    const dn = 'CN=John Doe,OU=Staff,DC=contoso,DC=com';
    expect(parseMatchArgs(dn)).toEqual({ who: dn });
    expect(parseMatchArgs(`${dn} to jdoe@contoso.com`)).toEqual({ who: dn, target: 'jdoe@contoso.com' });
    const walk = 'CN=Walk to School,OU=Staff,DC=contoso,DC=com';
    expect(parseMatchArgs(walk)).toEqual({ who: walk });
    expect(parseMatchArgs(`${walk} to walk@contoso.com`)).toEqual({ who: walk, target: 'walk@contoso.com' });
  });

  it('passes LDAP and OData special characters through as data, untouched', () => {
    expect(parseMatchArgs("o'brien*)(uid=*) to o'brien'or'1'eq'1@contoso.com")).toEqual({
      who: "o'brien*)(uid=*)",
      target: "o'brien'or'1'eq'1@contoso.com",
    });
    expect(parseMatchArgs('a\\2a&b#c%d')).toEqual({ who: 'a\\2a&b#c%d' });
  });

  it.each([
    ['', 'INPUT_EMPTY', /^Say which AD user to match\./],
    ['a b', 'INPUT_INVALID', /^"a b" is more than one word\./],
    ['a to', 'INPUT_INVALID', /^"to" needs one cloud user after it/],
    ['a to b c', 'INPUT_INVALID', /^After "to" give exactly one cloud UPN or object id\./],
    ['to jdoe@contoso.com', 'INPUT_INVALID', /^The AD user comes first, before "to"\./],
    ['to', 'INPUT_INVALID', /^The AD user comes first/],
    ['a to b', 'INPUT_INVALID', /^"b" after "to" is not a cloud UPN or object id\./],
    ['a b to c@contoso.com', 'INPUT_INVALID', /^"a b" is more than one word\./],
  ])('refuses %j with %s, saying the form', (args, code, message) => {
    const err = refusal(args);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`Type ${MATCH_USAGE}, e.g. "match jdoe" or "match jdoe to john.doe@contoso.com".`);
  });

  it('refuses oversized values, naming the limit', () => {
    expect(refusal('a'.repeat(513)).code).toBe('INPUT_TOO_LONG');
    const target = `${'t'.repeat(MAX_TARGET_LENGTH)}@contoso.com`;
    const err = refusal(`jdoe to ${target}`);
    expect(err.code).toBe('INPUT_TOO_LONG');
    expect(err.message).toBe(`The cloud user after "to" is ${target.length} characters; the limit is ${MAX_TARGET_LENGTH}.`);
  });

  it('refuses a malformed anchor as the AD user', () => {
    expect(refusal('96dcc383-2f6e-4fa2-af15-6b4c111925 to jdoe@contoso.com').code).toBe('ANCHOR_MALFORMED');
  });

  it('echoes at most 40 characters of what was typed', () => {
    const err = refusal(`${'w'.repeat(100)} x`);
    expect(err.message).toContain(`"${'w'.repeat(40)}…" is more than one word.`);
  });
});
