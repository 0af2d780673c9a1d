/**
 * Unit: the values Entra Connect's inbound rules export for an AD user, including the fallbacks
 * for empty attributes and DN parsing with escaped characters.
 */
import { describe, expect, it } from 'vitest';
import {
  dnsDomainOfDn,
  exportedDisplayName,
  exportedPrimarySmtp,
  exportedProxyAddresses,
  exportedUserPrincipalName,
  firstRdnValue,
} from '../../../src/domain/sync/ad-values.ts';
import { onPremUser } from '../../support/users.ts';

describe('exported values', () => {
  it('uses the AD UPN when set, else sAMAccountName@<DNS domain of the DN>', () => {
    expect(exportedUserPrincipalName(onPremUser())).toBe('jdoe@contoso.com');
    expect(
      exportedUserPrincipalName(
        onPremUser({ userPrincipalName: null, samAccountName: 'kim', dn: 'CN=Kim,OU=Staff,DC=Corp,DC=Contoso,DC=com' }),
      ),
    ).toBe('kim@corp.contoso.com');
  });

  it('uses proxyAddresses as they are; with none, mail becomes the primary SMTP address', () => {
    expect(exportedProxyAddresses(onPremUser({ proxyAddresses: ['SMTP:a@contoso.com', 'smtp:b@contoso.com'] }))).toEqual([
      'SMTP:a@contoso.com',
      'smtp:b@contoso.com',
    ]);
    expect(exportedProxyAddresses(onPremUser({ proxyAddresses: [], mail: 'kim@contoso.com' }))).toEqual(['SMTP:kim@contoso.com']);
    expect(exportedProxyAddresses(onPremUser({ proxyAddresses: [], mail: null }))).toEqual([]);
    expect(exportedPrimarySmtp(onPremUser({ proxyAddresses: ['smtp:b@contoso.com'], mail: 'x@contoso.com' }))).toBeNull();
    expect(exportedPrimarySmtp(onPremUser({ proxyAddresses: ['smtp:b@contoso.com', 'SMTP:a@contoso.com'] }))).toBe('a@contoso.com');
  });

  it('uses displayName, else the cn, else sAMAccountName', () => {
    expect(exportedDisplayName(onPremUser())).toBe('John Doe');
    expect(exportedDisplayName(onPremUser({ displayName: null, dn: 'CN=Doe\\, John,OU=Staff,DC=contoso,DC=com' }))).toBe('Doe, John');
    expect(exportedDisplayName(onPremUser({ displayName: '', dn: 'not a dn', samAccountName: 'jd' }))).toBe('jd');
  });
});

describe('DN parsing', () => {
  it('unescapes the first RDN value: escaped specials, hex-escaped UTF-8, non-ASCII as is', () => {
    expect(firstRdnValue('CN=Zo\\c3\\ab (Ops) \\2aStar\\5c \\C3\\98deg\\C3\\A5rd,OU=Ops,DC=contoso,DC=com')).toBe(
      'Zoë (Ops) *Star\\ Ødegård',
    );
    expect(firstRdnValue('CN=Zoë \\+ 𝄞,DC=contoso,DC=com')).toBe('Zoë + 𝄞');
    expect(firstRdnValue('CN=a\\,b\\=c,DC=x')).toBe('a,b=c');
  });

  it('reads the DNS domain from the DC parts only, whatever the case and spacing', () => {
    expect(dnsDomainOfDn('CN=x\\,DC=evil,OU=Staff, dc=Contoso ,DC=COM')).toBe('contoso.com');
    expect(dnsDomainOfDn('CN=x,OU=y')).toBe('');
  });
});
