import { describe, expect, it } from 'vitest';
import { isWithinBase, parseDn, sameDn } from '../../src/domain/dn.ts';

const BASE = 'OU=Scoped,DC=contoso,DC=com';

describe('parseDn', () => {
  it('splits RDNs from the leaf up, lower-casing types and values', () => {
    expect(parseDn('CN=John Doe,OU=Staff,DC=contoso,DC=com')).toEqual([['cn=john doe'], ['ou=staff'], ['dc=contoso'], ['dc=com']]);
  });

  it('ignores spaces around separators and =, keeps inner and escaped spaces', () => {
    expect(parseDn(' CN = John  Doe ,  OU=Staff ; DC=com ')).toEqual([['cn=john  doe'], ['ou=staff'], ['dc=com']]);
    expect(parseDn('CN=\\ padded\\ ,DC=com')).toEqual([['cn= padded '], ['dc=com']]);
    expect(parseDn('CN=x\\20,DC=com')).toEqual([['cn=x '], ['dc=com']]);
  });

  it('decodes escaped commas, hex escapes (UTF-8) and quoted values alike', () => {
    const expected = [['cn=doe, john'], ['dc=com']];
    expect(parseDn('CN=Doe\\, John,DC=com')).toEqual(expected);
    expect(parseDn('CN=Doe\\2C John,DC=com')).toEqual(expected);
    expect(parseDn('CN="Doe, John",DC=com')).toEqual(expected);
    expect(parseDn('CN=Zo\\C3\\AB,DC=com')).toEqual([['cn=zoë'], ['dc=com']]);
  });

  it('sorts the pairs of a multi-valued RDN', () => {
    expect(parseDn('UID=jdoe+CN=John,DC=com')).toEqual(parseDn('cn=john + uid=JDOE,dc=com'));
    expect(parseDn('UID=jdoe+CN=John,DC=com')).toEqual([['cn=john', 'uid=jdoe'], ['dc=com']]);
  });

  it('is undefined for text that is not a DN', () => {
    for (const text of [
      'jdoe',
      'CN=a,',
      ',DC=com',
      'CN=a,,DC=com',
      '=a,DC=com',
      'CN=a\\',
      'CN="open,DC=com',
      'CN="a"b,DC=com',
      'CN=a"b,DC=com',
      'CN=\\C3,DC=com',
      'C N=a',
    ]) {
      expect(parseDn(text), text).toBeUndefined();
    }
  });
});

describe('sameDn', () => {
  it('compares RDN-wise, case-insensitively, tolerant of spaces', () => {
    expect(sameDn('CN=John Doe,OU=Staff,DC=contoso,DC=com', 'cn=JOHN DOE, ou=staff, dc=Contoso, dc=COM')).toBe(true);
    expect(sameDn('CN=Doe\\, John,DC=com', 'cn=doe\\2c john,dc=com')).toBe(true);
  });

  it('tells apart DNs whose text differs only by an escape', () => {
    expect(sameDn('CN=Doe\\, John,DC=com', 'CN=Doe,CN=John,DC=com')).toBe(false);
    expect(sameDn('CN=a,DC=com', 'CN=a,DC=com,DC=org')).toBe(false);
    expect(sameDn('jdoe', 'jdoe')).toBe(false);
  });
});

describe('isWithinBase', () => {
  it('accepts the base itself and anything below it, however it is spelled', () => {
    expect(isWithinBase(BASE, BASE)).toBe(true);
    expect(isWithinBase('CN=Scoped User,OU=Scoped,DC=contoso,DC=com', BASE)).toBe(true);
    expect(isWithinBase('cn=scoped user, ou=SCOPED, dc=Contoso, dc=com', BASE)).toBe(true);
    expect(isWithinBase('CN=Deep,OU=Sub,OU=Scoped,DC=contoso,DC=com', 'ou=scoped , dc=contoso ; dc=com')).toBe(true);
  });

  it('refuses a DN elsewhere in the domain, or above the base', () => {
    expect(isWithinBase('CN=Administrator,CN=Users,DC=contoso,DC=com', BASE)).toBe(false);
    expect(isWithinBase('DC=contoso,DC=com', BASE)).toBe(false);
    expect(isWithinBase('CN=x,OU=Scoped,DC=fabrikam,DC=com', BASE)).toBe(false);
  });

  it('is not fooled by a DN whose text merely ends like the base', () => {
    // An escaped comma makes "Administrator,OU=Scoped" one RDN value, under DC=contoso,DC=com.
    expect(isWithinBase('CN=Administrator\\,OU=Scoped,DC=contoso,DC=com', BASE)).toBe(false);
    expect(isWithinBase('CN=Administrator\\2COU=Scoped,DC=contoso,DC=com', BASE)).toBe(false);
    expect(isWithinBase('CN=x,OU=NotScoped,DC=contoso,DC=com', BASE)).toBe(false);
    expect(isWithinBase('CN=x,OU=Scoped+CN=y,DC=contoso,DC=com', BASE)).toBe(false);
  });

  it('refuses what does not parse, on either side', () => {
    expect(isWithinBase('CN=a,,OU=Scoped,DC=contoso,DC=com', BASE)).toBe(false);
    expect(isWithinBase('CN=a,OU=Scoped,DC=contoso,DC=com', 'not a dn')).toBe(false);
  });
});
